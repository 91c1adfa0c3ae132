package dev.switchboard.governance.counters;

import dev.switchboard.governance.Budget;
import dev.switchboard.governance.BudgetPeriod;
import io.vertx.core.Future;
import java.math.BigDecimal;
import java.time.Instant;
import java.util.HashMap;
import java.util.Map;

/*
 * One lock guards all counters. Every operation is a few map lookups and additions (well under a
 * microsecond), and reserve/admit must change two or four counters atomically, which per-counter locks
 * could only do with lock ordering. Should profiling ever show contention, stripe by key id.
 *
 * Memory: one budget cell per key/team with a budget and one window per limited key/team; a cell is reused
 * across periods (a new bucket resets it), so nothing grows with time.
 */
/** Counters in this JVM: the default for a single gateway process. Every future is already complete. */
public final class InProcessCounters implements LiveCounters {

  private final Object lock = new Object();
  private final Map<String, BudgetCell> budgets = new HashMap<>();
  private final Map<String, Window> windows = new HashMap<>();

  @Override
  public Future<BudgetDecision> reserve(String keyId, Budget keyBudget, String teamId, Budget teamBudget,
      BigDecimal maxCostUsd, Instant now) {
    long amount = Budget.toMicros(maxCostUsd);
    String keyBucket = keyBudget == null ? null : keyBudget.period().bucket(now);
    String teamBucket = teamBudget == null || teamId == null ? null : teamBudget.period().bucket(now);
    synchronized (lock) {
      BudgetCell key = keyBucket == null ? null : budgetCell(Scope.KEY, keyId, keyBucket);
      BudgetCell team = teamBucket == null ? null : budgetCell(Scope.TEAM, teamId, teamBucket);
      if (key != null && refuses(Budget.toMicros(keyBudget.limitUsd()), key.micros, amount)) {
        return Future.succeededFuture(refused(Scope.KEY, keyBudget, key.micros));
      }
      if (team != null && refuses(Budget.toMicros(teamBudget.limitUsd()), team.micros, amount)) {
        return Future.succeededFuture(refused(Scope.TEAM, teamBudget, team.micros));
      }
      if (key != null) {
        key.micros += amount;
      }
      if (team != null) {
        team.micros += amount;
      }
    }
    return Future.succeededFuture(
        new BudgetDecision.Reserved(new Reservation(keyId, keyBucket, teamId, teamBucket, amount)));
  }

  /** Refuse when the budget is used up or the reservation would overrun it (the same rule as reserve.lua). */
  static boolean refuses(long limit, long spent, long amount) {
    return spent >= limit || spent + amount > limit;
  }

  static BudgetDecision refused(Scope scope, Budget budget, long spentMicros) {
    long left = Math.max(0, Budget.toMicros(budget.limitUsd()) - spentMicros);
    return new BudgetDecision.Refused(scope, Budget.fromMicros(left));
  }

  @Override
  public Future<Void> settle(Reservation r, BigDecimal actualCostUsd) {
    if (!r.markSettled()) {
      return Future.succeededFuture();
    }
    long delta = Budget.toMicros(actualCostUsd) - r.micros;
    synchronized (lock) {
      adjust(Scope.KEY, r.keyId, r.keyBucket, delta);
      adjust(Scope.TEAM, r.teamId, r.teamBucket, delta);
    }
    return Future.succeededFuture();
  }

  private void adjust(Scope scope, String id, String bucket, long delta) {
    if (bucket == null) {
      return;
    }
    BudgetCell cell = budgets.get(scope.tag() + ":" + id);
    // A period that has since rolled over is not adjusted: the new period starts from what the ledger says.
    if (cell != null && cell.bucket.equals(bucket)) {
      cell.micros += delta;
    }
  }

