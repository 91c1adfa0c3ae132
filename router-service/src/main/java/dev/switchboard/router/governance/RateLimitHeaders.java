package dev.switchboard.router.governance;

import dev.switchboard.governance.counters.Quota;
import dev.switchboard.governance.counters.RateDecision;
import java.time.Duration;
import java.util.List;

/** OpenAI's {@code x-ratelimit-*} headers from a rate decision, so clients' existing backoff logic works unchanged. */
final class RateLimitHeaders {
  private RateLimitHeaders() {}

  static void add(RateDecision d, List<String[]> headers) {
    add("requests", d.requests(), headers);
    add("tokens", d.tokens(), headers);
    if (!d.allowed() && d.retryAfter() != null) {
      headers.add(new String[] {"retry-after", Long.toString(Math.max(1, ceilSeconds(d.retryAfter())))});
    }
  }

  private static void add(String what, Quota q, List<String[]> headers) {
    if (q == null) return;
    headers.add(new String[] {"x-ratelimit-limit-" + what, Long.toString(q.limit())});
    headers.add(new String[] {"x-ratelimit-remaining-" + what, Long.toString(Math.max(0, q.remaining()))});
    headers.add(new String[] {"x-ratelimit-reset-" + what, duration(q.resetAfter())});
  }

  static long ceilSeconds(Duration d) {
    return (d.toMillis() + 999) / 1000;
  }

  /** Go's duration format as OpenAI sends it: {@code 20ms}, {@code 1s}, {@code 1.5s}, {@code 6m0s}, {@code 1h2m3s}. */
  static String duration(Duration d) {
    long ms = Math.max(0, d.toMillis());
    if (ms < 1000) return ms + "ms";
    long h = ms / 3_600_000;
    long m = ms % 3_600_000 / 60_000;
    long s = ms % 60_000 / 1000;
    long frac = ms % 1000;
    StringBuilder sb = new StringBuilder();
    if (h > 0) sb.append(h).append('h');
    if (h > 0 || m > 0) sb.append(m).append('m');
    sb.append(s);
    if (frac > 0) {
      // milliseconds as a decimal fraction without trailing zeros: 500 -> .5, 50 -> .05, 5 -> .005
      sb.append('.').append((char) ('0' + frac / 100));
      if (frac % 100 > 0) sb.append((char) ('0' + frac / 10 % 10));
      if (frac % 10 > 0) sb.append((char) ('0' + frac % 10));
    }
    return sb.append('s').toString();
  }
}
