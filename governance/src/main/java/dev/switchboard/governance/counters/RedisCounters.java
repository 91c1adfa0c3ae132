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
 *
 * Leases (Leases has the why). A round trip per check and per settle, four per request, made Redis the gateway's
 * bottleneck: +3.2 ms p50 and 15% of the auth-off throughput at 16 connections (bench/governance.sh). So each script
 * that counts a request also takes a lease of up to leaseRequests more such requests (never more than an eighth of
 * the room left), and the next requests are checked and counted against the lease in memory; settling a request and
 * correcting its token estimate give the unused part back to the lease. Nothing is used that Redis has not counted,
 * so no limit is exceeded across gateways; a lease unused for LEASE_IDLE_MS goes back to Redis, and close() returns
 * all of them. leaseRequests = 0 turns leases off: every check is a script call, exact across gateways to the unit.
 */
/** Counters in Redis, shared by every gateway process that points at the same server. */
public final class RedisCounters implements LiveCounters {

  private static final String PREFIX = "sb:";
  private static final long EXPIRY_GRACE_MS = 24 * 60 * 60 * 1000L;

  /** Unused leases go back to Redis after this long, so another gateway near a limit can have them. */
  static final long LEASE_IDLE_MS = 1_000;
  /** The default lease: capacity for this many more requests like the one that takes it. */
  public static final int DEFAULT_LEASE_REQUESTS = 32;

