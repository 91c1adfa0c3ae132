package dev.switchboard.router.chat;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.Locale;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/** {@code x-switchboard-cost-usd} is written without the Formatter; it must read as it did with it. */
class CostHeaderTest {

  private static String formatter(double usd) {
    return String.format(Locale.ROOT, "%.8f", usd);
  }

  @Test
  void writesWhatTheFormatterWroteForRealisticAndEdgeCosts() {
    double[] edges = {0, 1e-9, 4.9999999e-9, 5e-9, 1.5e-8, 2.5e-8, 0.000123, 0.00000005, 0.123456785, 0.1234567850000001,
        1, 12.5, 99_999.99999999, 1e6 + 0.000000005, Double.MIN_VALUE, Double.NaN, Double.POSITIVE_INFINITY};
    for (double d : edges) {
      assertEquals(formatter(d), ChatHandler.costHeader(d), "cost " + d);
    }
    SplittableRandom r = new SplittableRandom(42);
    for (int i = 0; i < 200_000; i++) {
      // Costs span ~1e-7 (a few tokens of a cheap model) to ~100 USD (a huge prompt to a dear one).
      double d = Math.pow(10, -7 + 9 * r.nextDouble()) * r.nextDouble();
      assertEquals(formatter(d), ChatHandler.costHeader(d), "cost " + d);
    }
  }
}
