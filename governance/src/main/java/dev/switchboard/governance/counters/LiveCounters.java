package dev.switchboard.governance.counters;

import dev.switchboard.governance.Budget;
import dev.switchboard.governance.BudgetPeriod;
import io.vertx.core.Future;
import java.math.BigDecimal;
import java.time.Instant;

/**
 * Budget reservations and rate limits for the request path. Every method returns a Vert.x {@link Future}
 * and never blocks, so the gateway calls it straight from an event loop: {@link InProcessCounters} completes
 * at once, {@link RedisCounters} when Redis answers. Time is always the caller's {@code now} (from its
 * injected clock), never the store's, so tests control it and all implementations agree.
 *
 * <p>A request's life: {@link #admit} (RPM and the TPM estimate), then {@link #reserve} (budget), then the
 * upstream call, then {@link #settle} with the actual cost (also when the call failed: settle what it used,
 * often zero) and {@link #correctTokens} with the actual token count.
 */
public interface LiveCounters {

  /**
   * Holds {@code maxCostUsd} against the key's and the team's budget for the current period, atomically:
   * either both have room and both are charged, or neither is charged. A budget that is {@code null} is
   * unlimited and not counted.
   *
   * @param keyId the key's public id
   * @param keyBudget the key's budget, or {@code null}
   * @param teamId the team id, or {@code null}
   * @param teamBudget the team's budget, or {@code null}
   * @param maxCostUsd the most this request can cost (its reservation)
   * @param now the current time; picks the period bucket
   * @return {@link BudgetDecision.Reserved} or {@link BudgetDecision.Refused} naming the budget
   */
  Future<BudgetDecision> reserve(String keyId, Budget keyBudget, String teamId, Budget teamBudget,
      BigDecimal maxCostUsd, Instant now);

  /**
   * Replaces a reservation by the actual cost, releasing the rest (or charging the overrun, if the actual
   * cost exceeded the reservation). Settling twice is a no-op.
   *
   * @param reservation from {@link #reserve}
   * @param actualCostUsd what the request cost; zero for a request that used nothing
   * @return completes when counted
   */
  Future<Void> settle(Reservation reservation, BigDecimal actualCostUsd);

  /**
   * Starts a budget counter at the spend already settled this period, unless the counter exists already
   * (another gateway process sharing it is counting live). Call before serving; {@link CounterSeeding}
   * does it for every key and team from the spend ledger.
   *
   * @param scope key or team
   * @param id its id
   * @param period the budget's period
   * @param spentUsd spend settled in the current period
   * @param now the current time
   * @return {@code true} if this call set the counter
   */
  Future<Boolean> seed(Scope scope, String id, BudgetPeriod period, BigDecimal spentUsd, Instant now);

  /**
   * Reads a budget counter: spent plus reserved in the current period.
   *
   * @param scope key or team
   * @param id its id
   * @param period the budget's period
   * @param now the current time
   * @return the amount, zero when nothing is counted
   */
  Future<BigDecimal> spent(Scope scope, String id, BudgetPeriod period, Instant now);

  /**
   * Checks one request against the key's and team's RPM and TPM windows and, if all four allow it, counts it
   * (one request, {@code estimatedTokens} tokens) in all four, atomically. A denied request is not counted.
   *
   * @param limits the key's and team's limits
   * @param estimatedTokens the tokens charged up front (prompt tokens plus the expected completion)
   * @param now the current time
   * @return the decision with the quotas for the response headers
   */
  Future<RateDecision> admit(RateLimits limits, long estimatedTokens, Instant now);

  /**
   * Replaces an admitted request's token estimate by the actual count, in the minute the estimate went into.
   * Correcting twice is a no-op.
   *
   * @param charge from an allowed {@link RateDecision}
   * @param actualTokens prompt plus completion tokens actually used
   * @return completes when counted
   */
  Future<Void> correctTokens(TokenCharge charge, long actualTokens);

  /**
   * Releases connections, if any.
   *
   * @return completes when closed
   */
  Future<Void> close();
}
