package dev.switchboard.classifier.learn;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.switchboard.classifier.features.FeatureSpec;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Each family on hand-made data whose right answers are known. */
class LearnersTest {

  @Test
  void categoryPrior_isTheShrunkCategoryMean() {
    FeatureSpec spec = new FeatureSpec(1, List.of(), List.of("a", "b"), "test");
    // category a: qualities 1, 1, 0 (mean 2/3); category b: 0 (one prompt); no category: 1.
    float[][] x = {{0, 1, 0}, {0, 1, 0}, {0, 1, 0}, {0, 0, 1}, {0, 0, 0}};
    double[][] q = {{1}, {1}, {0}, {0}, {1}};
    double[][] c = {{1}, {1}, {1}, {1}, {1}};
    Data d = new Data(x, q, c, spec);
    double global = 3.0 / 5;
    Fitted unshrunk = new CategoryPrior(0).fit(d, 1);
    assertEquals(2.0 / 3, unshrunk.predict(new float[][] {{0, 1, 0}})[0][0], 1e-12);
    assertEquals(0.0, unshrunk.predict(new float[][] {{0, 0, 1}})[0][0], 1e-12);
    assertEquals(global, unshrunk.predict(new float[][] {{0, 0, 0}})[0][0], 1e-12, "no category: the global mean");
    Fitted shrunk = new CategoryPrior(2).fit(d, 1);
    assertEquals((2 + 2 * global) / (3 + 2), shrunk.predict(new float[][] {{0, 1, 0}})[0][0], 1e-12);
    assertEquals((0 + 2 * global) / (1 + 2), shrunk.predict(new float[][] {{0, 0, 1}})[0][0], 1e-12);
  }

  @Test
  void knn_averagesTheNearestPromptsAndBreaksTiesByRow() {
    FeatureSpec spec = new FeatureSpec(2, List.of(), List.of(), "test");
    float[][] x = {{1, 0}, {0.8f, 0.6f}, {0, 1}, {-1, 0}};
    double[][] q = {{1.0}, {0.5}, {0.0}, {0.2}};
    double[][] c = {{1}, {1}, {1}, {1}};
    Fitted f = new Knn(2).fit(new Data(x, q, c, spec), 1);
    // (1, 0): nearest are row 0 (cos 1) and row 1 (cos 0.8) -> (1.0 + 0.5) / 2
    assertEquals(0.75, f.predict(new float[][] {{1, 0}})[0][0], 1e-12);
    // (0, 1): rows 2 (1) and 1 (0.6)
    assertEquals(0.25, f.predict(new float[][] {{0, 1}})[0][0], 1e-12);
    // a zero vector ties everything at 0: the first two rows
    assertEquals(0.75, f.predict(new float[][] {{0, 0}})[0][0], 1e-12);
  }

  @Test
  void logReg_recoversGroupRatesFromABinaryFeature() {
    Data d = HandMade.twoCategories(100, 7);
    Fitted f = new LogReg(1e-4, false).fit(d, 1);
    double[][] p = f.predict(new float[][] {d.x()[0], d.x()[1]});
    assertArrayEquals(new double[] {0.9, 0.6}, p[0], 0.03, "category a rates");
    assertArrayEquals(new double[] {0.1, 0.8}, p[1], 0.03, "category b rates");
  }

  @Test
  void irt_ranksPromptsByDifficultyAndCandidatesByAbility() {
    Data d = HandMade.twoCategories(100, 3);
    Irt.Head h = new Irt(1e-4).fit(d, 1);
    double[][] p = h.predict(new float[][] {d.x()[0], d.x()[1]});
    assertTrue(p[0][0] > 0.8 && p[1][0] < 0.2, "cheap candidate: good on a, bad on b " + java.util.Arrays.deepToString(p));
    double[] difficulty = h.difficulty(new float[][] {d.x()[0], d.x()[1]});
    assertTrue(difficulty[1] > difficulty[0], "b is harder on average: " + java.util.Arrays.toString(difficulty));
  }

  @Test
  void irt_estimatesTheAbilityThatGeneratedTheGrades() {
    java.util.Random r = new java.util.Random(5);
    int n = 4000;
    double[] a = new double[n];
    double[] b = new double[n];
    double[] q = new double[n];
    double theta = 0.7;
    for (int i = 0; i < n; i++) {
      a[i] = 0.5 + r.nextDouble() * 1.5;
      b[i] = r.nextGaussian();
      q[i] = r.nextDouble() < 1 / (1 + Math.exp(-a[i] * (theta - b[i]))) ? 1 : 0;
    }
    assertEquals(theta, Irt.estimateAbility(a, b, q), 0.08);
    // all grades 1: finite (the tiny ridge), and above every prompt's difficulty
    double[] ones = new double[50];
    java.util.Arrays.fill(ones, 1);
    double t = Irt.estimateAbility(java.util.Arrays.copyOf(a, 50), java.util.Arrays.copyOf(b, 50), ones);
    assertTrue(Double.isFinite(t) && t > 2, "all adequate: a high, finite ability, got " + t);
  }

  @Test
  void stack_blendsItsMembersByWeight() {
    Data d = HandMade.twoCategories(20, 1);
    Stack s = new Stack(List.of(new CategoryPrior(0), new Knn(1)), new double[] {0.25, 0.75});
    double[][] blend = s.fit(d, 1).predict(new float[][] {d.x()[0]});
    double[][] prior = new CategoryPrior(0).fit(d, 1).predict(new float[][] {d.x()[0]});
    double[][] knn = new Knn(1).fit(d, 1).predict(new float[][] {d.x()[0]});
    assertEquals(0.25 * prior[0][0] + 0.75 * knn[0][0], blend[0][0], 1e-12);
    assertEquals("stack(0.25 prior(kappa=0) + 0.75 knn(k=1))", s.name());
  }
}
