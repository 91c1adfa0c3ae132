package dev.switchboard.routing;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

class SelectionTest {

  static Policy qualityPolicy(double... thresholds) {
    List<Policy.Candidate> c =
        List.of(
            new Policy.Candidate("small", 0.1, 0.4, thresholds[0]),
            new Policy.Candidate("medium", 1.0, 4.0, thresholds[1]),
            new Policy.Candidate("large", 10.0, 30.0, thresholds[2]));
    return new Policy("v1", Policy.Kind.QUALITY_THRESHOLD, new Policy.ClassifierRef("m", "abc"), c, List.of(),
        Policy.Target.quality(0.9), null, null, null, "2026-01-01T00:00:00Z");
  }

  static Policy ladder(double... cuts) {
    List<Policy.Candidate> c =
        List.of(
            new Policy.Candidate("small", 0.1, 0.4, 0),
            new Policy.Candidate("medium", 1.0, 4.0, 0),
            new Policy.Candidate("large", 10.0, 30.0, 0));
    return new Policy("v2", Policy.Kind.DIFFICULTY_THRESHOLD, new Policy.ClassifierRef("m", "abc"), c,
        List.of(cuts[0], cuts[1]), Policy.Target.quality(0.8), null, null, null, "2026-01-01T00:00:00Z");
  }

  @Test
  void cheapestCandidateMeetingItsThresholdWins() {
    Policy p = qualityPolicy(0.7, 0.6, 0.0);
    Decision d = Selection.choose(p, new double[] {0.65, 0.62, 0.9}, 0.5);
    assertEquals("medium", d.model());
    assertEquals(1, d.index());
    assertEquals(Decision.Reason.MEETS_THRESHOLD, d.reason());
    assertEquals(0.6, d.effectiveThreshold(), 1e-12);
    assertArrayEquals(new int[] {2, 0}, d.fallbacks());
    assertEquals(List.of("large", "small"), d.fallbackModels(p));
  }

  @Test
  void thresholdIsInclusive() {
    Decision d = Selection.choose(qualityPolicy(0.7, 0.6, 0.5), new double[] {0.7, 0.1, 0.1}, 0);
    assertEquals("small", d.model());
  }

  @Test
  void noneMeetingThresholdFallsToBestPredicted() {
    Decision d = Selection.choose(qualityPolicy(0.9, 0.9, 0.9), new double[] {0.5, 0.8, 0.7}, 0);
    assertEquals("medium", d.model());
    assertEquals(Decision.Reason.BEST_PREDICTED, d.reason());
    assertArrayEquals(new int[] {2, 0}, d.fallbacks());
  }

  @Test
  void bestPredictedTieGoesToTheCheaper() {
    Decision d = Selection.choose(qualityPolicy(0.9, 0.9, 0.9), new double[] {0.5, 0.8, 0.8}, 0);
    assertEquals("medium", d.model());
  }

  @Test
  void qualityOverrideScalesThresholdsByTargetOverReference() {
    Policy p = qualityPolicy(0.6, 0.6, 0.0); // tuned for 0.9
    double[] q = {0.62, 0.7, 0.9};
    assertEquals("small", Selection.choose(p, q, 0).model());
    // 0.99 / 0.9 = 1.1 -> thresholds 0.66, 0.66, 0: small fails, medium passes
    Decision d = Selection.choose(p, q, 0, SelectionOverrides.NONE.withQualityTarget(0.99));
    assertEquals("medium", d.model());
    assertEquals(0.66, d.effectiveThreshold(), 1e-12);
    // a lower target lowers thresholds: 0.45 / 0.9 = 0.5 -> 0.3
    assertEquals("small", Selection.choose(p, new double[] {0.31, 0.1, 0.1}, 0,
        SelectionOverrides.NONE.withQualityTarget(0.45)).model());
  }

  @Test
  void effectiveThresholds_areTheOnesChooseDecidesBy() {
    SelectionOverrides higher = SelectionOverrides.NONE.withQualityTarget(0.99); // scale 1.1
    Policy q = qualityPolicy(0.6, 0.95, 0.0);
    assertArrayEquals(new double[] {0.66, 1.0, 0.0}, Selection.effectiveThresholds(q, higher), 1e-12);
    assertArrayEquals(new double[] {0.6, 0.95, 0.0}, Selection.effectiveThresholds(q, null), 0);
    Decision d = Selection.choose(q, new double[] {0.65, 0.99, 0.1}, 0, higher);
    assertEquals(Selection.effectiveThresholds(q, higher)[d.index()], d.effectiveThreshold(), 0);

    Policy l = ladder(0.4, 0.8); // tuned for 0.8; target 0.4 halves the scale, so the cuts double
    SelectionOverrides lower = SelectionOverrides.NONE.withQualityTarget(0.4);
    assertEquals(0.5, Selection.thresholdScale(l, lower), 1e-12);
    assertArrayEquals(new double[] {0.8, 1.6}, Selection.effectiveThresholds(l, lower), 1e-12);
    Decision r = Selection.choose(l, null, 0.7, lower);
    assertEquals("small", r.model());
    assertEquals(Selection.effectiveThresholds(l, lower)[0], r.effectiveThreshold(), 0);
  }

