package dev.switchboard.router.chat;

import java.util.List;

/**
 * The optional request-body field {@code switchboard}: per-request routing control. Stripped
 * before any upstream call.
 *
 * @param qualityTarget fraction (0-1] of the best candidate's quality the answer must reach, or null
 * @param maxCostUsd upper bound on the expected cost of this request, or null
 * @param candidates restricts an eval-driven route to these candidates, or null for all
 */
public record SwitchboardOptions(Double qualityTarget, Double maxCostUsd, List<String> candidates) {
  public static final SwitchboardOptions NONE = new SwitchboardOptions(null, null, null);

  public boolean isEmpty() {
    return qualityTarget == null && maxCostUsd == null && candidates == null;
  }
}
