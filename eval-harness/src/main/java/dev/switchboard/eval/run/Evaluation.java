package dev.switchboard.eval.run;

import dev.switchboard.classifier.train.Metrics;
import dev.switchboard.routing.metrics.Bootstrap;
import dev.switchboard.routing.metrics.CostQuality;
import dev.switchboard.routing.metrics.CostQualityHull;
import dev.switchboard.routing.metrics.Savings;
import dev.switchboard.routing.metrics.SweepPoint;
import dev.switchboard.routing.metrics.TwoModelMetrics;
import dev.switchboard.routing.Policy;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.TreeMap;

/** Runs every compared policy over a scored table and computes all metrics. Deterministic given the seed. */
public final class Evaluation {
  private Evaluation() {}

  /** The many-model router's sweep has this many times --bins quantile thresholds. */
  public static final int ROUTER_SWEEP_FACTOR = 4;

  public static EvalResult run(EvalTable t, Scored s, EvalOptions o, EvalResult.Meta meta, Policy tuned) {
    return run(t, s, o, meta, tuned, List.of());
  }

  public static EvalResult run(EvalTable t, Scored s, EvalOptions o, EvalResult.Meta meta, Policy tuned,
                               List<Baselines.Baseline> baselines) {
    String sha = meta.classifierSha256();
    int best = t.bestModel();
    int cheapest = 0;
    List<PolicyRun> runs = new ArrayList<>();
    // The many-model router is swept four times finer than the two-model sweeps: its 1-D threshold
    // moves across several models' predictions, and the cost-quality plane needs the resolution.
    PolicyRun router = Policies.router(t, s, o.bins() * ROUTER_SWEEP_FACTOR, sha);
    runs.add(router);
    PolicyRun router2 = Policies.routerTwoModel(t, s, o.weak(), o.strong(), o.bins(), sha);
    runs.add(router2);
    runs.add(Policies.difficulty(t, s, o.weak(), o.strong(), o.bins(), sha));
    List<PolicyRun> baselineRuns = new ArrayList<>();
    List<PolicyRun> baselineTwo = new ArrayList<>();
    for (Baselines.Baseline b : baselines) {
      baselineRuns.add(Policies.router(t, b.scored(), o.bins() * ROUTER_SWEEP_FACTOR, sha)
          .as(b.id(), b.name(), PolicyRun.Family.BASELINE));
      baselineTwo.add(Policies.routerTwoModel(t, b.scored(), o.weak(), o.strong(), o.bins(), sha)
          .as(b.id() + "-2", b.name() + " (weak/strong)", PolicyRun.Family.BASELINE));
    }
    runs.addAll(baselineRuns);
    runs.addAll(baselineTwo);
    runs.add(Policies.randomMix(t, o.weak(), o.strong(), o.seed()));
    runs.add(Policies.oracle(t, o.adequacy()));
    if (tuned != null) {
      runs.add(Policies.tuned(t, s, tuned));
    }
    for (int c = 0; c < t.models(); c++) {
      runs.add(Policies.single(t, c));
    }

    double bestQ = t.meanQuality(best);
    double bestC = t.meanCost(best);
    double cMin = Double.POSITIVE_INFINITY;
    double cMax = Double.NEGATIVE_INFINITY;
    for (PolicyRun r : runs) {
      for (OperatingPoint p : r.points()) {
        cMin = Math.min(cMin, p.meanCost());
        cMax = Math.max(cMax, p.meanCost());
      }
    }
    Map<String, EvalResult.PolicyMetrics> metrics = new LinkedHashMap<>();
    for (PolicyRun r : runs) {
      metrics.put(r.id(), policyMetrics(t, r, o, best, bestQ, bestC, cMin, cMax));
    }

    matchRandomToRouterCost(runs, metrics);

    PolicyRun diff = runs.get(2);
    List<PolicyRun> twoRuns = new ArrayList<>(List.of(router2, diff));
    twoRuns.addAll(baselineTwo);
    List<PolicyRun> aiqRuns = new ArrayList<>(List.of(router));
    aiqRuns.addAll(baselineRuns);
    BootstrapCis cis = bootstrap(t, runs, twoRuns, aiqRuns, o, best, cMin, cMax);
    for (PolicyRun r : runs) {
      double[][] c = cis.savings.get(r.id());
      if (c != null) {
        EvalResult.PolicyMetrics pm = metrics.get(r.id());
        metrics.put(r.id(), new EvalResult.PolicyMetrics(pm.id(), pm.name(), pm.family(), pm.aiq(), pm.savingsAt95(), c[0],
            pm.savingsAt99(), c[1], pm.operatingPoint(), pm.meanQuality(), pm.costPer1k(), pm.callShare()));
      }
    }
    Map<String, EvalResult.TwoModel> two = new LinkedHashMap<>();
    two.put("router", twoModelFromRun(t, router2, "router", "Eval-driven router", o, cis.apgr.get(router2.id())));
    two.put("difficulty", twoModelFromRun(t, diff, "difficulty", diff.name(), o, cis.apgr.get(diff.id())));
    List<EvalResult.Comparison> comparisons = new ArrayList<>();
    for (int i = 0; i < baselines.size(); i++) {
      Baselines.Baseline b = baselines.get(i);
      PolicyRun bt = baselineTwo.get(i);
      EvalResult.TwoModel tm = twoModelFromRun(t, bt, b.id(), b.name(), o, cis.apgr.get(bt.id()));
      two.put(b.id(), tm);
      comparisons.add(new EvalResult.Comparison(b.id(), b.name(), b.setting(), b.cvScore(),
          metrics.get("router").aiq() - metrics.get(b.id()).aiq(), cis.aiqDiff.get(b.id()),
          two.get("router").apgr() - tm.apgr(), cis.apgrDiff.get(b.id())));
    }
    two.put("random", randomTwoModel(t, o));
    two.put("oracle", oracleTwoModel(t, o));

    List<CostQuality> singles = new ArrayList<>();
    for (int c = 0; c < t.models(); c++) {
      singles.add(new CostQuality(t.meanCost(c), t.meanQuality(c)));
    }
    List<EvalResult.ReliabilityBin> rel = reliability(t, s);
    return new EvalResult(meta, t.candidates, o.weak(), o.strong(), best, cheapest, runs, metrics, two, cMin, cMax,
        CostQualityHull.nonDecreasing(points(router)), CostQualityHull.nonDecreasing(singles), rel, ece(rel, t),
        categories(t, router.points().get(metrics.get("router").operatingPoint()), best), comparisons);
  }

