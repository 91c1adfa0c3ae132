package dev.switchboard.routing.metrics;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;

class CostQualityHullTest {

  static final List<CostQuality> POINTS = List.of(
      new CostQuality(1, 0.5), new CostQuality(2, 0.6), new CostQuality(3, 0.9),
      new CostQuality(4, 0.95), new CostQuality(5, 0.8), new CostQuality(2.5, 0.55), new CostQuality(1, 0.3));

  @Test
  void hullDropsPointsUnderTheChordAndTheFallingTail() {
    // (2,.6) lies under the chord (1,.5)-(3,.9) which is .7 at x=2; (5,.8) is past the top
    assertEquals(List.of(new CostQuality(1, 0.5), new CostQuality(3, 0.9), new CostQuality(4, 0.95)),
        CostQualityHull.nonDecreasing(POINTS));
  }

  @Test
  void hullOfOnePointIsThatPoint() {
    assertEquals(List.of(new CostQuality(2, 0.7)), CostQualityHull.nonDecreasing(List.of(new CostQuality(2, 0.7))));
    // cheapest point is best: nothing else is on the non-decreasing hull
    assertEquals(List.of(new CostQuality(1, 0.9)),
        CostQualityHull.nonDecreasing(List.of(new CostQuality(1, 0.9), new CostQuality(2, 0.5))));
  }

  @Test
  void aiqHandComputed() {
    List<CostQuality> hull = CostQualityHull.nonDecreasing(POINTS);
    // 1..3: 2*(.5+.9)/2 = 1.4; 3..4: .925; 4..5 flat: .95 -> 3.275 over a range of 4
    assertEquals(3.275 / 4, CostQualityHull.aiq(hull, 1, 5), 1e-12);
    // from 0: nothing affordable below cost 1, so the same area over 5 (= RouterBench's code, cMin = 0)
    assertEquals(3.275 / 5, CostQualityHull.aiq(hull, 0, 5), 1e-12);
    // a single model at cost 3 with quality .9, range 1..5: 0 until 3, then .9 -> 1.8 / 4
    assertEquals(0.45, CostQualityHull.aiq(List.of(new CostQuality(3, 0.9)), 1, 5), 1e-12);
    assertEquals(0.7, CostQualityHull.qualityAt(hull, 2), 1e-12);
  }

  @Test
  void savingsAtQualityBars() {
    List<CostQuality> pts = List.of(new CostQuality(1, 0.5), new CostQuality(3, 0.9), new CostQuality(4, 0.95));
    assertEquals(0.6, Savings.savingAt(pts, 0.95, 1.0, 10), 1e-12);
    assertEquals(0.7, Savings.savingAt(pts, 0.90, 1.0, 10), 1e-12);
    assertTrue(Double.isNaN(Savings.savingAt(pts, 0.99, 1.0, 10)));
  }

  @Test
  void bootstrapIsSeededAndBracketsTheMean() {
    double[] x = new double[400];
    for (int i = 0; i < x.length; i++) {
      x[i] = i % 4 == 0 ? 1 : 0; // mean .25
    }
    java.util.function.ToDoubleFunction<int[]> mean = idx -> {
      double s = 0;
      for (int i : idx) {
        s += x[i];
      }
      return s / idx.length;
    };
    double[] a = Bootstrap.ci95(x.length, 1000, 42, mean);
    double[] b = Bootstrap.ci95(x.length, 1000, 42, mean);
    assertEquals(a[0], b[0], 0);
    assertEquals(a[1], b[1], 0);
    // normal approximation: .25 +- 1.96 * sqrt(.25*.75/400) = .25 +- .042
    assertEquals(0.208, a[0], 0.012);
    assertEquals(0.292, a[1], 0.012);
  }
}
