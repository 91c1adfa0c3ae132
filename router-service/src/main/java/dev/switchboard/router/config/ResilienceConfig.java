package dev.switchboard.router.config;

/**
 * The {@code resilience:} section: backoff between retries and the per-deployment circuit breaker.
 *
 * @param backoffBaseMs first retry waits about this long (full jitter: uniform in [0, base * 2^n])
 * @param backoffMaxMs cap of one backoff wait (and of an honoured {@code Retry-After})
 * @param breakerFailureThreshold consecutive failures that open a deployment's breaker
 * @param breakerOpenMs how long an open breaker rejects calls before one half-open probe
 */
public record ResilienceConfig(long backoffBaseMs, long backoffMaxMs, int breakerFailureThreshold, long breakerOpenMs) {
  /** Every key at its default ({@link ConfigKeys}). */
  public static final ResilienceConfig DEFAULTS = new ResilienceConfig(ConfigKeys.BACKOFF_BASE_MS.defaultLong(),
      ConfigKeys.BACKOFF_MAX_MS.defaultLong(), ConfigKeys.BREAKER_FAILURE_THRESHOLD.defaultInt(), ConfigKeys.BREAKER_OPEN_MS.defaultLong());
}
