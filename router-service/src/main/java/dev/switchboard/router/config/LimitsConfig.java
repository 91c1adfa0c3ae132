package dev.switchboard.router.config;

/**
 * The {@code limits:} section: where live budget reservations and rate-limit windows are counted.
 *
 * @param redis {@code redis://host:port} shared by several gateways, or null for in-process counters
 * @param leaseRequests with Redis, how many more requests' worth of capacity a counting call leases (0: none)
 * @param downgradeQualityFactor what a downgraded request's quality target is multiplied by (budget-aware routing)
 */
public record LimitsConfig(String redis, int leaseRequests, double downgradeQualityFactor) {
  public static final LimitsConfig DEFAULTS = new LimitsConfig(null, ConfigKeys.LIMITS_LEASE_REQUESTS.defaultInt(), ConfigKeys.DOWNGRADE_QUALITY_FACTOR.defaultDouble());

  /** Whether the counters are shared through Redis. */
  public boolean shared() {
    return redis != null && !redis.isBlank();
  }
}
