package dev.switchboard.router.api;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.Locale;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/** Header numbers ({@code x-switchboard-cost-usd}, {@code -difficulty}, ...) are written without the Formatter; they must read as they did with it. */
class DecimalsTest {

  private static String formatter(double v, int places) {
    return String.format(Locale.ROOT, "%." + places + "f", v);
  }

  @Test
  void writesWhatTheFormatterWroteForEdgesAndRealisticValues() {
    double[] edges = {0, 1e-9, 4.9999999e-9, 5e-9, 1.5e-8, 2.5e-8, 0.000123, 0.00000005, 0.123456785, 0.1234567850000001,
        0.00005, 0.00015, 0.99995, 1, 12.5, 99_999.99999999, 1e6 + 0.000000005, Double.MIN_VALUE, Double.NaN, Double.POSITIVE_INFINITY};
    for (int places : new int[] {4, 8}) {
      for (double d : edges) {
        assertEquals(formatter(d, places), Decimals.fixed(d, places), places + " places of " + d);
      }
    }
    SplittableRandom r = new SplittableRandom(42);
    for (int i = 0; i < 200_000; i++) {
      // Costs span ~1e-7 (a few tokens of a cheap model) to ~100 USD; difficulties and qualities are in [0, 1].
      double cost = Math.pow(10, -7 + 9 * r.nextDouble()) * r.nextDouble();
      assertEquals(formatter(cost, 8), Decimals.fixed(cost, 8), "cost " + cost);
      double p = r.nextDouble();
      assertEquals(formatter(p, 4), Decimals.fixed(p, 4), "probability " + p);
    }
  }
}
