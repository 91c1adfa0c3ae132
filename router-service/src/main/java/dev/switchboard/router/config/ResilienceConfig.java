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
  public static final ResilienceConfig DEFAULTS = new ResilienceConfig(100, 5_000, 5, 30_000);
}
