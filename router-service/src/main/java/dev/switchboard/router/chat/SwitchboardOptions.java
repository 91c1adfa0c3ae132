package dev.switchboard.router.chat;

import java.util.List;

/**
 * The optional request-body field {@code switchboard}: per-request routing control. Stripped
 * before any upstream call.
 *
 * @param qualityTarget fraction (0-1] of the best candidate's quality the answer must reach, or null
 * @param maxCostUsd upper bound on the expected cost of this request, or null
 * @param candidates restricts an eval-driven route to these candidates, or null for all
 * @param category the request's task/app label (a classifier feature and a log field), or null
 * @param cache {@code false}: this request bypasses the response cache; null or true: the route's and key's setting
 */
public record SwitchboardOptions(Double qualityTarget, Double maxCostUsd, List<String> candidates, String category, Boolean cache) {
  public static final SwitchboardOptions NONE = new SwitchboardOptions(null, null, null, null, null);

  public SwitchboardOptions(Double qualityTarget, Double maxCostUsd, List<String> candidates, String category) {
    this(qualityTarget, maxCostUsd, candidates, category, null);
  }

  /** Whether any routing control was given (category and cache are not routing control). */
  public boolean isEmpty() {
    return qualityTarget == null && maxCostUsd == null && candidates == null;
  }
}
