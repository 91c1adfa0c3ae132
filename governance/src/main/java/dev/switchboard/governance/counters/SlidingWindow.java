package dev.switchboard.governance.counters;

import java.time.Duration;

/*
 * Why the two-window weighted approximation and not a precise log
 * ----------------------------------------------------------------
 * A precise sliding log keeps one entry per request (a Redis sorted set per key); for TPM that would be one
 * entry per request carrying its token count, and every check would sum the entries of the last minute.
 * The approximation keeps two integers per limit: the count of the current fixed minute and of the previous
 * one, and estimates the last 60 s as previous × (unelapsed share of this minute) + current. That is O(1)
 * memory and work per check, a handful of GET/INCRBY in one Lua script, and the same arithmetic here and in
 * Redis. Its error is bounded: it assumes the previous minute's traffic was spread evenly; Cloudflare
 * measured 0.003% of requests wrongly allowed or limited on real traffic with this scheme.
 *
 * The Lua scripts evaluate fits() with the same operations in the same order, so both implementations
 * decide identically for the same counters.
 */
/** Arithmetic of the weighted two-window estimate, shared by both counter implementations. */
final class SlidingWindow {

  static final long WINDOW_MS = 60_000;

  private SlidingWindow() {}

  static long index(long nowMs) {
    return Math.floorDiv(nowMs, WINDOW_MS);
  }

  static long elapsed(long nowMs) {
    return Math.floorMod(nowMs, WINDOW_MS);
  }

  /** Estimated use over the last 60 s. */
  static double estimate(long prev, long curr, long elapsedMs) {
    return (double) prev * (WINDOW_MS - elapsedMs) / WINDOW_MS + curr;
  }

  static boolean fits(long limit, long cost, long prev, long curr, long elapsedMs) {
    return estimate(prev, curr, elapsedMs) + cost <= limit;
  }

  static long remaining(long limit, long prev, long curr, long elapsedMs) {
    return Math.max(0, (long) Math.floor(limit - estimate(prev, curr, elapsedMs)));
  }

  /** Until the estimate reaches zero: the current minute's use weighs in until the end of the next one. */
  static Duration resetAfter(long prev, long curr, long elapsedMs) {
    if (curr > 0) {
      return Duration.ofMillis(2 * WINDOW_MS - elapsedMs);
    }
    return prev > 0 ? Duration.ofMillis(WINDOW_MS - elapsedMs) : Duration.ZERO;
  }

  /**
   * How long until {@code cost} more would fit, assuming no other traffic, or {@code null} if it never can.
   */
  static Duration retryAfter(long limit, long cost, long prev, long curr, long elapsedMs) {
    if (cost > limit) {
      return null;
    }
    if (fits(limit, cost, prev, curr, elapsedMs)) {
      return Duration.ZERO;
    }
    if (curr + cost <= limit) {
      // Fits later in this minute, once enough of the previous minute's weight has slid out.
      double at = WINDOW_MS - (double) WINDOW_MS * (limit - cost - curr) / prev;
      return Duration.ofMillis(Math.max(0, (long) Math.ceil(at - elapsedMs)));
    }
    // Needs the next minute, where this minute's count becomes the sliding-out previous one.
    double at = curr == 0 ? 0 : WINDOW_MS - (double) WINDOW_MS * (limit - cost) / curr;
    return Duration.ofMillis(WINDOW_MS - elapsedMs + Math.max(0, (long) Math.ceil(at)));
  }

  /** The counters of one window as the store saw them (after charging, when admitted). */
  record State(RateWindow window, long limit, long cost, long prev, long curr) {}

  /**
   * Builds the decision from the four windows' states; {@code null} entries are unlimited windows.
   *
   * @param allowed what the store decided (atomically, with the same {@link #fits} rule)
   */
  static RateDecision decide(boolean allowed, State[] states, long elapsedMs, TokenCharge charge) {
    RateWindow deniedBy = null;
    Duration retry = Duration.ZERO;
    if (!allowed) {
      for (State s : states) {
        if (s != null && !fits(s.limit, s.cost, s.prev, s.curr, elapsedMs)) {
          deniedBy = deniedBy == null ? s.window : deniedBy;
          Duration wait = retryAfter(s.limit, s.cost, s.prev, s.curr, elapsedMs);
          retry = wait == null || retry == null ? null : (wait.compareTo(retry) > 0 ? wait : retry);
        }
      }
    }
    Quota requests = tighter(quota(states[0], elapsedMs), quota(states[2], elapsedMs));
    Quota tokens = tighter(quota(states[1], elapsedMs), quota(states[3], elapsedMs));
    return new RateDecision(allowed, deniedBy, requests, tokens, allowed ? null : retry, allowed ? charge : null);
  }

  private static Quota quota(State s, long elapsedMs) {
    return s == null ? null
        : new Quota(s.limit, remaining(s.limit, s.prev, s.curr, elapsedMs), resetAfter(s.prev, s.curr, elapsedMs));
  }

  private static Quota tighter(Quota key, Quota team) {
    if (key == null || team == null) {
      return key == null ? team : key;
    }
    return team.remaining() < key.remaining() ? team : key;
  }
}
