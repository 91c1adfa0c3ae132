package dev.switchboard.routing.metrics;

import java.util.Arrays;

/** Quantile edges as pandas {@code qcut(x, bins, retbins=True)} computes them. */
public final class Quantiles {
  private Quantiles() {}

  /**
   * The {@code bins + 1} edges at quantiles {@code 0, 1/bins, ..., 1} of {@code values}, by linear
   * interpolation between order statistics (numpy's default: position {@code p * (n - 1)}).
   * Duplicate edges are kept, as RouteLLM does.
   */
  public static double[] edges(double[] values, int bins) {
    if (values.length == 0) {
      throw new IllegalArgumentException("no values to take quantiles of");
    }
    if (bins < 1) {
      throw new IllegalArgumentException("bins must be at least 1, was " + bins);
    }
    double[] sorted = values.clone();
    Arrays.sort(sorted);
    double[] out = new double[bins + 1];
    for (int i = 0; i <= bins; i++) {
      out[i] = quantileOfSorted(sorted, (double) i / bins);
    }
    return out;
  }

  /** The p-quantile of an ascending array, numpy "linear" method. */
  public static double quantileOfSorted(double[] sorted, double p) {
    double pos = p * (sorted.length - 1);
    int lo = (int) Math.floor(pos);
    int hi = Math.min(lo + 1, sorted.length - 1);
    double frac = pos - lo;
    return sorted[lo] + (sorted[hi] - sorted[lo]) * frac;
  }
}
