package dev.switchboard.eval.report;

import dev.switchboard.eval.run.EvalResult;
import dev.switchboard.eval.run.OperatingPoint;
import dev.switchboard.eval.run.PolicyRun;
import dev.switchboard.routing.metrics.SweepPoint;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/*
 * Design
 * ------
 * When `train` picks a baseline's model as the classifier (arena: kNN; AlpacaEval pool8: logistic regression), the
 * router and that baseline make the same choice on every prompt, and the tables printed two identical rows. Rows
 * are merged here, once for both the HTML and the Markdown report: a run whose every operating point equals an
 * earlier run's is folded into that row's name ("Eval-driven router = Logistic regression"). Likewise AIQ is the
 * area under a sweep's hull: for a policy with one setting (a single model, a tuned policy) it is a rectangle, not
 * comparable with the others, so rows say so instead of printing it.
 */
/** The rows of the report's policy tables, with identical policies merged. */
final class PolicyRows {
  private PolicyRows() {}

  /** Footnote of a single-point policy's AIQ cell. */
  static final String SINGLE_POINT_NOTE = "AIQ is the area under a policy's cost-quality sweep; a policy with one setting"
      + " (one model, or a tuned policy) has no sweep, so its AIQ is not comparable and is not shown.";
  static final String RANDOM_NOTE = "The random mix is reported at the mix whose cost is closest to the router's reported"
      + " setting (p = share of calls to the strong model); its whole curve is in the cost-quality chart.";

  /**
   * One table row.
   *
   * @param name display name, with the names of identical policies merged in
   * @param setting the reported setting
   * @param singlePoint whether the policy has one setting only (AIQ not comparable)
   */
  record Row(PolicyRun run, EvalResult.PolicyMetrics metrics, String name, String setting, boolean singlePoint) {}

  /** Every policy, in run order, identical ones merged into the first. */
  static List<Row> all(EvalResult r) {
    List<Row> rows = new ArrayList<>();
    for (PolicyRun run : r.runs()) {
      EvalResult.PolicyMetrics pm = r.metrics().get(run.id());
      String name = name(r, run, pm);
      int same = -1;
      for (int i = 0; i < rows.size() && same < 0; i++) {
        if (samePoints(rows.get(i).run(), run)) same = i;
      }
      if (same >= 0) {
        Row keep = rows.get(same);
        rows.set(same, new Row(keep.run(), keep.metrics(), keep.name() + " = " + name, keep.setting(), keep.singlePoint()));
        continue;
      }
      String setting = run.points().get(pm.operatingPoint()).label();
      if (run.family() == PolicyRun.Family.RANDOM) setting += " (at the router's cost)";
      rows.add(new Row(run, pm, name, setting, run.points().size() == 1));
    }
    return rows;
  }

  /** The rows of the call-share view: router, difficulty, tuned, oracle and random, merged like {@link #all}. */
  static List<Row> callShare(EvalResult r) {
    List<String> ids = List.of("router", "difficulty", "tuned", "oracle", "random");
    List<Row> out = new ArrayList<>();
    for (Row row : all(r)) {
      if (ids.contains(row.run().id())) out.add(row);
    }
    // a merged name may list baselines too ("Eval-driven router = k-nearest neighbours"); keep only the shown policies'
    return out;
  }

  /** A weak/strong table row. */
  record TwoModelRow(EvalResult.TwoModel tm, String name) {}

  /** The weak/strong rows, identical sweeps merged. */
  static List<TwoModelRow> twoModel(EvalResult r) {
    List<TwoModelRow> rows = new ArrayList<>();
    for (EvalResult.TwoModel tm : r.twoModel().values()) {
      int same = -1;
      for (int i = 0; i < rows.size() && same < 0; i++) {
        if (sameSweep(rows.get(i).tm(), tm)) same = i;
      }
      if (same >= 0) {
        rows.set(same, new TwoModelRow(rows.get(same).tm(), rows.get(same).name() + " = " + tm.name()));
      } else {
        rows.add(new TwoModelRow(tm, tm.name()));
      }
    }
    return rows;
  }

  static String name(EvalResult r, PolicyRun run, EvalResult.PolicyMetrics pm) {
    if (run.family() != PolicyRun.Family.SINGLE) return run.id().equals("tuned") ? "Tuned policy" : pm.name();
    String n = "Always " + pm.name();
    return run.id().equals("single:" + r.candidates().get(r.best())) ? n + " (best)" : n;
  }

  static boolean samePoints(PolicyRun a, PolicyRun b) {
    if (a.points().size() != b.points().size()) return false;
    for (int i = 0; i < a.points().size(); i++) {
      OperatingPoint p = a.points().get(i);
      OperatingPoint q = b.points().get(i);
      if (p.meanQuality() != q.meanQuality() || p.meanCost() != q.meanCost() || !Arrays.equals(p.callShare(), q.callShare())) {
        return false;
      }
    }
    return true;
  }

  static boolean sameSweep(EvalResult.TwoModel a, EvalResult.TwoModel b) {
    if (a.sweep().size() != b.sweep().size() || a.apgr() != b.apgr()) return false;
    for (int i = 0; i < a.sweep().size(); i++) {
      SweepPoint p = a.sweep().get(i);
      SweepPoint q = b.sweep().get(i);
      if (p.meanQuality() != q.meanQuality() || p.strongShare() != q.strongShare()) return false;
    }
    return true;
  }
}