  /*
   * The random mix's sweep rarely has a point cheaper than always-best with 95 % of its quality, so the usual rule
   * reported it at p = 1.0, which *is* always-best and says nothing about random routing. Reported instead at the
   * sweep point whose cost is closest to the router's reported point: "for the router's money, a coin flip gets you
   * this"; the whole curve is in the cost-quality chart.
   */
  /** Moves the random mix's reported point to the one costing closest to the router's reported point. */
  static void matchRandomToRouterCost(List<PolicyRun> runs, Map<String, EvalResult.PolicyMetrics> metrics) {
    EvalResult.PolicyMetrics router = metrics.get("router");
    EvalResult.PolicyMetrics random = metrics.get("random");
    PolicyRun run = runs.stream().filter(r -> r.id().equals("random")).findFirst().orElse(null);
    if (router == null || random == null || run == null) {
      return;
    }
    double target = router.costPer1k();
    int op = 0;
    for (int i = 1; i < run.points().size(); i++) {
      if (Math.abs(run.points().get(i).costPer1k() - target) < Math.abs(run.points().get(op).costPer1k() - target)) {
        op = i;
      }
    }
    OperatingPoint p = run.points().get(op);
    metrics.put("random", new EvalResult.PolicyMetrics(random.id(), random.name(), random.family(), random.aiq(), random.savingsAt95(),
        random.savingsAt95Ci(), random.savingsAt99(), random.savingsAt99Ci(), op, p.meanQuality(), p.costPer1k(), p.callShare()));
  }

