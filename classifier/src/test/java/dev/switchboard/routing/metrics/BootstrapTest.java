package dev.switchboard.routing.metrics;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Random;
import org.junit.jupiter.api.Test;

/** {@link Bootstrap#ci95Many} (the evaluation's intervals) against {@link Bootstrap#ci95} and known answers. */
class BootstrapTest {

  private static double[] values(int n, long seed) {
    Random r = new Random(seed);
    double[] x = new double[n];
    for (int i = 0; i < n; i++) {
      x[i] = r.nextGaussian() * 2 + 5;
    }
    return x;
  }

  @Test
  void ci95Many_givesEachStatisticTheIntervalCi95GivesItAlone() {
    double[] x = values(137, 1);
    double[] y = values(137, 2);
    double[][] many = Bootstrap.ci95Many(x.length, 500, 42, 2, (counts, out) -> {
      out[0] = Bootstrap.weightedSum(counts, x) / x.length;
      out[1] = Bootstrap.weightedSum(counts, y) / y.length;
    });
    double[] aloneX = Bootstrap.ci95(x.length, 500, 42, idx -> mean(x, idx));
    double[] aloneY = Bootstrap.ci95(y.length, 500, 42, idx -> mean(y, idx));
    assertArrayEquals(aloneX, many[0], 1e-12);
    assertArrayEquals(aloneY, many[1], 1e-12);
    assertTrue(many[0][0] < 5.2 && many[0][1] > 4.8 && many[0][0] < many[0][1], "interval around the mean 5: " + many[0][0] + ".." + many[0][1]);
  }

  @Test
  void ci95Many_isTheDegenerateIntervalOfAConstantAndNaNWhenNoResampleIsFinite() {
    double[][] ci = Bootstrap.ci95Many(10, 200, 7, 2, (counts, out) -> {
      out[0] = 3.5;
      out[1] = Double.NaN;
    });
    assertArrayEquals(new double[] {3.5, 3.5}, ci[0], 0);
    assertTrue(Double.isNaN(ci[1][0]) && Double.isNaN(ci[1][1]));
  }

  @Test
  void ci95Many_dropsNaNResamplesAndDependsOnlyOnTheSeed() {
    double[] x = values(50, 3);
    Bootstrap.MultiStatistic oddNaN = new Bootstrap.MultiStatistic() {
      int calls;

      @Override
      public void compute(int[] counts, double[] out) {
        out[0] = calls++ % 2 == 1 ? Double.NaN : Bootstrap.weightedSum(counts, x) / x.length;
      }
    };
    double[] a = Bootstrap.ci95Many(x.length, 400, 11, 1, oddNaN)[0];
    double[] b = Bootstrap.ci95Many(x.length, 400, 11, 1, (counts, out) -> out[0] = Bootstrap.weightedSum(counts, x) / x.length)[0];
    assertTrue(Double.isFinite(a[0]) && Double.isFinite(a[1]));
    assertTrue(Math.abs(a[0] - b[0]) < 0.3 && Math.abs(a[1] - b[1]) < 0.3, "half the resamples give about the same interval");
    assertArrayEquals(b, Bootstrap.ci95Many(x.length, 400, 11, 1, (counts, out) -> out[0] = Bootstrap.weightedSum(counts, x) / x.length)[0], 0);
    assertEquals(1, Bootstrap.ci95Many(x.length, 10, 11, 1, (counts, out) -> assertEquals(x.length, java.util.Arrays.stream(counts).sum())).length);
  }

  private static double mean(double[] x, int[] idx) {
    double s = 0;
    for (int i : idx) {
      s += x[i];
    }
    return s / idx.length;
  }
}
