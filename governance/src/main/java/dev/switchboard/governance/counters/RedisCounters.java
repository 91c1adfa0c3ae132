package dev.switchboard.governance.counters;

import dev.switchboard.governance.Budget;
import dev.switchboard.governance.BudgetPeriod;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.redis.client.Command;
import io.vertx.redis.client.Redis;
import io.vertx.redis.client.RedisOptions;
import io.vertx.redis.client.Request;
import io.vertx.redis.client.Response;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.List;
import java.util.Objects;

/*
 * Design
 * ------
 * Every check-and-count is one Lua script, which Redis runs atomically: two gateway processes reserving on
 * the same budget cannot both see the last dollar. Scripts are sent by SHA (EVALSHA) and, on NOSCRIPT
 * (a fresh or flushed server), once in full with EVAL, which also caches them on the server.
 *
 * Keys: sb:budget:<key|team>:<id>:<bucket> (micro-dollars; expire a day after their period ends, so a late
 * settle still lands) and sb:rate:<key|team>:<id>:<rpm|tpm>:<minute> (expire after serving as the previous
 * minute). A script touches a key's and its team's counters together, so this is for a single Redis server
 * or a primary with replicas, not Redis Cluster (those keys would sit in different slots).
 *
 * The Vert.x client is non-blocking and completes futures on the caller's context, so the gateway's event
 * loops can call this directly.
 */
/** Counters in Redis, shared by every gateway process that points at the same server. */
public final class RedisCounters implements LiveCounters {

  private static final String PREFIX = "sb:";
  private static final long EXPIRY_GRACE_MS = 24 * 60 * 60 * 1000L;

  private final Redis redis;
  private final Script reserve = Script.load("reserve.lua");
  private final Script adjust = Script.load("adjust.lua");
  private final Script seed = Script.load("seed.lua");
  private final Script admit = Script.load("admit.lua");

  /**
   * Connects (lazily, pooled) to a Redis server.
   *
   * @param vertx the gateway's Vert.x instance
   * @param redisUrl {@code redis://host:port}, optionally with a password and database
   *     ({@code redis://:secret@host:6379/0})
   */
  public RedisCounters(Vertx vertx, String redisUrl) {
    this(vertx, new RedisOptions()
        .setConnectionString(redisUrl)
        .setMaxPoolSize(8)
        // Bursts queue for a pooled connection rather than fail: each command takes well under a millisecond.
        .setMaxPoolWaiting(4096));
  }

  /**
   * Connects with full control over the client options (TLS, pool sizes, sentinel...).
   *
   * @param vertx the gateway's Vert.x instance
   * @param options the client options
   */
  public RedisCounters(Vertx vertx, RedisOptions options) {
    this.redis = Redis.createClient(Objects.requireNonNull(vertx, "vertx"), options);
  }

  @Override
  public Future<BudgetDecision> reserve(String keyId, Budget keyBudget, String teamId, Budget teamBudget,
      BigDecimal maxCostUsd, Instant now) {
    long amount = Budget.toMicros(maxCostUsd);
    String keyBucket = keyBudget == null ? null : keyBudget.period().bucket(now);
    String teamBucket = teamBudget == null || teamId == null ? null : teamBudget.period().bucket(now);
    List<String> keys = List.of(budgetKey(Scope.KEY, keyId, keyBucket), budgetKey(Scope.TEAM, teamId, teamBucket));
    List<Object> args = List.of(
        keyBucket == null ? -1 : Budget.toMicros(keyBudget.limitUsd()),
        teamBucket == null ? -1 : Budget.toMicros(teamBudget.limitUsd()),
        amount,
        keyBucket == null ? 0 : budgetExpiry(keyBudget.period(), now),
        teamBucket == null ? 0 : budgetExpiry(teamBudget.period(), now));
    return run(reserve, keys, args).map(r -> {
      long verdict = r.get(0).toLong();
      long remaining = Math.max(0, r.get(1).toLong());
      if (verdict == 0) {
        return new BudgetDecision.Reserved(new Reservation(keyId, keyBucket, teamId, teamBucket, amount));
      }
      return new BudgetDecision.Refused(verdict == 1 ? Scope.KEY : Scope.TEAM, Budget.fromMicros(remaining));
    });
  }

  @Override
  public Future<Void> settle(Reservation r, BigDecimal actualCostUsd) {
    if (!r.markSettled()) {
      return Future.succeededFuture();
    }
    long delta = Budget.toMicros(actualCostUsd) - r.micros;
    return run(adjust,
        List.of(budgetKey(Scope.KEY, r.keyId, r.keyBucket), budgetKey(Scope.TEAM, r.teamId, r.teamBucket)),
        List.of(r.keyBucket == null ? 0 : delta, r.teamBucket == null ? 0 : delta))
        .mapEmpty();
  }

  @Override
  public Future<Boolean> seed(Scope scope, String id, BudgetPeriod period, BigDecimal spentUsd, Instant now) {
    return run(seed, List.of(budgetKey(scope, id, period.bucket(now))),
        List.of(Budget.toMicros(spentUsd), budgetExpiry(period, now)))
        .map(r -> r.toLong() == 1);
  }

