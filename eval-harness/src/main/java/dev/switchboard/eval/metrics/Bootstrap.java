package dev.switchboard.eval.metrics;

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
