package dev.switchboard.eval.run;

import dev.switchboard.routing.metrics.CostQuality;
import dev.switchboard.routing.metrics.SweepPoint;
import java.util.List;
import java.util.Map;

/** Everything an evaluation measured; the report writers only format it. */
public record EvalResult(
    Meta meta,
    List<String> candidates,
    int weak,
    int strong,
    int best,
    int cheapest,
    List<PolicyRun> runs,
    Map<String, PolicyMetrics> metrics,
    Map<String, TwoModel> twoModel,
    double costMin,
    double costMax,
    List<CostQuality> routerHull,
    List<CostQuality> singlesHull,
    List<ReliabilityBin> reliability,
    double expectedCalibrationError,
    List<CategoryRow> categories,
    List<Comparison> comparisons) {

  /**
   * The router against one baseline on the same prompts: paired bootstrap differences (router minus
   * baseline; the same resamples for both), so the interval says whether the router is better.
   *
   * @param baselineId the baseline's run id (its many-model run; its two-model run is {@code id + "-2"})
   * @param setting the baseline's chosen setting, e.g. {@code knn(k=30)}
   * @param cvScore its cross-validated score on the train split
   * @param aiqDiff router AIQ minus baseline AIQ
   * @param apgrDiff router APGR minus baseline APGR (weak/strong pair)
   */
  public record Comparison(String baselineId, String name, String setting, double cvScore, double aiqDiff,
                           double[] aiqDiffCi, double apgrDiff, double[] apgrDiffCi) {

    /** "beats", "worse" or "indistinguishable", by the AIQ difference's 95% interval. */
    public String verdict() {
      if (aiqDiffCi == null || !Double.isFinite(aiqDiffCi[0])) {
        return aiqDiff > 0 ? "ahead (no interval)" : "not ahead (no interval)";
      }
      return aiqDiffCi[0] > 0 ? "beats" : aiqDiffCi[1] < 0 ? "worse" : "indistinguishable";
    }
  }

  /** Provenance shown at the top of reports. */
  public record Meta(
      String command,
      String dataset,
      String datasetSha256,
      String classifier,
      String classifierSha256,
      String split,
      int prompts,
      int droppedPrompts,
      double adequacy,
      long seed,
      int bins,
      int resamples,
      String created) {}

  /**
   * Per-policy numbers (NaN where a metric does not apply or is not reached).
   *
   * @param operatingPoint index into the run's points used for meanQuality, costPer1k and share:
   *     the cheapest point with at least 95% of the always-best quality, else the best-quality one
   */
  public record PolicyMetrics(
      String id,
      String name,
      PolicyRun.Family family,
      double aiq,
      double savingsAt95,
      double[] savingsAt95Ci,
      double savingsAt99,
      double[] savingsAt99Ci,
      int operatingPoint,
      double meanQuality,
      double costPer1k,
      double[] callShare) {}

  /** RouteLLM metrics of a policy on the weak/strong pair. */
  public record TwoModel(
      String id, String name, List<SweepPoint> sweep, double apgr, double[] apgrCi, double cpt50, double cpt80) {}

  /** One bin of the reliability diagram (predicted vs observed quality, all candidates pooled). */
  public record ReliabilityBin(double lo, double hi, long count, double meanPredicted, double meanObserved) {}

  /**
   * Per-category comparison at the router's operating point.
   *
   * @param topModel the model the router chose most often in this category
   */
  public record CategoryRow(
      String category,
      int prompts,
      double bestQuality,
      double routerQuality,
      double bestCostPer1k,
      double routerCostPer1k,
      String topModel,
      double topModelShare) {}
}
