package dev.switchboard.classifier.learn;

import dev.switchboard.classifier.features.FeatureSpec;
import java.util.List;
import java.util.Random;

/** Small hand-made data with known answers for the learners' tests. */
final class HandMade {
  private HandMade() {}

  /**
   * Two categories, two candidates, embedding width 4 (one-hot-like directions), no cheap features:
   * in category "a" the cheap candidate scores 0.9 and the dear one 0.6; in "b" 0.1 and 0.8.
   * Prompts of "a" point along e0, prompts of "b" along e1 (plus small noise), so the embedding
   * carries the same signal as the category.
   */
  static Data twoCategories(int perCategory, long seed) {
    FeatureSpec spec = new FeatureSpec(4, List.of(), List.of("a", "b"), "test");
    Random r = new Random(seed);
    int n = 2 * perCategory;
    float[][] x = new float[n][];
    double[][] q = new double[n][];
    double[][] c = new double[n][];
    for (int i = 0; i < n; i++) {
      boolean a = i % 2 == 0;
      float[] row = new float[6];
      row[a ? 0 : 1] = 1f;
      row[2] = (float) (r.nextGaussian() * 0.05);
      row[3] = (float) (r.nextGaussian() * 0.05);
      normalise(row, 4);
      row[a ? 4 : 5] = 1f;
      x[i] = row;
      q[i] = a ? new double[] {0.9, 0.6} : new double[] {0.1, 0.8};
      c[i] = new double[] {0.001, 0.01};
    }
    return new Data(x, q, c, spec);
  }

  static void normalise(float[] row, int dim) {
    double s = 0;
    for (int i = 0; i < dim; i++) {
      s += row[i] * row[i];
    }
    s = Math.sqrt(s);
    for (int i = 0; i < dim; i++) {
      row[i] /= (float) s;
    }
  }
}
