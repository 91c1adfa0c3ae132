package dev.switchboard.eval.run;

/**
 * A policy's result at one setting.
 *
 * @param label human-readable setting, e.g. {@code t=0.62}
 * @param threshold the swept value (NaN for a fixed policy)
 * @param meanQuality mean per-prompt quality of the routed answers
 * @param meanCost mean cost per prompt (USD)
 * @param callShare fraction of prompts per candidate (table order)
 * @param chosen per-prompt chosen candidate, or null for policies averaged over seeds
 */
public record OperatingPoint(
    String label, double threshold, double meanQuality, double meanCost, double[] callShare, int[] chosen) {

  /** Builds a point from per-prompt choices. */
  public static OperatingPoint of(String label, double threshold, int[] chosen, double[][] quality, double[][] cost) {
    int m = quality.length == 0 ? 0 : quality[0].length;
    double q = 0;
    double c = 0;
    double[] share = new double[m];
    for (int p = 0; p < chosen.length; p++) {
      q += quality[p][chosen[p]];
      c += cost[p][chosen[p]];
      share[chosen[p]]++;
    }
    int n = chosen.length;
    for (int i = 0; i < m; i++) {
      share[i] /= n;
    }
    return new OperatingPoint(label, threshold, q / n, c / n, share, chosen);
  }

  public double costPer1k() {
    return meanCost * 1000;
  }
}
