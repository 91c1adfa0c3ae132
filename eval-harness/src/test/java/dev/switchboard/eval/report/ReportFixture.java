package dev.switchboard.eval.report;

import dev.switchboard.eval.run.SelectionPolicies;
import dev.switchboard.eval.run.EvalOptions;
import dev.switchboard.eval.run.EvalResult;
import dev.switchboard.eval.run.EvalTable;
import dev.switchboard.eval.run.Evaluation;
import dev.switchboard.eval.run.Progress;
import dev.switchboard.eval.run.Scored;
import dev.switchboard.eval.run.SyntheticRouting;
import dev.switchboard.eval.tune.Tuner;
import dev.switchboard.routing.Policy;
import java.util.List;

/** A full evaluation of the synthetic dataset with the stand-in classifier, including a tuned policy. */
final class ReportFixture {
  private ReportFixture() {}

  static EvalResult result() {
    return withNotes(null).result();
  }

  /** The evaluation and its reader notes (examples, monthly projection at 200,000 requests, a made-up latency). */
  record WithNotes(EvalResult result, ReaderNotes notes) {}

  /** @param dataset where the notes look for the dataset's card (null: the synthetic path, which has none) */
  static WithNotes withNotes(java.nio.file.Path dataset) {
    EvalTable t = EvalTable.build(SyntheticRouting.rows(3000, 3), "datasets/synthetic.parquet", "test", SyntheticRouting.MODELS);
    EvalTable v = EvalTable.build(SyntheticRouting.rows(3000, 3), "datasets/synthetic.parquet", "validation", SyntheticRouting.MODELS);
    SyntheticRouting.StandInScorer scorer = new SyntheticRouting.StandInScorer(3, 0.3);
    Scored s = Scored.score(t, scorer, Progress.silent());
    Tuner.Result tuned = Tuner.tune(v, Scored.score(v, scorer, Progress.silent()), Policy.Target.quality(0.95), scorer.sha256());
    Policy policy = new Policy("20261125T120000Z-abcdef12", Policy.Kind.QUALITY_THRESHOLD,
        new Policy.ClassifierRef("models/stand-in", scorer.sha256()), SelectionPolicies.candidates(v, tuned.thresholds()),
        List.of(), Policy.Target.quality(0.95), null, null, null, "2026-11-25T12:00:00Z");
    EvalResult.Meta meta = new EvalResult.Meta(
        "switchboard eval --dataset datasets/synthetic.parquet --classifier models/stand-in --out reports/synthetic/",
        "datasets/synthetic.parquet", "5f1e0c6a9d8b7e6f5a4b3c2d1e0f9a8b7c6d5e4f3a2b1c0d9e8f7a6b5c4d3e2f",
        "models/stand-in", scorer.sha256(), "test", t.size(), t.droppedPrompts, 0.5, 42, 10, 300, "2026-11-25T13:00:00Z");
    EvalResult r = Evaluation.run(t, s, new EvalOptions(0, 2, 0.5, 42, 10, 300), meta, policy);
    ReaderNotes notes = ReaderNotes.of(r, t, s, dataset == null ? java.nio.file.Path.of("datasets/synthetic.parquet") : dataset, 200_000,
        new ReaderNotes.Latency(50, 0.21, 1.9, "Test CPU"));
    return new WithNotes(r, notes);
  }
}
