package dev.switchboard.classifier.learn;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.switchboard.classifier.features.FeatureSpec;
import dev.switchboard.classifier.heads.TrainConfig;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

/** The family is fitted, scored by cross-validation, and the best candidate chosen. */
class RouterTrainerTest {

  static RouterTrainer.Options options(List<Family> families) {
    return new RouterTrainer.Options(4, 11, families, new TrainConfig(8, 1e-2, 3e-3, 16, 40, 8, 11, 1.0), 2);
  }

  /**
   * The signal is only in the category (embeddings are random noise): the prior must win over kNN,
   * whose neighbours are random prompts.
   */
  @Test
  void train_choosesTheFamilyWithTheBestCrossValidatedScore() {
    Random r = new Random(2);
    FeatureSpec spec = new FeatureSpec(8, List.of(), List.of("easy", "hard"), "test");
    int n = 400;
    float[][] x = new float[n][];
    double[][] q = new double[n][];
    double[][] c = new double[n][];
    for (int i = 0; i < n; i++) {
      boolean hard = r.nextBoolean();
      float[] row = new float[10];
      for (int j = 0; j < 8; j++) {
        row[j] = (float) r.nextGaussian();
      }
      HandMade.normalise(row, 8);
      row[hard ? 9 : 8] = 1f;
      x[i] = row;
      double cheap = hard ? (r.nextDouble() < 0.2 ? 1 : 0) : (r.nextDouble() < 0.9 ? 1 : 0);
      double dear = r.nextDouble() < 0.9 ? 1 : 0;
      q[i] = new double[] {cheap, dear};
      c[i] = new double[] {0.001, 0.01};
    }
    Data all = new Data(x, q, c, spec);
    Data train = all.rows(java.util.stream.IntStream.range(0, 300).toArray());
    Data val = all.rows(java.util.stream.IntStream.range(300, 400).toArray());
    RouterTrainer.Result res = RouterTrainer.train(train, val, options(List.of(Family.PRIOR, Family.KNN)), line -> { });
    assertEquals(Family.PRIOR, res.chosen().family(), "chosen " + res.chosen().name() + " of " + res.grid());
    assertEquals(2, res.candidates().size());
    RouterTrainer.Scored prior = res.candidates().stream().filter(s -> s.learner().family() == Family.PRIOR).findFirst().orElseThrow();
    RouterTrainer.Scored knn = res.candidates().stream().filter(s -> s.learner().family() == Family.KNN).findFirst().orElseThrow();
    assertTrue(prior.cvScore() > knn.cvScore(), prior + " vs " + knn);
    assertTrue(prior.chosen() && !knn.chosen());
    assertTrue(Double.isFinite(prior.validationScore()), "scored on the held-out validation split too");
    assertNotNull(res.irt(), "an IRT head is always fitted");
    // every setting of the grid was tried and recorded
    assertEquals(4 + 4, res.grid().size() - 3, "4 priors, 4 kNN (+3 IRT settings): " + res.grid().keySet());
  }

  @Test
  void folds_areSeededAndBalanced() {
    int[] f = RouterTrainer.folds(103, 5, 9);
    int[] count = new int[5];
    for (int v : f) {
      count[v]++;
    }
    for (int v : count) {
      assertTrue(v == 20 || v == 21, java.util.Arrays.toString(count));
    }
    assertEquals(java.util.Arrays.toString(f), java.util.Arrays.toString(RouterTrainer.folds(103, 5, 9)));
  }

  @Test
  void stackWeights_pickTheMemberThatRoutes() {
    Data d = HandMade.twoCategories(50, 4);
    double[][] good = d.q();
    double[][] bad = new double[d.size()][];
    for (int i = 0; i < bad.length; i++) {
      bad[i] = new double[] {0.5, 0.5};
    }
    double[] w = RouterTrainer.stackWeights(List.of(bad, good), d, RouterTrainer.all(d.size()));
    assertEquals(1.0, w[1], 1e-12, java.util.Arrays.toString(w));
  }
}
