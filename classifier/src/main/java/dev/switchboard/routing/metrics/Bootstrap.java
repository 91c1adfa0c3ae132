package dev.switchboard.routing.metrics;

import java.util.Arrays;
import java.util.SplittableRandom;
import java.util.function.ToDoubleFunction;

/**
 * Percentile bootstrap over prompts. Resample {@code r} draws {@code n} prompt indices uniformly
 * with replacement from a {@link SplittableRandom} seeded with {@code seed + r}, so every statistic
 * computed with the same seed sees the same resamples. The interval is the 2.5th and 97.5th
 * percentiles (numpy linear method) of the finite statistic values; NaN resamples are dropped.
 */
public final class Bootstrap {
  private Bootstrap() {}

  public static final int DEFAULT_RESAMPLES = 1000;

  /** Computes several statistics of one resample from its per-prompt draw counts. */
  @FunctionalInterface
  public interface MultiStatistic {
    /**
     * @param counts how many times each prompt was drawn (sums to n)
     * @param out write statistic j to out[j]
     */
    void compute(int[] counts, double[] out);
  }

  /**
   * {2.5th, 97.5th} percentiles of {@code k} statistics at once. Uses exactly the resamples of
   * {@link #ci95} with the same seed, expressed as draw counts, so a statistic that is a weighted
   * sum over prompts costs one sequential pass per resample instead of a random gather.
   */
  public static double[][] ci95Many(int n, int resamples, long seed, int k, MultiStatistic statistic) {
    double[][] values = new double[k][resamples];
    int[] finite = new int[k];
    int[] counts = new int[n];
    double[] out = new double[k];
    for (int r = 0; r < resamples; r++) {
      SplittableRandom rnd = new SplittableRandom(seed + r);
      java.util.Arrays.fill(counts, 0);
      for (int i = 0; i < n; i++) {
        counts[rnd.nextInt(n)]++;
      }
      java.util.Arrays.fill(out, Double.NaN);
      statistic.compute(counts, out);
      for (int j = 0; j < k; j++) {
        if (Double.isFinite(out[j])) {
          values[j][finite[j]++] = out[j];
        }
      }
    }
    double[][] ci = new double[k][];
    for (int j = 0; j < k; j++) {
      if (finite[j] == 0) {
        ci[j] = new double[] {Double.NaN, Double.NaN};
        continue;
      }
      double[] sorted = Arrays.copyOf(values[j], finite[j]);
      Arrays.sort(sorted);
      ci[j] = new double[] {Quantiles.quantileOfSorted(sorted, 0.025), Quantiles.quantileOfSorted(sorted, 0.975)};
    }
    return ci;
  }

  /** Sum of {@code counts[p] * x[p]}: a resample's total of a per-prompt value. */
  public static double weightedSum(int[] counts, double[] x) {
    double s = 0;
    for (int p = 0; p < x.length; p++) {
      s += counts[p] * x[p];
    }
    return s;
  }

  /** {2.5th, 97.5th} percentile of {@code statistic} over resamples; {NaN, NaN} if none finite. */
  public static double[] ci95(int n, int resamples, long seed, ToDoubleFunction<int[]> statistic) {
    double[] values = new double[resamples];
    int finite = 0;
    int[] idx = new int[n];
    for (int r = 0; r < resamples; r++) {
      SplittableRandom rnd = new SplittableRandom(seed + r);
      for (int i = 0; i < n; i++) {
        idx[i] = rnd.nextInt(n);
      }
      double v = statistic.applyAsDouble(idx);
      if (Double.isFinite(v)) {
        values[finite++] = v;
      }
    }
    if (finite == 0) {
      return new double[] {Double.NaN, Double.NaN};
    }
    double[] sorted = Arrays.copyOf(values, finite);
    Arrays.sort(sorted);
    return new double[] {Quantiles.quantileOfSorted(sorted, 0.025), Quantiles.quantileOfSorted(sorted, 0.975)};
  }
}
