package dev.switchboard.router.config;

import java.util.List;

/**
 * A route alias under {@code routes:}: a name clients put in {@code model} that expands to
 * deployments.
 *
 * @param alias the model name clients use
 * @param type {@link RouteType#FALLBACK}: try {@code deployments} in order;
 *     {@link RouteType#WEIGHTED}: pick one by deployment weight, the others follow as fallbacks;
 *     {@link RouteType#EVAL_DRIVEN}: score the prompt and pick the cheapest candidate that meets
 *     the policy's threshold
 * @param deployments deployment names: the fallback order, or the eval-driven candidates
 * @param policy eval-driven only: the policy file (from {@code switchboard tune}), resolved path
 * @param defaultDeployment eval-driven only: used when scoring fails or is late
 * @param category the category of requests to this route that name none themselves (body
 *     {@code switchboard.category} or header {@code x-switchboard-category}), or null
 * @param cache whether answers on this route are cached ({@code routes[].cache}); a key's {@code cache} tag overrides it
 */
public record RouteConfig(String alias, RouteType type, List<String> deployments, String policy, String defaultDeployment,
    String category, CacheMode cache) {
  /** The longest category a request or a route may carry, in characters. */
  public static final int MAX_CATEGORY_CHARS = ConfigKeys.CATEGORY.max().intValue();

  public RouteConfig {
    deployments = List.copyOf(deployments);
    cache = cache == null ? CacheMode.OFF : cache;
  }

  public RouteConfig(String alias, RouteType type, List<String> deployments, String policy, String defaultDeployment, String category) {
    this(alias, type, deployments, policy, defaultDeployment, category, CacheMode.OFF);
  }

  public RouteConfig(String alias, RouteType type, List<String> deployments) {
    this(alias, type, deployments, null, null, null);
  }
}
