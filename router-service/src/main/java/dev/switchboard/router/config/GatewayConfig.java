package dev.switchboard.router.config;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** The whole validated gateway configuration; immutable, swapped atomically on reload. */
public record GatewayConfig(
    ServerConfig server,
    ResilienceConfig resilience,
    Map<String, Deployment> deployments,
    Map<String, RouteConfig> routes,
    String source) {

  public GatewayConfig {
    deployments = java.util.Collections.unmodifiableMap(new LinkedHashMap<>(deployments));
    routes = java.util.Collections.unmodifiableMap(new LinkedHashMap<>(routes));
  }

  /** Builds a config from lists, keeping their order. */
  public static GatewayConfig of(ServerConfig server, ResilienceConfig resilience,
      List<Deployment> deployments, List<RouteConfig> routes, String source) {
    Map<String, Deployment> d = new LinkedHashMap<>();
    deployments.forEach(x -> d.put(x.name(), x));
    Map<String, RouteConfig> r = new LinkedHashMap<>();
    routes.forEach(x -> r.put(x.alias(), x));
    return new GatewayConfig(server, resilience, d, r, source);
  }
}