  @Test
  void scaledThresholdIsCappedAtOne() {
    Policy p = qualityPolicy(0.95, 0.95, 0.95);
    // 1.0/0.9 scale would give 1.055; capped at 1, so a predicted 1.0 still qualifies
    Decision d = Selection.choose(p, new double[] {1.0, 1.0, 1.0}, 0, SelectionOverrides.NONE.withQualityTarget(1.0));
    assertEquals("small", d.model());
    assertEquals(1.0, d.effectiveThreshold(), 0);
  }

  @Test
  void costCapSkipsCandidatesOverBudget() {
    Policy p = qualityPolicy(0.99, 0.6, 0.0);
    // 1000 in + 500 out tokens: small 0.0003, medium 0.003, large 0.025
    SelectionOverrides cap = SelectionOverrides.NONE.withMaxCost(0.01, 1000, 500);
    Decision d = Selection.choose(p, new double[] {0.5, 0.5, 0.9}, 0, cap);
    // medium fails its threshold, large is over budget: best predicted among small/medium, tie -> small
    assertEquals("small", d.model());
    assertEquals(Decision.Reason.BEST_PREDICTED, d.reason());
    assertArrayEquals(new int[] {1}, d.fallbacks());
  }

  @Test
  void costCapThatNothingFitsPicksCheapestExpected() {
    Decision d = Selection.choose(qualityPolicy(0.5, 0.5, 0.5), new double[] {0.9, 0.9, 0.9}, 0,
        SelectionOverrides.NONE.withMaxCost(0.000001, 1000, 500));
    assertEquals("small", d.model());
    assertEquals(Decision.Reason.CHEAPEST_OVER_BUDGET, d.reason());
  }

  @Test
  void candidateSubsetRestrictsChoiceAndFallbacks() {
    SelectionOverrides only = SelectionOverrides.NONE.withAllowedModels(Set.of("medium", "large"));
    Decision d = Selection.choose(qualityPolicy(0.5, 0.6, 0.0), new double[] {0.9, 0.5, 0.8}, 0, only);
    assertEquals("large", d.model());
    assertArrayEquals(new int[] {1}, d.fallbacks());
    assertThrows(IllegalArgumentException.class, () -> Selection.choose(qualityPolicy(0.5, 0.5, 0.5),
        new double[] {1, 1, 1}, 0, SelectionOverrides.NONE.withAllowedModels(Set.of("nope"))));
  }

  @Test
  void wrongNumberOfScoresIsRejected() {
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> Selection.choose(qualityPolicy(0.5, 0.5, 0.5), new double[] {1, 1}, 0));
    assertEquals("predicted quality has 2 values but the policy has 3 candidates", e.getMessage());
  }

  @Test
  void difficultyLadderPicksRungBelowFirstCutAbove() {
    Policy p = ladder(0.3, 0.7);
    assertEquals("small", Selection.choose(p, null, 0.29).model());
    assertEquals("medium", Selection.choose(p, null, 0.3).model());
    assertEquals("medium", Selection.choose(p, null, 0.69).model());
    Decision top = Selection.choose(p, null, 0.7);
    assertEquals("large", top.model());
    assertEquals(Decision.Reason.DIFFICULTY_RUNG, top.reason());
    // no predictions: fallbacks by descending price
    assertArrayEquals(new int[] {1, 0}, top.fallbacks());
  }

  @Test
  void difficultyOverrideLowersCutsForHigherTarget() {
    Policy p = ladder(0.3, 0.7); // reference 0.8
    // target 1.0 -> scale 1.25 -> cuts 0.24, 0.56
    SelectionOverrides o = SelectionOverrides.NONE.withQualityTarget(1.0);
    assertEquals("medium", Selection.choose(p, null, 0.25, o).model());
    assertEquals("large", Selection.choose(p, null, 0.6, o).model());
  }

  @Test
  void difficultyRungNotAllowedGoesToNearestStronger() {
    Policy p = ladder(0.3, 0.7);
    Decision d = Selection.choose(p, null, 0.1, SelectionOverrides.NONE.withAllowedModels(Set.of("medium", "large")));
    assertEquals("medium", d.model());
    assertEquals(Decision.Reason.DIFFICULTY_NEAREST_ALLOWED, d.reason());
    Decision down = Selection.choose(p, null, 0.9, SelectionOverrides.NONE.withAllowedModels(Set.of("small", "medium")));
    assertEquals("medium", down.model());
  }

  @Test
  void twoModelDifficultyPolicy() {
    List<Policy.Candidate> c = List.of(new Policy.Candidate("cheap", 0.1, 0.1, 0), new Policy.Candidate("strong", 5, 5, 0));
    Policy p = new Policy("v", Policy.Kind.DIFFICULTY_THRESHOLD, new Policy.ClassifierRef("m", "s"), c, List.of(0.5),
        null, null, null, null, "t");
    assertEquals("cheap", Selection.choose(p, new double[] {0.2, 0.9}, 0.49).model());
    Decision d = Selection.choose(p, new double[] {0.2, 0.9}, 0.5);
    assertEquals("strong", d.model());
    assertEquals(0.9, d.predictedQuality(), 0);
  }
}
