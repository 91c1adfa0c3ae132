package dev.switchboard.router.config;

/**
 * The {@code limits:} section: where live budget reservations and rate-limit windows are counted.
 *
 * @param redis {@code redis://host:port} shared by several gateways, or null for in-process counters
 */
public record LimitsConfig(String redis) {
  public static final LimitsConfig DEFAULTS = new LimitsConfig(null);

  /** Whether the counters are shared through Redis. */
  public boolean shared() {
    return redis != null && !redis.isBlank();
  }
}
