package dev.switchboard.routing;

import java.util.List;

/**
 * The one routing decision function, used by the live router per request and by the offline
 * harness per prompt, so the two cannot disagree.
 *
 * <h2>Rules</h2>
 *
 * <ul>
 *   <li><b>Eligible candidates</b>: those in {@code overrides.allowedModels} (all if null) and, if
 *       {@code overrides.maxCostUsd} is set, whose expected cost {@code (in * inPrice + out *
 *       outPrice) / 1e6} for the estimated tokens is at most the cap. If the cap leaves none, the
 *       allowed candidate with the lowest expected cost is chosen ({@link
 *       Decision.Reason#CHEAPEST_OVER_BUDGET}). If the allowed set names no candidate, {@link
 *       IllegalArgumentException}.
 *   <li><b>quality-threshold</b>: scan candidates in policy (ascending price) order; choose the
 *       first eligible one with {@code predictedQuality[i] >= threshold'[i]}; if none, the eligible
 *       one with the highest predicted quality (ties: the cheaper).
 *   <li><b>difficulty-threshold</b>: with ascending cut points {@code c[0..n-2]}, the rung is the
 *       first {@code i} with {@code difficulty < c'[i]}, else {@code n-1} (for two models: cheap if
 *       difficulty &lt; threshold, else strong). If the rung is not eligible, the nearest eligible
 *       stronger candidate, else the nearest weaker one.
 *   <li><b>Quality override</b>: with {@code f = overrides.qualityTarget} and {@code f0 =
 *       policy.referenceQualityFraction()}, {@code s = f / f0}. Quality thresholds become {@code
 *       threshold'[i] = min(1, threshold[i] * s)}; difficulty cuts become {@code c'[i] = c[i] / s}
 *       (a higher target sends more prompts up the ladder). Without an override {@code s = 1}. This
 *       is a monotone knob, not a re-tune: {@code switchboard tune} finds exact thresholds.
 *   <li><b>Fallbacks</b>: the other eligible candidates by descending predicted quality (ties: the
 *       cheaper first); without predictions (difficulty kind given a null array), by descending
 *       price.
 * </ul>
 *
 * <p>Pure and allocation-light: besides the result it allocates only the effective thresholds
 * ({@link #effectiveThresholds}, which callers that show a decision reuse so the shown numbers are
 * the ones that decided) and the fallback array. At most 64 candidates.
 */
public final class Selection {

  private Selection() {}

  /** {@link #choose(Policy, double[], double, SelectionOverrides)} without overrides. */
  public static Decision choose(Policy policy, double[] predictedQuality, double difficulty) {
    return choose(policy, predictedQuality, difficulty, SelectionOverrides.NONE);
  }

  /**
   * Chooses a model for one request.
   *
   * @param predictedQuality predicted quality per candidate in policy order; may be null for the
   *     difficulty kind
   * @param difficulty predicted difficulty (used by the difficulty kind only)
   */
  public static Decision choose(
      Policy policy, double[] predictedQuality, double difficulty, SelectionOverrides overrides) {
    List<Policy.Candidate> cands = policy.candidates();
    int n = cands.size();
    if (n > 64) {
      throw new IllegalArgumentException("at most 64 candidates are supported, policy has " + n);
    }
    if (overrides == null) {
      overrides = SelectionOverrides.NONE;
    }
    boolean quality = policy.kind() == Policy.Kind.QUALITY_THRESHOLD;
    if (predictedQuality == null ? quality : predictedQuality.length != n) {
      throw new IllegalArgumentException(
          "predicted quality has "
              + (predictedQuality == null ? "no values" : predictedQuality.length + " values")
              + " but the policy has " + n + " candidates");
    }

    long allowed = 0;
    for (int i = 0; i < n; i++) {
      if (overrides.allowedModels() == null || overrides.allowedModels().contains(cands.get(i).model())) {
        allowed |= 1L << i;
      }
    }
    if (allowed == 0) {
      throw new IllegalArgumentException(
          "none of the allowed models " + overrides.allowedModels() + " is a candidate of policy " + policy.version());
    }
    long eligible = allowed;
    if (overrides.maxCostUsd() != null) {
      double cap = overrides.maxCostUsd();
      for (int i = 0; i < n; i++) {
        if (cands.get(i).expectedCostUsd(overrides.estimatedInputTokens(), overrides.estimatedOutputTokens()) > cap) {
          eligible &= ~(1L << i);
        }
      }
      if (eligible == 0) {
        int cheapest = -1;
        double best = Double.POSITIVE_INFINITY;
        for (int i = 0; i < n; i++) {
          if ((allowed & (1L << i)) != 0) {
            double c = cands.get(i).expectedCostUsd(overrides.estimatedInputTokens(), overrides.estimatedOutputTokens());
            if (c < best) {
              best = c;
              cheapest = i;
            }
          }
        }
        return decision(policy, predictedQuality, cheapest, Decision.Reason.CHEAPEST_OVER_BUDGET, Double.NaN, allowed);
      }
    }

    double[] th = effectiveThresholds(policy, overrides);

    if (quality) {
      for (int i = 0; i < n; i++) {
        if ((eligible & (1L << i)) == 0) {
          continue;
        }
        if (predictedQuality[i] >= th[i]) {
          return decision(policy, predictedQuality, i, Decision.Reason.MEETS_THRESHOLD, th[i], eligible);
        }
      }
      int best = -1;
      for (int i = 0; i < n; i++) {
        if ((eligible & (1L << i)) != 0 && (best < 0 || predictedQuality[i] > predictedQuality[best])) {
          best = i;
        }
      }
      return decision(policy, predictedQuality, best, Decision.Reason.BEST_PREDICTED, th[best], eligible);
    }

    int rung = n - 1;
    for (int i = 0; i < th.length; i++) {
      if (difficulty < th[i]) {
        rung = i;
        break;
      }
    }
    double cut = rung < th.length ? th[rung] : (rung > 0 ? th[rung - 1] : Double.NaN);
    if ((eligible & (1L << rung)) != 0) {
      return decision(policy, predictedQuality, rung, Decision.Reason.DIFFICULTY_RUNG, cut, eligible);
    }
    for (int i = rung + 1; i < n; i++) {
      if ((eligible & (1L << i)) != 0) {
        return decision(policy, predictedQuality, i, Decision.Reason.DIFFICULTY_NEAREST_ALLOWED, cut, eligible);
      }
    }
    for (int i = rung - 1; i >= 0; i--) {
      if ((eligible & (1L << i)) != 0) {
        return decision(policy, predictedQuality, i, Decision.Reason.DIFFICULTY_NEAREST_ALLOWED, cut, eligible);
      }
    }
    throw new AssertionError("eligible set was checked non-empty");
  }

