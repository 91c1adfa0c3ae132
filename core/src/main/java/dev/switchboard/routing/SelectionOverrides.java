package dev.switchboard.routing;

import java.util.Set;

/**
 * Per-request (or per-deployment) adjustments to a policy, all optional.
 *
 * @param qualityTarget if non-null, a fraction of the best model's quality in (0, 1] that replaces
 *     the policy's reference fraction; thresholds are scaled by {@code qualityTarget / reference}
 *     (see {@link Selection#choose})
 * @param maxCostUsd if non-null, candidates whose expected cost for this request exceeds it are
 *     skipped
 * @param estimatedInputTokens input tokens used for the expected cost (ignored without maxCostUsd)
 * @param estimatedOutputTokens output tokens used for the expected cost (ignored without maxCostUsd)
 * @param allowedModels if non-null, only these models may be chosen or fallen back to
 */
public record SelectionOverrides(
    Double qualityTarget,
    Double maxCostUsd,
    double estimatedInputTokens,
    double estimatedOutputTokens,
    Set<String> allowedModels) {

  /** No adjustment: the policy as written. */
  public static final SelectionOverrides NONE = new SelectionOverrides(null, null, 0, 0, null);

  public SelectionOverrides {
    if (qualityTarget != null && !(qualityTarget > 0 && qualityTarget <= 1)) {
      throw new IllegalArgumentException("quality target must be in (0, 1], was " + qualityTarget);
    }
    if (maxCostUsd != null && !(maxCostUsd >= 0)) {
      throw new IllegalArgumentException("max cost must be a non-negative number, was " + maxCostUsd);
    }
    allowedModels = allowedModels == null ? null : Set.copyOf(allowedModels);
  }

  public SelectionOverrides withQualityTarget(Double fraction) {
    return new SelectionOverrides(fraction, maxCostUsd, estimatedInputTokens, estimatedOutputTokens, allowedModels);
  }

  public SelectionOverrides withMaxCost(Double usd, double inputTokens, double outputTokens) {
    return new SelectionOverrides(qualityTarget, usd, inputTokens, outputTokens, allowedModels);
  }

  public SelectionOverrides withAllowedModels(Set<String> models) {
    return new SelectionOverrides(qualityTarget, maxCostUsd, estimatedInputTokens, estimatedOutputTokens, models);
  }
}