  static List<CostQuality> points(PolicyRun r) {
    List<CostQuality> out = new ArrayList<>();
    for (OperatingPoint p : r.points()) {
      out.add(new CostQuality(p.meanCost(), p.meanQuality()));
    }
    return out;
  }

  static int operatingPoint(PolicyRun r, double bestQ) {
    int pick = -1;
    int top = 0;
    for (int i = 0; i < r.points().size(); i++) {
      OperatingPoint p = r.points().get(i);
      if (p.meanQuality() >= 0.95 * bestQ - 1e-12 && (pick < 0 || p.meanCost() < r.points().get(pick).meanCost())) {
        pick = i;
      }
      if (p.meanQuality() > r.points().get(top).meanQuality()) {
        top = i;
      }
    }
    return pick >= 0 ? pick : top;
  }

  private static EvalResult.PolicyMetrics policyMetrics(
      EvalTable t, PolicyRun r, EvalOptions o, int best, double bestQ, double bestC, double cMin, double cMax) {
    List<CostQuality> pts = points(r);
    double aiq = CostQualityHull.aiq(CostQualityHull.nonDecreasing(pts), cMin, cMax);
    double s95 = Savings.savingAt(pts, 0.95, bestQ, bestC);
    double s99 = Savings.savingAt(pts, 0.99, bestQ, bestC);
    double[] ci95 = null;
    double[] ci99 = null;
    int op = operatingPoint(r, bestQ);
    if (r.family() == PolicyRun.Family.ORACLE) {
      for (int i = 0; i < r.points().size(); i++) {
        if (r.points().get(i).threshold() == o.adequacy()) {
          op = i; // the oracle's reported point is the one at the user's adequacy bar
        }
      }
    }
    OperatingPoint p = r.points().get(op);
    return new EvalResult.PolicyMetrics(r.id(), r.name(), r.family(), aiq, s95, ci95, s99, ci99, op,
        p.meanQuality(), p.costPer1k(), p.callShare());
  }

  /**
   * Bootstrap intervals: savings per policy id ({95, 99}), APGR per two-model run id, and per
   * baseline the paired differences router minus baseline of AIQ and of APGR (keyed by the
   * baseline's many-model run id).
   */
  record BootstrapCis(Map<String, double[][]> savings, Map<String, double[]> apgr, Map<String, double[]> aiqDiff,
                      Map<String, double[]> apgrDiff) {}

