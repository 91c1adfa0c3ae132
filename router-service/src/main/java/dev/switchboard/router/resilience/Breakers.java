package dev.switchboard.router.resilience;

import dev.switchboard.router.config.ResilienceConfig;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.LongSupplier;

/**
 * Circuit breakers by deployment name. They outlive config reloads (a reload must not forget
 * that a deployment is down); a changed threshold applies to breakers created after it.
 */
public final class Breakers {
  private final Map<String, CircuitBreaker> byDeployment = new ConcurrentHashMap<>();
  private final LongSupplier clockMs;
  private volatile ResilienceConfig config;

  public Breakers(ResilienceConfig config, LongSupplier clockMs) {
    this.config = config;
    this.clockMs = clockMs;
  }

  public CircuitBreaker get(String deployment) {
    CircuitBreaker b = byDeployment.get(deployment);
    if (b != null) return b;
    ResilienceConfig c = config;
    return byDeployment.computeIfAbsent(deployment, k -> new CircuitBreaker(c.breakerFailureThreshold(), c.breakerOpenMs(), clockMs));
  }

  public void reconfigure(ResilienceConfig config) {
    this.config = config;
  }

  public Map<String, CircuitBreaker> all() {
    return Map.copyOf(byDeployment);
  }
}
