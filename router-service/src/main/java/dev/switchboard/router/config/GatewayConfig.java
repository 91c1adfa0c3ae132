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
    ClassifierConfig classifier,
    StorageConfig storage,
    LimitsConfig limits,
    String source,
    CacheConfig cache) {

  public GatewayConfig(ServerConfig server, ResilienceConfig resilience, Map<String, Deployment> deployments,
      Map<String, RouteConfig> routes, ClassifierConfig classifier, StorageConfig storage, LimitsConfig limits, String source) {
    this(server, resilience, deployments, routes, classifier, storage, limits, source, CacheConfig.DEFAULTS);
  }

  public GatewayConfig {
    cache = cache == null ? CacheConfig.DEFAULTS : cache;
    deployments = java.util.Collections.unmodifiableMap(new LinkedHashMap<>(deployments));
    routes = java.util.Collections.unmodifiableMap(new LinkedHashMap<>(routes));
  }

  /** This config with every in-process recorded deployment pointed at {@code baseUrl}. */
  public GatewayConfig withRecordedBaseUrl(String baseUrl) {
    List<Deployment> ds = new java.util.ArrayList<>();
    for (Deployment d : deployments.values()) {
      ds.add(ConfigParser.RECORDED_IN_PROCESS.equals(d.baseUrl())
          ? new Deployment(d.name(), d.provider(), baseUrl, d.apiKeyEnv(), d.model(), d.inputPricePerMTok(), d.outputPricePerMTok(),
              d.timeoutMs(), d.maxRetries(), d.weight(), d.apiVersion(), d.headers(), d.maxTokensDefault())
          : d);
    }
    return of(server, resilience, ds, List.copyOf(routes.values()), classifier, source).withGovernance(storage, limits).withCache(cache);
  }

  /** Whether any deployment needs the in-process recorded upstream. */
  public boolean usesInProcessRecorded() {
    return deployments.values().stream().anyMatch(d -> ConfigParser.RECORDED_IN_PROCESS.equals(d.baseUrl()));
  }

  /** This config with another server section (e.g. a port from the command line). */
  public GatewayConfig withServer(ServerConfig s) {
    return new GatewayConfig(s, resilience, deployments, routes, classifier, storage, limits, source, cache);
  }

  /** This config with another classifier section (e.g. a scoring deadline from the command line). */
  public GatewayConfig withClassifier(ClassifierConfig c) {
    return new GatewayConfig(server, resilience, deployments, routes, c, storage, limits, source, cache);
  }

  /** This config with other storage and limits sections. */
  public GatewayConfig withGovernance(StorageConfig s, LimitsConfig l) {
    return new GatewayConfig(server, resilience, deployments, routes, classifier, s, l, source, cache);
  }

  /** This config with another cache section. */
  public GatewayConfig withCache(CacheConfig c) {
    return new GatewayConfig(server, resilience, deployments, routes, classifier, storage, limits, source, c);
  }

  /** Whether any route is eval-driven (and so needs the classifier). */
  public boolean hasEvalDrivenRoutes() {
    return routes.values().stream().anyMatch(r -> r.type() == RouteType.EVAL_DRIVEN);
  }

  /** Builds a config from lists, keeping their order. */
  public static GatewayConfig of(ServerConfig server, ResilienceConfig resilience,
      List<Deployment> deployments, List<RouteConfig> routes, ClassifierConfig classifier, String source) {
    Map<String, Deployment> d = new LinkedHashMap<>();
    deployments.forEach(x -> d.put(x.name(), x));
    Map<String, RouteConfig> r = new LinkedHashMap<>();
    routes.forEach(x -> r.put(x.alias(), x));
    return new GatewayConfig(server, resilience, d, r, classifier, StorageConfig.DEFAULTS, LimitsConfig.DEFAULTS, source);
  }
}