  /**
   * The factor a per-request quality target applies to the policy's thresholds: {@code
   * overrides.qualityTarget / policy.referenceQualityFraction()}, or 1 without a target.
   *
   * @param overrides may be null (no adjustment)
   * @return the scale {@code s} of the class comment's quality-override rule
   */
  public static double thresholdScale(Policy policy, SelectionOverrides overrides) {
    return overrides == null || overrides.qualityTarget() == null
        ? 1.0 : overrides.qualityTarget() / policy.referenceQualityFraction();
  }

  /**
   * The thresholds {@link #choose} decides by under these overrides; the one place the quality
   * override is applied, so what a caller shows is what decided.
   *
   * @param overrides may be null (no adjustment)
   * @return for the quality kind, one per candidate in policy order: {@code min(1, threshold[i] *
   *     s)}; for the difficulty kind, one per cut point: {@code c[i] / s} (see {@link
   *     #thresholdScale})
   */
  public static double[] effectiveThresholds(Policy policy, SelectionOverrides overrides) {
    double scale = thresholdScale(policy, overrides);
    if (policy.kind() == Policy.Kind.QUALITY_THRESHOLD) {
      double[] out = new double[policy.candidates().size()];
      for (int i = 0; i < out.length; i++) {
        out[i] = Math.min(1.0, policy.candidates().get(i).threshold() * scale);
      }
      return out;
    }
    List<Double> cuts = policy.difficultyThresholds();
    double[] out = new double[cuts.size()];
    for (int i = 0; i < out.length; i++) {
      out[i] = cuts.get(i) / scale;
    }
    return out;
  }

  private static Decision decision(
      Policy policy, double[] q, int chosen, Decision.Reason reason, double threshold, long pool) {
    int[] fallbacks = new int[Long.bitCount(pool & ~(1L << chosen))];
    int k = 0;
    for (int i = 0; i < policy.candidates().size(); i++) {
      if (i != chosen && (pool & (1L << i)) != 0) {
        fallbacks[k++] = i;
      }
    }
    // Insertion sort: a handful of candidates; stable, so ties keep the cheaper (earlier) one first.
    for (int a = 1; a < fallbacks.length; a++) {
      int v = fallbacks[a];
      int b = a - 1;
      while (b >= 0 && before(q, v, fallbacks[b])) {
        fallbacks[b + 1] = fallbacks[b];
        b--;
      }
      fallbacks[b + 1] = v;
    }
    return new Decision(
        policy.candidates().get(chosen).model(), chosen, reason, q == null ? Double.NaN : q[chosen], threshold, fallbacks);
  }

  /** Whether candidate x goes before y in the fallback order. */
  private static boolean before(double[] q, int x, int y) {
    if (q == null) {
      return x > y; // no predictions: the pricier (presumably stronger) model first
    }
    return q[x] > q[y];
  }
}
