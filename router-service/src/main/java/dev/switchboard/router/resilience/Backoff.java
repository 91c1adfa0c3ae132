package dev.switchboard.router.resilience;

import dev.switchboard.router.config.ResilienceConfig;
import java.util.function.DoubleSupplier;

/** Retry delays: exponential backoff with full jitter, or the provider's Retry-After when given. */
public final class Backoff {
  private Backoff() {}

  /**
   * Delay before retry number {@code retry} (1 = first retry). A provider's {@code Retry-After}
   * wins over the computed delay (it knows its quota window) but is capped at
   * {@code backoffMaxMs}: a provider asking for minutes is better served by the next deployment.
   *
   * @param random uniform in [0, 1)
   */
  public static long delayMs(int retry, long retryAfterMs, ResilienceConfig config, DoubleSupplier random) {
    if (retryAfterMs >= 0) return Math.min(retryAfterMs, config.backoffMaxMs());
    double ceiling = Math.min((double) config.backoffMaxMs(), config.backoffBaseMs() * Math.pow(2, retry - 1));
    return (long) (random.getAsDouble() * ceiling);
  }
}
