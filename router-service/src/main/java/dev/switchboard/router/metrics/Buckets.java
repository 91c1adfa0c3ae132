package dev.switchboard.router.metrics;

import java.time.Duration;

/**
 * The bucket bounds of the gateway's latency histograms: fixed, few and documented (README, "Metrics"). Micrometer's
 * default percentile histogram exported ~94 buckets per label set (issue #17), which multiplied by route × deployment
 * × status made scrapes and Prometheus' storage grow for resolution nobody reads; a fixed set also keeps every
 * gateway's buckets the same, so histograms aggregate across instances.
 */
public final class Buckets {
  private Buckets() {}

  /**
   * {@code switchboard_request_duration} and {@code switchboard_upstream_duration}: 16 bounds from 0.5 ms (a cached or
   * refused answer) to 120 s (the longest default deadline), about ×2.5 apart; plus {@code +Inf}.
   */
  public static final Duration[] LATENCY = millis(0.5, 1, 2.5, 5, 10, 25, 50, 100, 250, 500, 1_000, 2_500, 5_000, 10_000, 30_000,
      120_000);

  /** {@code switchboard_classifier_latency}: 12 bounds from 0.1 ms to 2 s (the scoring deadline is 50 ms by default). */
  public static final Duration[] SCORING = millis(0.1, 0.25, 0.5, 1, 2.5, 5, 10, 25, 50, 100, 500, 2_000);

  private static Duration[] millis(double... ms) {
    Duration[] d = new Duration[ms.length];
    for (int i = 0; i < ms.length; i++) d[i] = Duration.ofNanos(Math.round(ms[i] * 1_000_000));
    return d;
  }
}