  @Override
  public Future<BigDecimal> spent(Scope scope, String id, BudgetPeriod period, Instant now) {
    return redis.send(Request.cmd(Command.GET).arg(budgetKey(scope, id, period.bucket(now))))
        .map(r -> Budget.fromMicros(r == null ? 0 : r.toLong()));
  }

  @Override
  public Future<RateDecision> admit(RateLimits limits, long estimatedTokens, Instant now) {
    long nowMs = now.toEpochMilli();
    long index = SlidingWindow.index(nowMs);
    long elapsed = SlidingWindow.elapsed(nowMs);
    long[] limitOf = limits.byWindow();
    long[] costOf = {1, estimatedTokens, 1, estimatedTokens};
    RateWindow[] all = RateWindow.values();
    String[] keys = new String[8];
    Object[] args = new Object[11];
    args[0] = elapsed;
    args[1] = SlidingWindow.WINDOW_MS;
    // Relative, from the caller's clock: a counter lives until it has served as the previous minute.
    args[2] = (index + 2) * SlidingWindow.WINDOW_MS - nowMs;
    for (int i = 0; i < 4; i++) {
      String id = all[i].scope() == Scope.KEY ? limits.keyId() : limits.teamId();
      keys[2 * i] = rateKey(all[i], id, index);
      keys[2 * i + 1] = rateKey(all[i], id, index - 1);
      args[3 + 2 * i] = limitOf[i];
      args[4 + 2 * i] = costOf[i];
    }
    TokenCharge charge = new TokenCharge(limits.keyId(), limitOf[1] >= 0, limits.teamId(), limitOf[3] >= 0,
        index, estimatedTokens);
    return run(admit, List.of(keys), List.of(args)).map(r -> {
      SlidingWindow.State[] states = new SlidingWindow.State[4];
      for (int i = 0; i < 4; i++) {
        if (limitOf[i] >= 0) {
          states[i] = new SlidingWindow.State(all[i], limitOf[i], costOf[i],
              r.get(1 + 2 * i).toLong(), r.get(2 + 2 * i).toLong());
        }
      }
      return SlidingWindow.decide(r.get(0).toLong() == 1, states, elapsed, charge);
    });
  }

  @Override
  public Future<Void> correctTokens(TokenCharge charge, long actualTokens) {
    if (!charge.markCorrected()) {
      return Future.succeededFuture();
    }
    long delta = actualTokens - charge.estimatedTokens;
    return run(adjust,
        List.of(rateKey(RateWindow.KEY_TOKENS, charge.keyId, charge.windowIndex),
            rateKey(RateWindow.TEAM_TOKENS, charge.teamId, charge.windowIndex)),
        List.of(charge.keyCounted ? delta : 0, charge.teamCounted ? delta : 0))
        .mapEmpty();
  }

  @Override
  public Future<Void> close() {
    return redis.close();
  }

  // ---------------------------------------------------------------- keys and scripts

  /** An unused counter still needs a key name for the script's KEYS list; it is never read or written. */
  private static String budgetKey(Scope scope, String id, String bucket) {
    return bucket == null ? PREFIX + "unused" : PREFIX + "budget:" + scope.tag() + ":" + id + ":" + bucket;
  }

  private static String rateKey(RateWindow window, String id, long index) {
    return id == null ? PREFIX + "unused" : PREFIX + "rate:" + window.cell(id) + ":" + index;
  }

  /**
   * Time to live of a budget counter: until a day after its period ends. Relative to the caller's clock
   * (PEXPIRE, not PEXPIREAT) so a skew between gateway and Redis clocks cannot expire a live counter early.
   */
  private static long budgetExpiry(BudgetPeriod period, Instant now) {
    Instant end = period.end(now);
    return end == null ? 0 : end.toEpochMilli() + EXPIRY_GRACE_MS - now.toEpochMilli();
  }

  private Future<Response> run(Script script, List<String> keys, List<?> args) {
    return redis.send(script.request(Command.EVALSHA, script.sha, keys, args))
        .recover(err -> err.getMessage() != null && err.getMessage().startsWith("NOSCRIPT")
            ? redis.send(script.request(Command.EVAL, script.source, keys, args))
            : Future.failedFuture(err));
  }

  private record Script(String source, String sha) {
    static Script load(String name) {
      try (InputStream in = RedisCounters.class.getResourceAsStream(name)) {
        String source = new String(Objects.requireNonNull(in, name).readAllBytes(), StandardCharsets.UTF_8);
        byte[] digest = java.security.MessageDigest.getInstance("SHA-1").digest(source.getBytes(StandardCharsets.UTF_8));
        return new Script(source, java.util.HexFormat.of().formatHex(digest));
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      } catch (java.security.NoSuchAlgorithmException e) {
        throw new IllegalStateException(e);
      }
    }

    Request request(Command command, String first, List<String> keys, List<?> args) {
      Request req = Request.cmd(command).arg(first).arg(keys.size());
      keys.forEach(req::arg);
      args.forEach(a -> req.arg(String.valueOf(a)));
      return req;
    }
  }
}