  /**
   * All bootstrap intervals in one pass per resample (see {@link Bootstrap#ci95Many}): every
   * statistic is a function of weighted sums of per-prompt values, so each resample costs one
   * sequential dot product per operating point. Routed policies' savings at 95% and 99% (with the
   * always-best reference recomputed on the same resample) and the two-model runs' APGR (thresholds
   * and choices fixed, prompts resampled).
   */
  static BootstrapCis bootstrap(EvalTable t, List<PolicyRun> runs, List<PolicyRun> twoModelRuns, List<PolicyRun> aiqRuns,
                                EvalOptions o, int best, double cMin, double cMax) {
    List<PolicyRun> withCi = runs.stream()
        .filter(r -> r.family() != PolicyRun.Family.SINGLE && r.points().stream().allMatch(p -> p.chosen() != null))
        .toList();
    List<PolicyRun> all = new ArrayList<>(withCi);
    for (PolicyRun r : twoModelRuns) {
      if (!all.contains(r)) {
        all.add(r);
      }
    }
    for (PolicyRun r : aiqRuns) {
      if (!all.contains(r)) {
        all.add(r);
      }
    }
    // aiqRuns[0] is the router; twoModelRuns[0] the router's weak/strong run, [1] the difficulty
    // policy, then the baselines' two-model runs in the order of aiqRuns[1..].
    int baselinesN = aiqRuns.size() - 1;
    // per run, per point: chosen quality, chosen cost, strong indicator (contiguous arrays)
    Map<PolicyRun, double[][][]> cols = new LinkedHashMap<>();
    for (PolicyRun r : all) {
      double[][][] pc = new double[r.points().size()][3][];
      for (int i = 0; i < r.points().size(); i++) {
        int[] ch = r.points().get(i).chosen();
        double[] q = new double[t.size()];
        double[] c = new double[t.size()];
        double[] st = new double[t.size()];
        for (int p = 0; p < ch.length; p++) {
          q[p] = t.quality[p][ch[p]];
          c[p] = t.cost[p][ch[p]];
          st[p] = ch[p] == o.strong() ? 1 : 0;
        }
        pc[i][0] = q;
        pc[i][1] = c;
        pc[i][2] = st;
      }
      cols.put(r, pc);
    }
    double[] bestQ = column(t.quality, best);
    double[] bestC = column(t.cost, best);
    double[] weakQ = column(t.quality, o.weak());
    double[] strongQ = column(t.quality, o.strong());
    int k = withCi.size() * 2 + twoModelRuns.size() + 2 * baselinesN;
    int n = t.size();
    double[][] ci = Bootstrap.ci95Many(n, o.resamples(), o.seed(), k, (counts, out) -> {
      double bq = Bootstrap.weightedSum(counts, bestQ) / n;
      double bc = Bootstrap.weightedSum(counts, bestC) / n;
      Map<PolicyRun, double[][]> sums = new java.util.HashMap<>();
      for (Map.Entry<PolicyRun, double[][][]> e : cols.entrySet()) {
        double[][] pts = new double[e.getValue().length][3];
        for (int i = 0; i < pts.length; i++) {
          pts[i][0] = Bootstrap.weightedSum(counts, e.getValue()[i][0]) / n;
          pts[i][1] = Bootstrap.weightedSum(counts, e.getValue()[i][1]) / n;
          pts[i][2] = Bootstrap.weightedSum(counts, e.getValue()[i][2]) / n;
        }
        sums.put(e.getKey(), pts);
      }
      int j = 0;
      for (PolicyRun r : withCi) {
        List<CostQuality> cq = new ArrayList<>();
        for (double[] pt : sums.get(r)) {
          cq.add(new CostQuality(pt[1], pt[0]));
        }
        out[j++] = Savings.savingAt(cq, 0.95, bq, bc);
        out[j++] = Savings.savingAt(cq, 0.99, bq, bc);
      }
      double wq = Bootstrap.weightedSum(counts, weakQ) / n;
      double sq = Bootstrap.weightedSum(counts, strongQ) / n;
      double[] apgrs = new double[twoModelRuns.size()];
      for (int r = 0; r < twoModelRuns.size(); r++) {
        PolicyRun run = twoModelRuns.get(r);
        List<SweepPoint> sp = new ArrayList<>();
        double[][] pts = sums.get(run);
        for (int i = 0; i < pts.length; i++) {
          sp.add(new SweepPoint(run.points().get(i).threshold(), pts[i][2], pts[i][0], pts[i][1]));
        }
        apgrs[r] = TwoModelMetrics.apgr(sp, wq, sq);
        out[j++] = apgrs[r];
      }
      double routerAiq = aiqOf(sums.get(aiqRuns.get(0)), cMin, cMax);
      for (int b = 1; b <= baselinesN; b++) {
        out[j++] = routerAiq - aiqOf(sums.get(aiqRuns.get(b)), cMin, cMax);
        out[j++] = apgrs[0] - apgrs[1 + b];
      }
    });
    Map<String, double[][]> savings = new LinkedHashMap<>();
    int j = 0;
    for (PolicyRun r : withCi) {
      savings.put(r.id(), new double[][] {ci[j], ci[j + 1]});
      j += 2;
    }
    Map<String, double[]> apgr = new LinkedHashMap<>();
    for (PolicyRun r : twoModelRuns) {
      apgr.put(r.id(), ci[j++]);
    }
    Map<String, double[]> aiqDiff = new LinkedHashMap<>();
    Map<String, double[]> apgrDiff = new LinkedHashMap<>();
    for (int b = 1; b <= baselinesN; b++) {
      aiqDiff.put(aiqRuns.get(b).id(), ci[j++]);
      apgrDiff.put(aiqRuns.get(b).id(), ci[j++]);
    }
    return new BootstrapCis(savings, apgr, aiqDiff, apgrDiff);
  }

