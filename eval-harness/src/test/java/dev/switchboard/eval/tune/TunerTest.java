package dev.switchboard.eval.tune;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.switchboard.eval.run.OperatingPoint;
import dev.switchboard.eval.run.EvalTable;
import dev.switchboard.eval.run.Progress;
import dev.switchboard.eval.run.Scored;
import dev.switchboard.eval.run.SyntheticRouting;
import dev.switchboard.routing.Policy;
import org.junit.jupiter.api.Test;

class TunerTest {
  static final EvalTable T = EvalTable.build(SyntheticRouting.rows(2000, 4), "syn", "validation", SyntheticRouting.MODELS);
  static final Scored S = Scored.score(T, new SyntheticRouting.StandInScorer(4, 0.3), Progress.silent());

  @Test
  void qualityTargetIsMetAtTheCheapestVisitedState() {
    double bestQ = T.meanQuality(T.bestModel());
    Tuner.Result r = Tuner.tune(T, S, Policy.Target.quality(0.95), "sha");
    assertTrue(r.reached());
    assertTrue(r.point().meanQuality() >= 0.95 * bestQ - 1e-12);
    for (OperatingPoint p : r.path()) {
      if (p.meanQuality() >= 0.95 * bestQ - 1e-12) {
        assertTrue(p.meanCost() >= r.point().meanCost());
      }
    }
    assertTrue(r.point().meanCost() < T.meanCost(T.bestModel()), "cheaper than always-best");
    // the walk only ever moves to cheaper states
    for (int i = 1; i < r.path().size(); i++) {
      assertTrue(r.path().get(i).meanCost() <= r.path().get(i - 1).meanCost() + 1e-15);
    }
  }

  @Test
  void costCapIsRespectedAndHigherTargetsCostMore() {
    double cap = 0.5 * T.meanCost(T.bestModel());
    Tuner.Result r = Tuner.tune(T, S, Policy.Target.cost(cap), "sha");
    assertTrue(r.reached());
    assertTrue(r.point().meanCost() <= cap);
    double c90 = Tuner.tune(T, S, Policy.Target.quality(0.90), "sha").point().meanCost();
    double c98 = Tuner.tune(T, S, Policy.Target.quality(0.98), "sha").point().meanCost();
    assertTrue(c98 >= c90);
    assertEquals(3, r.thresholds().length);
  }

  @Test
  void unreachableTargetIsReportedNotHidden() {
    Tuner.Result r = Tuner.tune(T, S, Policy.Target.cost(1e-12), "sha");
    assertFalse(r.reached());
  }
}
