package dev.switchboard.governance.counters;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;

/*
 * Design
 * ------
 * A lease is capacity this process has already counted in a Redis counter (budget micro-dollars, or requests and
 * tokens of a minute window) but not yet used. Requests are served from it locally, with no round trip, until it runs
 * out; then one script call counts the request and takes the next lease. So every unit anyone uses was counted in
 * Redis before it was used: the store never hands out more than a limit, across any number of gateways. What a lease
 * costs is the other way round: a unit leased here and unused is unavailable to another gateway until it comes back,
 * so near a limit another gateway may refuse a little early. RedisCounters sizes leases to keep that small (at most
 * an eighth of the room left, and a few dozen requests' worth), and unused leases go back after a second idle.
 *
 * Cells are keyed by the Redis counter's name, which includes the budget period's bucket or the minute's index, so a
 * lease never carries over into another period or minute. One monitor guards all cells: every critical section is a
 * few map and long operations, called from the gateway's two event loops.
 */
/** Capacity taken from Redis counters ahead of need and not yet used, per counter. */
final class Leases {

  /**
   * One counter's lease; the room Redis reported last (its limit minus everything counted, leases included), which
   * bounds what a lease may keep of released capacity; for a rate window the counter values Redis reported last (for
   * the quota headers).
   */
  private static final class Cell {
    long available;
    long lastUseNanos;
    long room;
    long prev;
    long curr;
  }

  /** Capacity to give back to a Redis counter. */
  record Return(String redisKey, long amount) {}

  private final Map<String, Cell> cells = new HashMap<>();

  /**
   * Takes up to {@code amount} from each named counter's lease ({@code null} names are skipped). Either every named
   * lease covers the whole amount and it is taken from all of them, or as much as each holds is taken (the rest must
   * be counted in Redis; give the taken parts back if Redis refuses).
   *
   * @return per name, what was taken; or null when every named lease covered the whole amount
   */
  synchronized long[] take(String[] redisKeys, long[] amounts, long nowNanos) {
    boolean covered = true;
    for (int i = 0; i < redisKeys.length; i++) {
      if (redisKeys[i] == null) continue;
      Cell c = cells.get(redisKeys[i]);
      if (c == null || c.available < amounts[i]) {
        covered = false;
        break;
      }
    }
    long[] taken = covered ? null : new long[redisKeys.length];
    for (int i = 0; i < redisKeys.length; i++) {
      if (redisKeys[i] == null) continue;
      Cell c = cells.get(redisKeys[i]);
      if (c == null) continue;
      long t = Math.min(c.available, amounts[i]);
      c.available -= t;
      c.lastUseNanos = nowNanos;
      if (taken != null) taken[i] = t;
    }
    return taken;
  }

  /** Takes up to {@code amount} from one lease; returns what was taken. */
  synchronized long take(String redisKey, long amount, long nowNanos) {
    Cell c = cells.get(redisKey);
    if (c == null) return 0;
    long t = Math.min(c.available, amount);
    c.available -= t;
    c.lastUseNanos = nowNanos;
    return t;
  }

  /**
   * Adds to a lease (a new lease from Redis, a released reservation, taken parts of a refused request).
   *
   * @param cap the most the lease may hold; what is above it is returned to give back to Redis (0 if nothing)
   */
  synchronized long give(String redisKey, long amount, long cap, long nowNanos) {
    if (amount <= 0) return 0;
    Cell c = cells.computeIfAbsent(redisKey, k -> new Cell());
    c.available += amount;
    c.lastUseNanos = nowNanos;
    long excess = Math.max(0, c.available - cap);
    c.available -= excess;
    return excess;
  }

  /** Records a counter's room and (for a rate window, else 0) its values as Redis reported them. */
  synchronized void observed(String redisKey, long room, long prev, long curr) {
    Cell c = cells.computeIfAbsent(redisKey, k -> new Cell());
    c.room = room;
    c.prev = prev;
    c.curr = curr;
  }

  /** The room Redis reported last for a counter (0 when never seen). */
  synchronized long room(String redisKey) {
    Cell c = cells.get(redisKey);
    return c == null ? 0 : c.room;
  }

  /** What this process holds of a counter (0 when nothing). */
  synchronized long held(String redisKey) {
    Cell c = cells.get(redisKey);
    return c == null ? 0 : c.available;
  }

  /** The last previous-minute value Redis reported for a rate counter. */
  synchronized long prev(String redisKey) {
    Cell c = cells.get(redisKey);
    return c == null ? 0 : c.prev;
  }

  /** The last current-minute value Redis reported for a rate counter (leases included). */
  synchronized long curr(String redisKey) {
    Cell c = cells.get(redisKey);
    return c == null ? 0 : c.curr;
  }

  /** Removes the leases unused for {@code idleNanos} (all of them with 0) and returns them to give back. */
  synchronized List<Return> drainIdle(long nowNanos, long idleNanos) {
    List<Return> out = new ArrayList<>();
    for (Iterator<Map.Entry<String, Cell>> it = cells.entrySet().iterator(); it.hasNext(); ) {
      Map.Entry<String, Cell> e = it.next();
      if (nowNanos - e.getValue().lastUseNanos < idleNanos) continue;
      if (e.getValue().available > 0) out.add(new Return(e.getKey(), e.getValue().available));
      it.remove();
    }
    return out;
  }
}
