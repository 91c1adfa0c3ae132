package dev.switchboard.router.evaldriven;

import dev.switchboard.classifier.Scores;
import dev.switchboard.router.config.Deployment;
import dev.switchboard.routing.Decision;
import dev.switchboard.routing.Policy;
import dev.switchboard.routing.SelectionOverrides;
import java.util.List;

/**
 * What an eval-driven route decided for one request.
 *
 * @param decision the selection, or null when the route fell back to its default
 * @param scores the classifier's scores, or null when scoring failed or was late
 * @param fallbackReason why the default was used ({@code timeout}, {@code error}, {@code overloaded}), or null
 * @param plan deployments in the order they will be tried
 * @param expectedCostUsd expected cost of the chosen deployment for this request's estimated tokens
 * @param overrides the request's adjustments to the policy (quality target, cost cap, candidates)
 * @param category the category the prompt was scored with (body, header or route default), or null
 */
record RoutedDecision(String route, Policy policy, Decision decision, Scores scores, String fallbackReason,
    List<Deployment> plan, double expectedCostUsd, long scoringNanos, SelectionOverrides overrides,
    String category) {

  public String chosen() {
    return plan.get(0).name();
  }
}
