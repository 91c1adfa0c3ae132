package dev.switchboard.routing.metrics;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class TwoModelMetricsTest {

  @Test
  void quantileEdgesMatchNumpyLinear() {
    assertArrayEquals(new double[] {0.1, 0.25, 0.4}, Quantiles.edges(new double[] {0.4, 0.1, 0.3, 0.2}, 2), 1e-12);
    // numpy.quantile([1,2,3,4,10], [0, .25, .5, .75, 1]) = [1, 2, 3, 4, 10]
    assertArrayEquals(new double[] {1, 2, 3, 4, 10}, Quantiles.edges(new double[] {10, 1, 2, 3, 4}, 4), 1e-12);
    // duplicates are kept
    assertArrayEquals(new double[] {1, 1, 1}, Quantiles.edges(new double[] {1, 1, 1}, 2), 0);
  }

  /** Four prompts, hand-computed: see the comments for each point. */
  @Test
  void handComputedSweepApgrAndCpt() {
    double[] score = {0.1, 0.2, 0.3, 0.4};
    double[] qWeak = {1, 1, 0, 0};
    double[] qStrong = {1, 1, 1, 1};
    double[] cWeak = {1, 1, 1, 1};
    double[] cStrong = {10, 10, 10, 10};
    List<SweepPoint> pts = TwoModelMetrics.sweep(score, qWeak, qStrong, cWeak, cStrong, 2);
    // edge 0.1 (>=): all strong; edge 0.25: prompts 2,3 strong; last edge 0.4 (>): none strong
    assertEquals(List.of(
        new SweepPoint(0.1, 1.0, 1.0, 10.0),
        new SweepPoint(0.25, 0.5, 1.0, 5.5),
        new SweepPoint(0.4, 0.0, 0.5, 1.0)), pts);
    // AUC = .5*(.5+1)/2 + .5*(1+1)/2 = .875; (.875 - .5) / (1 - .5) = .75
    assertEquals(0.75, TwoModelMetrics.apgr(pts, 0.5, 1.0), 1e-12);
    // PGR is 0 at share 0 and 1 at share .5: PGR .5 at .25, .8 at .4
    assertEquals(0.25, TwoModelMetrics.cpt(pts, 0.5, 0.5, 1.0), 1e-12);
    assertEquals(0.40, TwoModelMetrics.cpt(pts, 0.8, 0.5, 1.0), 1e-12);
    assertEquals(0.0, TwoModelMetrics.cpt(pts, 0.0, 0.5, 1.0), 1e-12);
    assertEquals(1.0, TwoModelMetrics.pgr(1.0, 0.5, 1.0), 0);
  }

  @Test
  void cptIsNanWhenNeverReached() {
    List<SweepPoint> pts = List.of(new SweepPoint(0, 0, 0.5, 0), new SweepPoint(1, 1, 0.9, 0));
    assertTrue(Double.isNaN(TwoModelMetrics.cpt(pts, 0.95, 0.5, 1.0)));
  }

  @Test
  void randomRouterHasApgrAboutHalfAndCpt50AboutHalf() {
    int n = 20000;
    SplittableRandom rnd = new SplittableRandom(7);
    double[] score = new double[n];
    double[] qw = new double[n];
    double[] qs = new double[n];
    double[] c = new double[n];
    for (int i = 0; i < n; i++) {
      score[i] = rnd.nextDouble();
      qw[i] = rnd.nextDouble() < 0.4 ? 1 : 0;
      qs[i] = rnd.nextDouble() < 0.8 ? 1 : 0;
    }
    List<SweepPoint> pts = TwoModelMetrics.sweep(score, qw, qs, c, c, 10);
    double weak = mean(qw);
    double strong = mean(qs);
    assertEquals(0.5, TwoModelMetrics.apgr(pts, weak, strong), 0.03);
    assertEquals(0.5, TwoModelMetrics.cpt(pts, 0.5, weak, strong), 0.05);
    assertEquals(11, pts.size());
    assertEquals(1.0, pts.get(0).strongShare(), 0);
    assertEquals(0.0, pts.get(10).strongShare(), 0);
  }

  @Test
  void oracleBeatsANoisyRouterWhichBeatsRandom() {
    int n = 5000;
    SplittableRandom rnd = new SplittableRandom(11);
    double[] qw = new double[n];
    double[] qs = new double[n];
    double[] oracle = new double[n];
    double[] noisy = new double[n];
    double[] random = new double[n];
    double[] c = new double[n];
    for (int i = 0; i < n; i++) {
      qw[i] = rnd.nextDouble() < 0.5 ? 1 : 0;
      qs[i] = rnd.nextDouble() < 0.8 ? 1 : 0;
      oracle[i] = qs[i] - qw[i];
      noisy[i] = oracle[i] + rnd.nextDouble() * 1.5;
      random[i] = rnd.nextDouble();
    }
    double w = mean(qw);
    double s = mean(qs);
    double aOracle = TwoModelMetrics.apgr(TwoModelMetrics.sweep(oracle, qw, qs, c, c, 10), w, s);
    double aNoisy = TwoModelMetrics.apgr(TwoModelMetrics.sweep(noisy, qw, qs, c, c, 10), w, s);
    double aRandom = TwoModelMetrics.apgr(TwoModelMetrics.sweep(random, qw, qs, c, c, 10), w, s);
    assertTrue(aOracle > aNoisy && aNoisy > aRandom + 0.05, aOracle + " " + aNoisy + " " + aRandom);
  }

  static double mean(double[] x) {
    double s = 0;
    for (double v : x) {
      s += v;
    }
    return s / x.length;
  }
}