  /** AIQ of one resample's operating points ({quality, cost, strong share} per point). */
  private static double aiqOf(double[][] pts, double cMin, double cMax) {
    List<CostQuality> cq = new ArrayList<>(pts.length);
    for (double[] pt : pts) {
      cq.add(new CostQuality(pt[1], pt[0]));
    }
    return CostQualityHull.aiq(CostQualityHull.nonDecreasing(cq), cMin, cMax);
  }

  static double[] column(double[][] m, int c) {
    double[] out = new double[m.length];
    for (int p = 0; p < m.length; p++) {
      out[p] = m[p][c];
    }
    return out;
  }

  static double mean(double[] x) {
    double s = 0;
    for (double v : x) {
      s += v;
    }
    return s / x.length;
  }

  private static List<SweepPoint> sweepOf(PolicyRun r, int strong) {
    List<SweepPoint> out = new ArrayList<>();
    for (OperatingPoint p : r.points()) {
      out.add(new SweepPoint(p.threshold(), p.callShare()[strong], p.meanQuality(), p.meanCost()));
    }
    return out;
  }

  private static EvalResult.TwoModel twoModelFromRun(
      EvalTable t, PolicyRun r, String id, String name, EvalOptions o, double[] apgrCi) {
    double w = t.meanQuality(o.weak());
    double st = t.meanQuality(o.strong());
    List<SweepPoint> sweep = sweepOf(r, o.strong());
    double apgr = TwoModelMetrics.apgr(sweep, w, st);
    return new EvalResult.TwoModel(id, name, sweep, apgr, apgrCi,
        TwoModelMetrics.cpt(sweep, 0.5, w, st), TwoModelMetrics.cpt(sweep, 0.8, w, st));
  }

  /** Random router: uniform scores, RouteLLM sweep, averaged (points and metrics) over 10 seeds. */
  private static EvalResult.TwoModel randomTwoModel(EvalTable t, EvalOptions o) {
    double[] qw = column(t.quality, o.weak());
    double[] qs = column(t.quality, o.strong());
    double[] cw = column(t.cost, o.weak());
    double[] cs = column(t.cost, o.strong());
    double w = mean(qw);
    double st = mean(qs);
    int k = o.bins() + 1;
    double[] share = new double[k];
    double[] q = new double[k];
    double[] c = new double[k];
    double[] th = new double[k];
    double apgr = 0;
    double cpt50 = 0;
    double cpt80 = 0;
    double lo = Double.POSITIVE_INFINITY;
    double hi = Double.NEGATIVE_INFINITY;
    for (int sd = 0; sd < Policies.RANDOM_SEEDS; sd++) {
      SplittableRandom rnd = new SplittableRandom(o.seed() + sd);
      double[] score = new double[t.size()];
      for (int p = 0; p < score.length; p++) {
        score[p] = rnd.nextDouble();
      }
      List<SweepPoint> sw = TwoModelMetrics.sweep(score, qw, qs, cw, cs, o.bins());
      double a = TwoModelMetrics.apgr(sw, w, st);
      apgr += a;
      lo = Math.min(lo, a);
      hi = Math.max(hi, a);
      cpt50 += TwoModelMetrics.cpt(sw, 0.5, w, st);
      cpt80 += TwoModelMetrics.cpt(sw, 0.8, w, st);
      for (int i = 0; i < k; i++) {
        share[i] += sw.get(i).strongShare();
        q[i] += sw.get(i).meanQuality();
        c[i] += sw.get(i).meanCost();
        th[i] += sw.get(i).threshold();
      }
    }
    int n = Policies.RANDOM_SEEDS;
    List<SweepPoint> avg = new ArrayList<>();
    for (int i = 0; i < k; i++) {
      avg.add(new SweepPoint(th[i] / n, share[i] / n, q[i] / n, c[i] / n));
    }
    // The "CI" of the random baseline is the range over its seeds.
    return new EvalResult.TwoModel("random", "Random", avg, apgr / n, new double[] {lo, hi}, cpt50 / n, cpt80 / n);
  }

