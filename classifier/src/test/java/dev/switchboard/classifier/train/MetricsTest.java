package dev.switchboard.classifier.train;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;

class MetricsTest {

  @Test
  void aucCountsPairsAndHalfTies() {
    assertEquals(1.0, Metrics.auc(new double[] {0.1, 0.2, 0.8, 0.9}, new double[] {0, 0, 1, 1}));
    assertEquals(0.0, Metrics.auc(new double[] {0.9, 0.8, 0.2, 0.1}, new double[] {0, 0, 1, 1}));
    // pairs (pos,neg): (0.5,0.5)=tie 0.5, (0.5,0.1)=1, (0.7,0.5)=1, (0.7,0.1)=1 -> 3.5/4
    assertEquals(0.875, Metrics.auc(new double[] {0.5, 0.7, 0.5, 0.1}, new double[] {1, 1, 0, 0}), 1e-12);
    assertTrue(Double.isNaN(Metrics.auc(new double[] {0.1, 0.2}, new double[] {1, 1})));
  }

  @Test
  void brierMaeRmse() {
    double[] p = {0.2, 0.9};
    double[] y = {0, 1};
    assertEquals((0.04 + 0.01) / 2, Metrics.brier(p, y), 1e-12);
    assertEquals(0.15, Metrics.mae(p, y), 1e-12);
    assertEquals(Math.sqrt(0.025), Metrics.rmse(p, y), 1e-12);
  }

  @Test
  void calibrationBinsByPrediction() {
    List<Metrics.Bin> bins = Metrics.calibration(new double[] {0.05, 0.15, 0.12, 1.0}, new double[] {0, 1, 0, 1}, 10);
    assertEquals(10, bins.size());
    assertEquals(1, bins.get(0).count());
    assertEquals(2, bins.get(1).count());
    assertEquals(0.5, bins.get(1).observed(), 1e-12);
    assertEquals(0.135, bins.get(1).meanPredicted(), 1e-12);
    assertEquals(1, bins.get(9).count(), "p = 1.0 falls in the last bin");
    assertTrue(Double.isNaN(bins.get(5).observed()));
  }

  @Test
  void labelRules() {
    double[] q = {0.3, 0.45, 0.5}; // cheapest first, strong last
    assertEquals(1, DifficultyLabel.BEATS.label(q, 0.5));
    assertEquals(1, DifficultyLabel.BELOW_THRESHOLD.label(q, 0.5));
    assertEquals(0, DifficultyLabel.BELOW_THRESHOLD.label(q, 0.4));
    assertEquals(0, DifficultyLabel.BEATS.label(new double[] {0.5, 0.2, 0.5}, 0.5), "a tie is not a win");
    assertEquals(1, DifficultyLabel.BEATS.label(new double[] {0.7, 0.9}, 0.95), "beats ignores the threshold");
  }
}