  private final Redis redis;
  private final Vertx vertx;
  private final int leaseRequests;
  private final Leases leases;
  /**
   * The lease-taking script call under way per counter (the key's, else the team's). Requests that find the lease
   * empty while one is under way wait for it and try the lease again, rather than each making its own call: at 16
   * connections a lease running out otherwise sent all 16 to Redis, and their 16 leases mostly came straight back.
   */
  private final java.util.concurrent.ConcurrentHashMap<String, Future<?>> refilling = new java.util.concurrent.ConcurrentHashMap<>();
  private final long sweepTimer;
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
    this(vertx, redisUrl, DEFAULT_LEASE_REQUESTS);
  }

  /**
   * Connects (lazily, pooled) to a Redis server, with leases of a given size.
   *
   * @param vertx the gateway's Vert.x instance
   * @param redisUrl {@code redis://host:port}, optionally with a password and database
   * @param leaseRequests how many more requests' worth a check takes as a lease; 0 for none (a script call per check)
   */
  public RedisCounters(Vertx vertx, String redisUrl, int leaseRequests) {
    this(vertx, options(redisUrl), leaseRequests);
  }

  /**
   * The client options every gateway component that talks to {@code limits.redis} uses (the counters, the response cache).
   *
   * @param redisUrl {@code redis://host:port}, optionally with a password and database
   * @return the options
   */
  public static RedisOptions options(String redisUrl) {
    return new RedisOptions()
        .setConnectionString(redisUrl)
        .setMaxPoolSize(8)
        // Bursts queue for a pooled connection rather than fail: each command takes well under a millisecond.
        .setMaxPoolWaiting(4096);
  }

  /**
   * Connects with full control over the client options (TLS, pool sizes, sentinel...).
   *
   * @param vertx the gateway's Vert.x instance
   * @param options the client options
   * @param leaseRequests how many more requests' worth a check takes as a lease; 0 for none
   */
  public RedisCounters(Vertx vertx, RedisOptions options, int leaseRequests) {
    if (leaseRequests < 0) throw new IllegalArgumentException("leaseRequests must be at least 0: " + leaseRequests);
    this.vertx = Objects.requireNonNull(vertx, "vertx");
    this.redis = Redis.createClient(vertx, options);
    this.leaseRequests = leaseRequests;
    this.leases = new Leases(leaseRequests);
    this.sweepTimer = leaseRequests == 0 ? -1 : vertx.setPeriodic(LEASE_IDLE_MS, t -> giveBack(LEASE_IDLE_MS));
  }

  @Override
  public Future<BudgetDecision> reserve(String keyId, Budget keyBudget, String teamId, Budget teamBudget,
      BigDecimal maxCostUsd, Instant now) {
    return reserve(keyId, keyBudget, teamId, teamBudget, maxCostUsd, now, false);
  }

  private Future<BudgetDecision> reserve(String keyId, Budget keyBudget, String teamId, Budget teamBudget,
      BigDecimal maxCostUsd, Instant now, boolean waited) {
    long amount = Budget.toMicros(maxCostUsd);
    String keyBucket = keyBudget == null ? null : keyBudget.period().bucket(now);
    String teamBucket = teamBudget == null || teamId == null ? null : teamBudget.period().bucket(now);
    Reservation reservation = new Reservation(keyId, keyBucket, teamId, teamBucket, amount);
    if (keyBucket == null && teamBucket == null) return Future.succeededFuture(new BudgetDecision.Reserved(reservation));
    Budget[] budgets = {keyBucket == null ? null : keyBudget, teamBucket == null ? null : teamBudget};
    String[] cells = {keyBucket == null ? null : budgetKey(Scope.KEY, keyId, keyBucket),
        teamBucket == null ? null : budgetKey(Scope.TEAM, teamId, teamBucket)};
    long[] units = {amount, amount};
    Leases.Taken t = leaseRequests == 0 ? null : leases.take(cells, units, System.nanoTime());
    if (t != null && t.taken() == null) { // both leases covered it
      if (t.topUp() && !refilling.containsKey(flightKey(cells))) {
        reserveCall(cells, budgets, now, new long[2], present(cells, units), t.wanted())
            .onSuccess(r -> granted(cells, units, r.get(0).toLong() == 0 ? r : null));
      }
      return Future.succeededFuture(new BudgetDecision.Reserved(reservation));
    }
    long[] taken = t == null ? new long[2] : t.taken();
    Future<?> underWay = waited ? null : underWay(cells, units, taken);
    if (underWay != null) {
      return afterwardsHere(underWay, () -> reserve(keyId, keyBudget, teamId, teamBudget, maxCostUsd, now, true));
    }
    long[] wanted = t == null ? new long[2] : t.wanted();
    return reserveCall(cells, budgets, now, new long[] {amount - taken[0], amount - taken[1]}, taken, wanted).map(r -> {
      long verdict = r.get(0).toLong();
      if (verdict == 0) {
        granted(cells, units, r);
        return new BudgetDecision.Reserved(reservation);
      }
      giveBack(cells, units, taken); // not used: back to the lease
      return new BudgetDecision.Refused(verdict == 1 ? Scope.KEY : Scope.TEAM, Budget.fromMicros(Math.max(0, r.get(1).toLong())));
    });
  }

  /** One reserve.lua call: {@code need} to count per counter, {@code taken} from its lease, {@code wanted} as leases. */
  private Future<Response> reserveCall(String[] cells, Budget[] budgets, Instant now, long[] need, long[] taken, long[] wanted) {
    List<Object> args = List.of(
        cells[0] == null ? -1 : Budget.toMicros(budgets[0].limitUsd()),
        cells[1] == null ? -1 : Budget.toMicros(budgets[1].limitUsd()),
        need[0], need[1],
        cells[0] == null ? 0 : budgetExpiry(budgets[0].period(), now),
        cells[1] == null ? 0 : budgetExpiry(budgets[1].period(), now),
        wanted[0], wanted[1], taken[0], taken[1]);
    return refill(cells, run(reserve, List.of(unusedOr(cells[0]), unusedOr(cells[1])), args));
  }

  /** Takes the leases and rooms a reserve.lua reply granted ({@code null}: a refusal, nothing granted). */
  private void granted(String[] cells, long[] units, Response r) {
    if (r == null || leaseRequests == 0) return;
    long[] rooms = {r.get(3).toLong(), r.get(4).toLong()};
    long[] granted = {r.get(1).toLong(), r.get(2).toLong()};
    returnExcess(cells, leases.grant(cells, units, rooms, new long[2], new long[2], granted, System.nanoTime())[0]);
  }

  @Override
  public Future<Void> settle(Reservation r, BigDecimal actualCostUsd) {
    if (!r.markSettled()) {
      return Future.succeededFuture();
    }
    long delta = Budget.toMicros(actualCostUsd) - r.micros;
    return adjust(r.keyBucket == null ? null : budgetKey(Scope.KEY, r.keyId, r.keyBucket),
        r.teamBucket == null ? null : budgetKey(Scope.TEAM, r.teamId, r.teamBucket), delta, r.micros);
  }

  @Override
  public Future<Boolean> seed(Scope scope, String id, BudgetPeriod period, BigDecimal spentUsd, Instant now) {
    return run(seed, List.of(budgetKey(scope, id, period.bucket(now))),
        List.of(Budget.toMicros(spentUsd), budgetExpiry(period, now)))
        .map(r -> r.toLong() == 1);
  }

  @Override
  public Future<BigDecimal> spent(Scope scope, String id, BudgetPeriod period, Instant now) {
    String cell = budgetKey(scope, id, period.bucket(now));
    return redis.send(Request.cmd(Command.GET).arg(cell))
        .map(r -> Budget.fromMicros(Math.max(0, (r == null ? 0 : r.toLong()) - leases.held(cell)))); // leased is not spent
  }

  @Override
  public Future<RateDecision> admit(RateLimits limits, long estimatedTokens, Instant now) {
    return admit(limits, estimatedTokens, now, false);
  }

  private Future<RateDecision> admit(RateLimits limits, long estimatedTokens, Instant now, boolean waited) {
    long nowMs = now.toEpochMilli();
    long index = SlidingWindow.index(nowMs);
    long elapsed = SlidingWindow.elapsed(nowMs);
    long[] limitOf = limits.byWindow();
    long[] costOf = {1, estimatedTokens, 1, estimatedTokens};
    RateWindow[] all = RateWindow.values();
    String[] cells = new String[4];
    String[] keys = new String[8];
    for (int i = 0; i < 4; i++) {
      String id = all[i].scope() == Scope.KEY ? limits.keyId() : limits.teamId();
      keys[2 * i] = rateKey(all[i], id, index);
      keys[2 * i + 1] = rateKey(all[i], id, index - 1);
      cells[i] = limitOf[i] >= 0 ? keys[2 * i] : null;
    }
    TokenCharge charge = new TokenCharge(limits.keyId(), limitOf[1] >= 0, limits.teamId(), limitOf[3] >= 0,
        index, estimatedTokens);
    Leases.Taken t = leaseRequests == 0 ? null : leases.take(cells, costOf, System.nanoTime());
    if (t != null && t.taken() == null) { // every window's lease covered it: decided here, quotas from the counters as last seen
      if (t.topUp() && !refilling.containsKey(flightKey(cells))) {
        admitCall(keys, cells, limitOf, new long[4], present(cells, costOf), t.wanted(), nowMs)
            .onSuccess(r -> granted(cells, limitOf, costOf, elapsed, r.get(0).toLong() == 1 ? r : null, null));
      }
      return Future.succeededFuture(SlidingWindow.decide(true, states(cells, limitOf, costOf, t.prev(), t.used()), elapsed, charge));
    }
    long[] taken = t == null ? new long[4] : t.taken();
    Future<?> underWay = waited ? null : underWay(cells, costOf, taken);
    if (underWay != null) {
      return afterwardsHere(underWay, () -> admit(limits, estimatedTokens, now, true));
    }
    long[] need = new long[4];
    for (int i = 0; i < 4; i++) need[i] = costOf[i] - taken[i];
    return admitCall(keys, cells, limitOf, need, taken, t == null ? new long[4] : t.wanted(), nowMs).map(r -> {
      boolean allowed = r.get(0).toLong() == 1;
      long[] used = granted(cells, limitOf, costOf, elapsed, r, allowed ? null : taken);
      long[] prev = new long[4];
      for (int i = 0; i < 4; i++) prev[i] = r.get(1 + 3 * i).toLong();
      return SlidingWindow.decide(allowed, states(cells, limitOf, costOf, prev, used), elapsed, charge);
    });
  }

  /** One admit.lua call: {@code need} to count per window, {@code taken} from its lease, {@code wanted} as leases. */
  private Future<Response> admitCall(String[] keys, String[] cells, long[] limitOf, long[] need, long[] taken, long[] wanted,
      long nowMs) {
    long index = SlidingWindow.index(nowMs);
    Object[] args = new Object[19];
    args[0] = SlidingWindow.elapsed(nowMs);
    args[1] = SlidingWindow.WINDOW_MS;
    // Relative, from the caller's clock: a counter lives until it has served as the previous minute.
    args[2] = (index + 2) * SlidingWindow.WINDOW_MS - nowMs;
    for (int i = 0; i < 4; i++) {
      args[3 + 4 * i] = limitOf[i];
      args[4 + 4 * i] = need[i];
      args[5 + 4 * i] = taken[i];
      args[6 + 4 * i] = wanted[i];
    }
    return refill(cells, run(admit, List.of(keys), List.of(args)));
  }

  /**
   * Records what an admit.lua reply said of each window and takes the leases it granted; for a denied request
   * ({@code returned} non-null) gives back what it had taken from the leases instead.
   *
   * @return per window, the use the quota headers report: what Redis counts minus what this process holds unused
   */
  private long[] granted(String[] cells, long[] limitOf, long[] costOf, long elapsed, Response r, long[] returned) {
    long[] used = new long[4];
    if (r == null) return used;
    long[] rooms = new long[4];
    long[] prevs = new long[4];
    long[] currs = new long[4];
    long[] amounts = new long[4];
    for (int i = 0; i < 4; i++) {
      prevs[i] = r.get(1 + 3 * i).toLong();
      currs[i] = r.get(2 + 3 * i).toLong();
      rooms[i] = limitOf[i] < 0 ? 0 : (long) Math.floor(limitOf[i] - SlidingWindow.estimate(prevs[i], currs[i], elapsed));
      amounts[i] = returned == null ? r.get(3 + 3 * i).toLong() : returned[i];
    }
    if (leaseRequests == 0) return currs;
    long[][] excessAndUsed = leases.grant(cells, costOf, rooms, prevs, currs, amounts, System.nanoTime());
    returnExcess(cells, excessAndUsed[0]);
    return excessAndUsed[1];
  }

  private static SlidingWindow.State[] states(String[] cells, long[] limitOf, long[] costOf, long[] prev, long[] used) {
    SlidingWindow.State[] states = new SlidingWindow.State[4];
    for (int i = 0; i < 4; i++) {
      if (cells[i] != null) {
        states[i] = new SlidingWindow.State(RateWindow.values()[i], limitOf[i], costOf[i], prev[i], used[i]);
      }
    }
    return states;
  }

  @Override
  public Future<Void> correctTokens(TokenCharge charge, long actualTokens) {
    if (!charge.markCorrected()) {
      return Future.succeededFuture();
    }
    return adjust(charge.keyCounted ? rateKey(RateWindow.KEY_TOKENS, charge.keyId, charge.windowIndex) : null,
        charge.teamCounted ? rateKey(RateWindow.TEAM_TOKENS, charge.teamId, charge.windowIndex) : null,
        actualTokens - charge.estimatedTokens, charge.estimatedTokens);
  }

  /**
   * Applies a settle's or a correction's delta to two counters: with leases, what was not used goes back to the lease
   * and an overrun is taken from it first ({@link Leases#adjust}); what is left is one script call.
   *
   * @param unit the request's reservation or token estimate, the unit leases are sized in
   */
  private Future<Void> adjust(String first, String second, long delta, long unit) {
    String[] cells = {first, second};
    long[] toRedis = leaseRequests == 0 ? new long[] {first == null ? 0 : delta, second == null ? 0 : delta}
        : leases.adjust(cells, delta, unit, System.nanoTime());
    if (toRedis[0] == 0 && toRedis[1] == 0) return Future.succeededFuture();
    return run(adjust, List.of(unusedOr(first), unusedOr(second)), List.of(toRedis[0], toRedis[1])).mapEmpty();
  }

  /**
   * The lease-taking call under way for these counters, if any; then what this request took from the leases goes back
   * (it takes again once the call has brought the new lease).
   */
  private Future<?> underWay(String[] cells, long[] units, long[] taken) {
    if (leaseRequests == 0) return null;
    Future<?> f = refilling.get(flightKey(cells));
    if (f != null) giveBack(cells, units, taken);
    return f;
  }

  /**
   * Runs {@code next} once {@code call} completes, on the caller's own event loop. The call may have been made from the
   * other event loop; continuing on its thread would move the waiting request (its upstream call, its response) to a
   * loop that does not own its connection, and one loop ended up doing the work of both (throughput halved in
   * bench/governance.sh in some runs).
   */
  private static <T> Future<T> afterwardsHere(Future<?> call, java.util.function.Supplier<Future<T>> next) {
    io.vertx.core.Context here = Vertx.currentContext();
    io.vertx.core.Promise<T> result = io.vertx.core.Promise.promise();
    call.onComplete(ignored -> {
      if (here == null || here == Vertx.currentContext()) {
        next.get().onComplete(result);
      } else {
        here.runOnContext(v -> next.get().onComplete(result));
      }
    });
    return result.future();
  }

  /** Puts what a request had taken back into the leases. */
  private void giveBack(String[] cells, long[] units, long[] taken) {
    if (leaseRequests == 0) return;
    long[] none = new long[cells.length];
    returnExcess(cells, leases.grant(cells, units, null, none, none, taken, System.nanoTime())[0]);
  }

  /** The units of the counters that are counted (0 for the absent): a top-up call says each is covered by a lease. */
  private static long[] present(String[] cells, long[] units) {
    long[] out = new long[cells.length];
    for (int i = 0; i < cells.length; i++) out[i] = cells[i] == null ? 0 : units[i];
    return out;
  }

  /** Registers a lease-taking call as under way for these counters until it completes. */
  private <T> Future<T> refill(String[] cells, Future<T> call) {
    if (leaseRequests == 0) return call;
    String k = flightKey(cells);
    refilling.put(k, call);
    return call.andThen(ar -> refilling.remove(k, call));
  }

  private static String flightKey(String[] cells) {
    for (String c : cells) {
      if (c != null) return c;
    }
    return "";
  }

  /** Gives back to Redis what would have taken leases above twice full. */
  private void returnExcess(String[] cells, long[] excess) {
    List<String> keys = new java.util.ArrayList<>();
    List<Long> deltas = new java.util.ArrayList<>();
    for (int i = 0; i < cells.length; i++) {
      if (cells[i] != null && excess[i] > 0) {
        keys.add(cells[i]);
        deltas.add(-excess[i]);
      }
    }
    if (!keys.isEmpty()) run(adjust, keys, deltas);
  }

  /** Gives leases unused for {@code idleMs} (all with 0) back to Redis, in one script call. */
  private Future<Void> giveBack(long idleMs) {
    List<Leases.Return> returns = leases.drainIdle(System.nanoTime(), idleMs * 1_000_000);
    if (returns.isEmpty()) return Future.succeededFuture();
    return run(adjust, returns.stream().map(Leases.Return::redisKey).toList(),
        returns.stream().map(ret -> -ret.amount()).toList()).mapEmpty();
  }

  @Override
  public Future<Void> close() {
    if (sweepTimer >= 0) vertx.cancelTimer(sweepTimer);
    return giveBack(0).transform(ignored -> redis.close());
  }

  // ---------------------------------------------------------------- keys and scripts

  private static String budgetKey(Scope scope, String id, String bucket) {
    return PREFIX + "budget:" + scope.tag() + ":" + id + ":" + bucket;
  }

  /** An unused counter still needs a key name for the script's KEYS list; it is never read or written. */
  private static String unusedOr(String key) {
    return key == null ? PREFIX + "unused" : key;
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