  private static EvalResult.TwoModel oracleTwoModel(EvalTable t, EvalOptions o) {
    double[] qw = column(t.quality, o.weak());
    double[] qs = column(t.quality, o.strong());
    double[] score = new double[t.size()];
    for (int p = 0; p < score.length; p++) {
      score[p] = qs[p] - qw[p];
    }
    List<SweepPoint> sw = TwoModelMetrics.sweep(score, qw, qs, column(t.cost, o.weak()), column(t.cost, o.strong()), o.bins());
    double w = mean(qw);
    double st = mean(qs);
    return new EvalResult.TwoModel("oracle", "Oracle", sw, TwoModelMetrics.apgr(sw, w, st), null,
        TwoModelMetrics.cpt(sw, 0.5, w, st), TwoModelMetrics.cpt(sw, 0.8, w, st));
  }

  /** Ten equal-width bins of predicted quality over [0, 1], all (prompt, candidate) pairs pooled ({@link Metrics#calibration}). */
  static List<EvalResult.ReliabilityBin> reliability(EvalTable t, Scored s) {
    double[] predicted = new double[t.size() * t.models()];
    double[] observed = new double[predicted.length];
    for (int p = 0, i = 0; p < t.size(); p++) {
      for (int c = 0; c < t.models(); c++, i++) {
        predicted[i] = s.predicted[p][c];
        observed[i] = t.quality[p][c];
      }
    }
    List<EvalResult.ReliabilityBin> out = new ArrayList<>();
    for (Metrics.Bin b : Metrics.calibration(predicted, observed, 10)) {
      out.add(new EvalResult.ReliabilityBin(b.lo(), b.hi(), b.count(), b.meanPredicted(), b.observed()));
    }
    return out;
  }

  /** Expected calibration error: count-weighted mean |observed - predicted| over the bins. */
  static double ece(List<EvalResult.ReliabilityBin> bins, EvalTable t) {
    double total = (double) t.size() * t.models();
    double e = 0;
    for (EvalResult.ReliabilityBin b : bins) {
      if (b.count() > 0) {
        e += b.count() / total * Math.abs(b.meanObserved() - b.meanPredicted());
      }
    }
    return e;
  }

  static List<EvalResult.CategoryRow> categories(EvalTable t, OperatingPoint routerPoint, int best) {
    Map<String, List<Integer>> byCat = new TreeMap<>();
    for (int p = 0; p < t.size(); p++) {
      byCat.computeIfAbsent(t.categoryLabel(p), k -> new ArrayList<>()).add(p);
    }
    List<EvalResult.CategoryRow> rows = new ArrayList<>();
    int[] ch = routerPoint.chosen();
    for (Map.Entry<String, List<Integer>> e : byCat.entrySet()) {
      List<Integer> ps = e.getValue();
      double bq = 0;
      double bc = 0;
      double rq = 0;
      double rc = 0;
      int[] counts = new int[t.models()];
      for (int p : ps) {
        bq += t.quality[p][best];
        bc += t.cost[p][best];
        rq += t.quality[p][ch[p]];
        rc += t.cost[p][ch[p]];
        counts[ch[p]]++;
      }
      int top = 0;
      for (int c = 1; c < counts.length; c++) {
        if (counts[c] > counts[top]) {
          top = c;
        }
      }
      int n = ps.size();
      rows.add(new EvalResult.CategoryRow(e.getKey(), n, bq / n, rq / n, bc / n * 1000, rc / n * 1000,
          t.candidates.get(top), (double) counts[top] / n));
    }
    rows.sort((a, b) -> a.prompts() != b.prompts() ? Integer.compare(b.prompts(), a.prompts()) : a.category().compareTo(b.category()));
    return rows;
  }
}
