package dev.switchboard.eval.run;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.switchboard.routing.metrics.SweepPoint;
import dev.switchboard.routing.metrics.TwoModelMetrics;
import java.util.List;
import org.junit.jupiter.api.Test;

class EvaluationTest {
  static final List<String> M = SyntheticRouting.MODELS;

  static EvalTable table() {
    return EvalTable.build(SyntheticRouting.rows(1500, 3), "synthetic.parquet", "test", M);
  }

  static EvalResult.Meta meta(EvalTable t) {
    return new EvalResult.Meta("switchboard eval ...", "synthetic.parquet", "ds", "stand-in", "sha", "test", t.size(),
        t.droppedPrompts, 0.5, 42, 10, 200, "2026-11-25T00:00:00Z");
  }

  @Test
  void tableOrdersCandidatesByCostAndFitsPrices() {
    EvalTable t = table();
    assertEquals(M, t.candidates);
    assertEquals(300, t.size());
    double[] price = t.fittedPrice(2);
    assertEquals(5.0, price[0], 1e-6);
    assertEquals(15.0, price[1], 1e-6);
    assertEquals(2, t.bestModel());
  }

  @Test
  void clearErrorsForEmptySplitAndMissingModel() {
    List<dev.switchboard.dataset.RoutingRow> rows = SyntheticRouting.rows(50, 1);
    assertEquals("split 'dev' of d.parquet is empty (splits present: test, train, validation)",
        assertThrows(EvalException.class, () -> EvalTable.build(rows, "d.parquet", "dev", M)).getMessage());
    assertEquals("d.parquet has no rows for model gpt-9 in split 'test' (models present: big-70b, mid-8b, tiny-1b)",
        assertThrows(EvalException.class, () -> EvalTable.build(rows, "d.parquet", "test", List.of("tiny-1b", "gpt-9")))
            .getMessage());
  }

  @Test
  void classifierThatDoesNotScoreACandidateIsRejected() {
    EvalTable t = table();
    PromptScorer two = new SyntheticRouting.StandInScorer(3, 0.1) {
      @Override
      public List<String> candidates() {
        return List.of("big-70b", "tiny-1b");
      }
    };
    assertEquals("classifier stand-in does not score mid-8b (its candidates: big-70b, tiny-1b)",
        assertThrows(EvalException.class, () -> Scored.score(t, two, Progress.silent())).getMessage());
  }

  @Test
  void selectionDrivenSweepsEqualRouteLlmSweeps() {
    EvalTable t = table();
    Scored s = Scored.score(t, new SyntheticRouting.StandInScorer(3, 0.3), Progress.silent());
    double[] negWeak = new double[t.size()];
    for (int p = 0; p < t.size(); p++) {
      negWeak[p] = -s.predicted[p][0];
    }
    double[] qw = Evaluation.column(t.quality, 0);
    double[] qs = Evaluation.column(t.quality, 2);
    double[] cw = Evaluation.column(t.cost, 0);
    double[] cs = Evaluation.column(t.cost, 2);
    assertSame(TwoModelMetrics.sweep(negWeak, qw, qs, cw, cs, 10), Policies.routerTwoModel(t, s, 0, 2, 10, "x"));
    assertSame(TwoModelMetrics.sweep(s.difficulty, qw, qs, cw, cs, 10), Policies.difficulty(t, s, 0, 2, 10, "x"));
  }

  private static void assertSame(List<SweepPoint> ref, PolicyRun run) {
    assertEquals(ref.size(), run.points().size());
    for (int i = 0; i < ref.size(); i++) {
      OperatingPoint p = run.points().get(i);
      assertEquals(ref.get(i).strongShare(), p.callShare()[2], 1e-12, "share at " + i);
      assertEquals(ref.get(i).meanQuality(), p.meanQuality(), 1e-12, "quality at " + i);
      assertEquals(ref.get(i).meanCost(), p.meanCost(), 1e-15, "cost at " + i);
    }
  }

  @Test
  void routerBeatsRandomAndOracleBeatsRouter() {
    EvalTable t = table();
    Scored s = Scored.score(t, new SyntheticRouting.StandInScorer(3, 0.3), Progress.silent());
    EvalResult r = Evaluation.run(t, s, new EvalOptions(0, 2, 0.5, 42, 10, 200), meta(t), null);
    EvalResult.TwoModel router = r.twoModel().get("router");
    EvalResult.TwoModel random = r.twoModel().get("random");
    EvalResult.TwoModel oracle = r.twoModel().get("oracle");
    assertEquals(0.5, random.apgr(), 0.06);
    assertTrue(router.apgr() > random.apgr() + 0.1, router.apgr() + " vs " + random.apgr());
    assertTrue(router.apgrCi()[0] > 0.5, "CI " + router.apgrCi()[0]);
    assertTrue(router.apgrCi()[0] <= router.apgr() && router.apgr() <= router.apgrCi()[1]);
    assertTrue(oracle.apgr() >= router.apgr(), oracle.apgr() + " vs " + router.apgr() + " diff " + r.twoModel().get("difficulty").apgr());
    assertTrue(r.metrics().get("oracle").aiq() >= r.metrics().get("router").aiq());
    // always-best saves nothing at its own quality
    assertEquals(0.0, r.metrics().get("single:big-70b").savingsAt99(), 1e-12);
    assertTrue(r.metrics().get("router").savingsAt95() > 0);
    // the router's sweep spans from all-cheapest to mostly-best-predicted
    List<OperatingPoint> pts = r.runs().get(0).points();
    assertEquals(1.0, pts.get(0).callShare()[0], 1e-12);
    assertEquals(3, r.categories().size());
    assertEquals(10, r.reliability().size());
  }

  @Test
  void deterministicGivenSeed() {
    EvalTable t = table();
    Scored s = Scored.score(t, new SyntheticRouting.StandInScorer(3, 0.3), Progress.silent());
    EvalOptions o = new EvalOptions(0, 2, 0.5, 7, 10, 100);
    EvalResult a = Evaluation.run(t, s, o, meta(t), null);
    EvalResult b = Evaluation.run(t, s, o, meta(t), null);
    assertEquals(a.twoModel().get("random").apgr(), b.twoModel().get("random").apgr(), 0);
    assertEquals(a.twoModel().get("router").apgrCi()[0], b.twoModel().get("router").apgrCi()[0], 0);
    assertEquals(a.metrics().get("router").savingsAt95Ci()[1], b.metrics().get("router").savingsAt95Ci()[1], 0);
  }
}
