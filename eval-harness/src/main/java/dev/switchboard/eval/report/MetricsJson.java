package dev.switchboard.eval.report;

import dev.switchboard.classifier.base.Jackson;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.switchboard.eval.run.OperatingPoint;
import dev.switchboard.eval.run.PolicyRun;
import dev.switchboard.eval.run.EvalResult;
import java.util.List;

/**
 * {@code metrics.json}: every number of the report under stable keys. Each policy (key = policy id:
 * {@code router}, {@code router-2}, {@code difficulty}, {@code random}, {@code oracle}, {@code
 * tuned}, {@code single:<model>}) carries the same keys: {@code name, family, apgr, apgr_ci,
 * cpt50, cpt80, aiq, savings_at_95, savings_at_95_ci, savings_at_99, savings_at_99_ci,
 * mean_quality, cost_per_1k, call_share, operating_point, sweep}; values that do not apply are
 * null. Two-model metrics (APGR/CPT) are on the weak/strong pair; the router's are measured on its
 * two-model form ({@code router-2}). Fractions are in [0, 1], costs in USD.
 */
public final class MetricsJson {
  private MetricsJson() {}

  private static final ObjectMapper JSON = Jackson.PRETTY;

  public static String render(EvalResult r) {
    ObjectNode root = JSON.createObjectNode();
    EvalResult.Meta m = r.meta();
    ObjectNode meta = root.putObject("meta");
    meta.put("command", m.command());
    meta.put("dataset", m.dataset());
    meta.put("dataset_sha256", m.datasetSha256());
    meta.put("classifier", m.classifier());
    meta.put("classifier_sha256", m.classifierSha256());
    meta.put("split", m.split());
    meta.put("prompts", m.prompts());
    meta.put("dropped_prompts", m.droppedPrompts());
    meta.put("adequacy_threshold", m.adequacy());
    meta.put("seed", m.seed());
    meta.put("bins", m.bins());
    meta.put("bootstrap_resamples", m.resamples());
    meta.put("created", m.created());
    ArrayNode cands = root.putArray("candidates");
    r.candidates().forEach(cands::add);
    root.put("weak", r.candidates().get(r.weak()));
    root.put("strong", r.candidates().get(r.strong()));
    root.put("best", r.candidates().get(r.best()));
    root.put("cheapest", r.candidates().get(r.cheapest()));
    ObjectNode range = root.putObject("cost_range_usd");
    num(range, "min", r.costMin());
    num(range, "max", r.costMax());
    root.put("beats_random", ReportText.verdict(r) > 0);

    ArrayNode baselines = root.putArray("baselines");
    for (EvalResult.Comparison c : r.comparisons()) {
      ObjectNode bn = baselines.addObject();
      bn.put("id", c.baselineId());
      bn.put("name", c.name());
      bn.put("setting", c.setting());
      num(bn, "cv_score_train", c.cvScore());
      num(bn, "aiq", r.metrics().get(c.baselineId()).aiq());
      num(bn, "router_minus_baseline_aiq", c.aiqDiff());
      ci(bn, "router_minus_baseline_aiq_ci", c.aiqDiffCi());
      num(bn, "apgr", r.twoModel().get(c.baselineId()).apgr());
      num(bn, "router_minus_baseline_apgr", c.apgrDiff());
      ci(bn, "router_minus_baseline_apgr_ci", c.apgrDiffCi());
      bn.put("verdict", c.verdict());
    }
    ObjectNode policies = root.putObject("policies");
    for (PolicyRun run : r.runs()) {
      EvalResult.PolicyMetrics pm = r.metrics().get(run.id());
      ObjectNode p = policies.putObject(run.id());
      p.put("name", pm.name());
      p.put("family", pm.family().name().toLowerCase());
      EvalResult.TwoModel tm = r.twoModel().get(run.id().equals("router-2") ? "router" : run.id());
      num(p, "apgr", tm == null ? Double.NaN : tm.apgr());
      ci(p, "apgr_ci", tm == null || tm.id().equals("random") ? null : tm.apgrCi());
      num(p, "cpt50", tm == null ? Double.NaN : tm.cpt50());
      num(p, "cpt80", tm == null ? Double.NaN : tm.cpt80());
      num(p, "aiq", pm.aiq());
      num(p, "savings_at_95", pm.savingsAt95());
      ci(p, "savings_at_95_ci", pm.savingsAt95Ci());
      num(p, "savings_at_99", pm.savingsAt99());
      ci(p, "savings_at_99_ci", pm.savingsAt99Ci());
      num(p, "mean_quality", pm.meanQuality());
      num(p, "best_quality_reached", MarkdownReport.bestQuality(run));
      num(p, "cost_per_1k", pm.costPer1k());
      share(p.putObject("call_share"), r.candidates(), pm.callShare());
      p.put("operating_point", run.points().get(pm.operatingPoint()).label());
      ArrayNode sweep = p.putArray("sweep");
      for (OperatingPoint op : run.points()) {
        ObjectNode s = sweep.addObject();
        s.put("label", op.label());
        num(s, "threshold", op.threshold());
        num(s, "mean_quality", op.meanQuality());
        num(s, "cost_per_1k", op.costPer1k());
        share(s.putObject("call_share"), r.candidates(), op.callShare());
      }
    }
    ObjectNode two = root.putObject("two_model");
    for (EvalResult.TwoModel tm : r.twoModel().values()) {
      ObjectNode t = two.putObject(tm.id());
      num(t, "apgr", tm.apgr());
      ci(t, tm.id().equals("random") ? "apgr_seed_range" : "apgr_ci", tm.apgrCi());
      num(t, "cpt50", tm.cpt50());
      num(t, "cpt80", tm.cpt80());
      ArrayNode sweep = t.putArray("sweep");
      tm.sweep().forEach(sp -> {
        ObjectNode s = sweep.addObject();
        num(s, "threshold", sp.threshold());
        num(s, "strong_share", sp.strongShare());
        num(s, "mean_quality", sp.meanQuality());
        num(s, "cost_per_1k", sp.meanCost() * 1000);
      });
    }
    ObjectNode cal = root.putObject("calibration");
    num(cal, "ece", r.expectedCalibrationError());
    ArrayNode bins = cal.putArray("bins");
    for (EvalResult.ReliabilityBin b : r.reliability()) {
      ObjectNode o = bins.addObject();
      num(o, "lo", b.lo());
      num(o, "hi", b.hi());
      o.put("count", b.count());
      num(o, "mean_predicted", b.meanPredicted());
      num(o, "mean_observed", b.meanObserved());
    }
    ArrayNode cats = root.putArray("categories");
    for (EvalResult.CategoryRow c : r.categories()) {
      ObjectNode o = cats.addObject();
      o.put("category", c.category());
      o.put("prompts", c.prompts());
      num(o, "router_quality", c.routerQuality());
      num(o, "best_quality", c.bestQuality());
      num(o, "router_cost_per_1k", c.routerCostPer1k());
      num(o, "best_cost_per_1k", c.bestCostPer1k());
      o.put("top_model", c.topModel());
      num(o, "top_model_share", c.topModelShare());
    }
    try {
      return JSON.writeValueAsString(root) + "\n";
    } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
      throw new IllegalStateException("serialising a JSON tree cannot fail", e);
    }
  }

  private static void num(ObjectNode o, String k, double v) {
    if (Double.isFinite(v)) {
      o.put(k, v);
    } else {
      o.putNull(k);
    }
  }

  private static void ci(ObjectNode o, String k, double[] ci) {
    if (ci == null || !Double.isFinite(ci[0]) || !Double.isFinite(ci[1])) {
      o.putNull(k);
    } else {
      o.putArray(k).add(ci[0]).add(ci[1]);
    }
  }

  private static void share(ObjectNode o, List<String> models, double[] share) {
    for (int c = 0; c < models.size(); c++) {
      o.put(models.get(c), share[c]);
    }
  }
}
