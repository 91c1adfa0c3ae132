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

  /**
   * What {@link #take} did.
   *
   * @param taken null when every lease covered the request (it was taken from all); else what was taken from each
   * @param topUp a lease has fallen below half full while a lease is still to be had: worth topping up ahead of need
   * @param wanted per counter, the lease that would fill it (a full lease minus what it holds)
   * @param prev per rate counter, the previous minute's count Redis reported last
   * @param used per rate counter, what Redis reported counted minus what this process holds unused
   */
  record Taken(long[] taken, boolean topUp, long[] wanted, long[] prev, long[] used) {}

  /** The lease in requests: a full lease of a counter is this many of a request's units. */
  private final long leaseRequests;
  private final Map<String, Cell> cells = new HashMap<>();

  Leases(int leaseRequests) {
    this.leaseRequests = leaseRequests;
  }

  /**
   * Takes a request's units from its counters' leases ({@code null} names are not counted): from all of them if every
   * lease covers its unit, else as much as each holds (the rest must be counted in Redis; give it back with
   * {@link #grant} if Redis refuses). One lock for the whole request: the event loops share these cells.
   */
  synchronized Taken take(String[] redisKeys, long[] units, long nowNanos) {
    int n = redisKeys.length;
    Cell[] cs = new Cell[n];
    boolean covered = true;
    for (int i = 0; i < n; i++) {
      if (redisKeys[i] == null) continue;
      cs[i] = cells.get(redisKeys[i]);
      if (cs[i] == null || cs[i].available < units[i]) covered = false;
    }
    long[] taken = covered ? null : new long[n];
    long[] wanted = new long[n];
    long[] prev = new long[n];
    long[] used = new long[n];
    boolean topUp = false;
    for (int i = 0; i < n; i++) {
      Cell c = cs[i];
      long full = leaseRequests * units[i];
      if (c == null) {
        wanted[i] = redisKeys[i] == null ? 0 : full;
        continue;
      }
      long t = Math.min(c.available, units[i]);
      c.available -= t;
      c.lastUseNanos = nowNanos;
      if (taken != null) taken[i] = t;
      wanted[i] = Math.max(0, full - c.available);
      prev[i] = c.prev;
      used[i] = c.curr - c.available;
      topUp |= units[i] > 0 && c.available < full / 2 && c.room / 8 >= units[i];
    }
    return new Taken(taken, topUp, wanted, prev, used);
  }

  /**
   * Takes what a script call granted, in one lock: records each counter's room and (rate windows) values as Redis
   * reported them, and adds the granted leases, or the units a refused request had taken.
   *
   * @param rooms per counter, the limit minus everything counted; null to record nothing (a refusal)
   * @param amounts per counter, what to add to its lease
   * @return per counter, what would take a lease above twice full, to give back to Redis; and (rate windows) the use
   *     the quota headers report: what Redis counted minus what this process now holds
   */
  synchronized long[][] grant(String[] redisKeys, long[] units, long[] rooms, long[] prevs, long[] currs, long[] amounts,
      long nowNanos) {
    int n = redisKeys.length;
    long[] excess = new long[n];
    long[] used = new long[n];
    for (int i = 0; i < n; i++) {
      if (redisKeys[i] == null) continue;
      Cell c = cells.computeIfAbsent(redisKeys[i], k -> new Cell());
      if (rooms != null) {
        c.room = rooms[i];
        c.prev = prevs[i];
        c.curr = currs[i];
      }
      c.available += amounts[i];
      c.lastUseNanos = nowNanos;
      excess[i] = Math.max(0, c.available - 2 * leaseRequests * units[i]);
      c.available -= excess[i];
      used[i] = c.curr - c.available;
    }
    return new long[][] {excess, used};
  }

  /**
   * Applies a settle's or a token correction's delta to its counters' leases, in one lock: what the request did not use
   * goes back to the lease, up to whole units, twice a full lease and an eighth of the room Redis reported last (near a
   * limit that is nothing, so what one request releases is at once available to every gateway); an overrun is taken
   * from the lease first.
   *
   * @param unit the request's reservation or token estimate
   * @return per counter, what is left for Redis (negative: give back; positive: count)
   */
  synchronized long[] adjust(String[] redisKeys, long delta, long unit, long nowNanos) {
    long[] toRedis = new long[redisKeys.length];
    for (int i = 0; i < redisKeys.length; i++) {
      if (redisKeys[i] == null || delta == 0) continue;
      Cell c = cells.computeIfAbsent(redisKeys[i], k -> new Cell());
      c.lastUseNanos = nowNanos;
      if (delta > 0) {
        long t = Math.min(c.available, delta);
        c.available -= t;
        toRedis[i] = delta - t;
      } else {
        long cap = unit <= 0 ? 0 : Math.min(2 * leaseRequests * unit, c.room / 8) / unit * unit;
        long keep = Math.max(0, Math.min(-delta, cap - c.available));
        c.available += keep;
        toRedis[i] = delta + keep;
      }
    }
    return toRedis;
  }

  /** What this process holds of a counter (0 when nothing). */
  synchronized long held(String redisKey) {
    Cell c = cells.get(redisKey);
    return c == null ? 0 : c.available;
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
