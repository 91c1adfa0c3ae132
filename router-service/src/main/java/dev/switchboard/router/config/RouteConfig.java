package dev.switchboard.router.config;

import java.util.List;

/**
 * A route alias under {@code routes:}: a name clients put in {@code model} that expands to
 * deployments.
 *
 * @param alias the model name clients use
 * @param type {@link RouteType#FALLBACK}: try {@code deployments} in order;
 *     {@link RouteType#WEIGHTED}: pick one by deployment weight, the others follow as fallbacks
 * @param deployments deployment names, in fallback order
 */
public record RouteConfig(String alias, RouteType type, List<String> deployments) {
  public RouteConfig {
    deployments = List.copyOf(deployments);
  }
}