  @Override
  public Future<Boolean> seed(Scope scope, String id, BudgetPeriod period, BigDecimal spentUsd, Instant now) {
    String bucket = period.bucket(now);
    synchronized (lock) {
      BudgetCell cell = budgets.get(scope.tag() + ":" + id);
      if (cell != null && cell.bucket.equals(bucket)) {
        return Future.succeededFuture(false);
      }
      budgets.put(scope.tag() + ":" + id, new BudgetCell(bucket, Budget.toMicros(spentUsd)));
      return Future.succeededFuture(true);
    }
  }

  @Override
  public Future<BigDecimal> spent(Scope scope, String id, BudgetPeriod period, Instant now) {
    synchronized (lock) {
      return Future.succeededFuture(Budget.fromMicros(budgetCell(scope, id, period.bucket(now)).micros));
    }
  }

  private BudgetCell budgetCell(Scope scope, String id, String bucket) {
    BudgetCell cell = budgets.computeIfAbsent(scope.tag() + ":" + id, k -> new BudgetCell(bucket, 0));
    if (!cell.bucket.equals(bucket)) {
      cell.bucket = bucket;
      cell.micros = 0;
    }
    return cell;
  }

  @Override
  public Future<RateDecision> admit(RateLimits limits, long estimatedTokens, Instant now) {
    long nowMs = now.toEpochMilli();
    long index = SlidingWindow.index(nowMs);
    long elapsed = SlidingWindow.elapsed(nowMs);
    long[] limitOf = limits.byWindow();
    long[] costOf = {1, estimatedTokens, 1, estimatedTokens};
    RateWindow[] all = RateWindow.values();
    SlidingWindow.State[] states = new SlidingWindow.State[4];
    boolean allowed = true;
    synchronized (lock) {
      Window[] w = new Window[4];
      for (int i = 0; i < 4; i++) {
        if (limitOf[i] >= 0) {
          String id = all[i].scope() == Scope.KEY ? limits.keyId() : limits.teamId();
          w[i] = windows.computeIfAbsent(all[i].cell(id), k -> new Window());
          w[i].roll(index);
          allowed &= SlidingWindow.fits(limitOf[i], costOf[i], w[i].prev, w[i].curr, elapsed);
        }
      }
      for (int i = 0; i < 4; i++) {
        if (w[i] != null) {
          if (allowed) {
            w[i].curr += costOf[i];
          }
          states[i] = new SlidingWindow.State(all[i], limitOf[i], costOf[i], w[i].prev, w[i].curr);
        }
      }
    }
    TokenCharge charge = new TokenCharge(limits.keyId(), limitOf[1] >= 0, limits.teamId(), limitOf[3] >= 0,
        index, estimatedTokens);
    return Future.succeededFuture(SlidingWindow.decide(allowed, states, elapsed, charge));
  }

  @Override
  public Future<Void> correctTokens(TokenCharge charge, long actualTokens) {
    if (!charge.markCorrected()) {
      return Future.succeededFuture();
    }
    long delta = actualTokens - charge.estimatedTokens;
    synchronized (lock) {
      if (charge.keyCounted) {
        correct(RateWindow.KEY_TOKENS.cell(charge.keyId), charge.windowIndex, delta);
      }
      if (charge.teamCounted) {
        correct(RateWindow.TEAM_TOKENS.cell(charge.teamId), charge.windowIndex, delta);
      }
    }
    return Future.succeededFuture();
  }

  private void correct(String cell, long index, long delta) {
    Window w = windows.get(cell);
    if (w == null) {
      return;
    }
    if (w.index == index) {
      w.curr = Math.max(0, w.curr + delta);
    } else if (w.index == index + 1) {
      w.prev = Math.max(0, w.prev + delta);
    }
  }

  @Override
  public Future<Void> close() {
    return Future.succeededFuture();
  }

  private static final class BudgetCell {
    String bucket;
    long micros;

    BudgetCell(String bucket, long micros) {
      this.bucket = bucket;
      this.micros = micros;
    }
  }

  /** The current and previous minute of one limit. */
  private static final class Window {
    long index;
    long prev;
    long curr;

    void roll(long now) {
      if (now == index) {
        return;
      }
      prev = now == index + 1 ? curr : 0;
      curr = 0;
      index = now;
    }
  }
}
