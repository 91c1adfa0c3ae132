package dev.switchboard.router.routing;

import dev.switchboard.router.config.Deployment;
import dev.switchboard.router.config.GatewayConfig;
import dev.switchboard.router.config.RouteConfig;
import dev.switchboard.router.config.RouteType;
import dev.switchboard.router.api.ApiError;
import dev.switchboard.router.api.ApiException;
import java.util.ArrayList;
import java.util.List;
import java.util.function.DoubleSupplier;

/**
 * Expands the client's {@code model} into the ordered list of deployments to try. Pure:
 * randomness for weighted groups comes in as a supplier so tests can pin it.
 */
public final class RoutePlanner {
  private RoutePlanner() {}

  /** A resolved plan: the route alias (or the deployment name itself) and deployments in order. */
  public record Plan(String route, List<Deployment> deployments) {}

  public static Plan plan(GatewayConfig config, String model, DoubleSupplier random) {
    RouteConfig route = config.routes().get(model);
    if (route != null) {
      List<Deployment> ds = new ArrayList<>(route.deployments().size());
      for (String name : route.deployments()) ds.add(config.deployments().get(name));
      if (route.type() == RouteType.WEIGHTED) ds = weightedOrder(ds, random);
      return new Plan(route.alias(), ds);
    }
    Deployment d = config.deployments().get(model);
    if (d != null) return new Plan(d.name(), List.of(d));
    throw new ApiException(new ApiError(404, "invalid_request_error",
        "The model '" + model + "' does not exist. GET /v1/models lists the deployments and route aliases of this gateway.",
        "model", "model_not_found", List.of()));
  }

  /**
   * Picks the first deployment with probability proportional to its weight; the rest follow in
   * configured order as fallbacks. Zero-weight deployments are fallbacks only.
   */
  static List<Deployment> weightedOrder(List<Deployment> ds, DoubleSupplier random) {
    long total = 0;
    for (Deployment d : ds) total += d.weight();
    if (total == 0) return ds;
    double pick = random.getAsDouble() * total;
    int chosen = ds.size() - 1;
    for (int i = 0; i < ds.size(); i++) {
      pick -= ds.get(i).weight();
      if (pick < 0) {
        chosen = i;
        break;
      }
    }
    List<Deployment> out = new ArrayList<>(ds.size());
    out.add(ds.get(chosen));
    for (int i = 0; i < ds.size(); i++) if (i != chosen) out.add(ds.get(i));
    return out;
  }
}
