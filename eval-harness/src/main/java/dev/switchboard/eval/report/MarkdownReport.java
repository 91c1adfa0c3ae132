package dev.switchboard.eval.report;

import dev.switchboard.eval.run.PolicyRun;
import dev.switchboard.eval.run.EvalResult;

/** {@code report.md}: the report's numbers as Markdown, for pasting into a pull request. */
public final class MarkdownReport {
  private MarkdownReport() {}

  /** The highest mean quality any of the run's settings reaches. */
  static double bestQuality(PolicyRun run) {
    return run.points().stream().mapToDouble(p -> p.meanQuality()).max().orElse(Double.NaN);
  }

  public static String render(EvalResult r) {
    return render(r, ReaderNotes.none());
  }

  /**
   * @param r the evaluation
   * @param notes the quality definition, example prompts, monthly projection and latency
   * @return the whole report
   */
  public static String render(EvalResult r, ReaderNotes notes) {
    EvalResult.Meta m = r.meta();
    StringBuilder b = new StringBuilder();
    b.append("# Routing report: ").append(Fmt.md(HtmlReport.fileName(m.dataset()))).append(" (").append(m.split())
        .append(" split)\n\n");
    b.append("**").append(Fmt.md(ReportText.headline(r))).append("**\n\n");
    b.append("- ").append(Fmt.md(ReportText.savings(r))).append('\n');
    b.append("- ").append(Fmt.md(ReportText.comparison(r))).append('\n');
    b.append("- ").append(m.prompts()).append(" prompts");
    if (m.droppedPrompts() > 0) {
      b.append(" (").append(m.droppedPrompts()).append(" left out: some candidate has no answer)");
    }
    b.append("; candidates ").append(Fmt.md(String.join(", ", r.candidates()))).append("; weak `")
        .append(r.candidates().get(r.weak())).append("`, strong `").append(r.candidates().get(r.strong()))
        .append("`, best `").append(r.candidates().get(r.best())).append("`.\n\n");
    if (notes.qualityDefinition() != null) {
      b.append("## What \"quality\" means here\n\n").append(Fmt.md(notes.qualityDefinition())).append(" An answer counts as adequate at")
          .append(" quality \u2265 ").append(Fmt.num(m.adequacy(), 2)).append(" (the oracle's bar).\n\n");
    }

    if (!r.comparisons().isEmpty()) {
      b.append("## Router vs simple baselines\n\nEach baseline is fitted on the train split of this dataset with the"
          + " classifier's encoder and features, its setting chosen by 5-fold cross-validation there. Differences are router"
          + " minus baseline on the same prompts; the intervals are paired bootstrap 95% CIs.\n\n"
          + "| Baseline | Setting | CV score (train) | AIQ | Router − baseline AIQ (CI) | APGR | Router − baseline APGR (CI) | Verdict |\n"
          + "|---|---|---:|---:|---|---:|---|---|\n");
      for (EvalResult.Comparison c : r.comparisons()) {
        b.append("| ").append(Fmt.md(c.name())).append(" | `").append(c.setting()).append("` | ").append(Fmt.num(c.cvScore(), 4))
            .append(" | ").append(Fmt.num(r.metrics().get(c.baselineId()).aiq(), 4)).append(" | ")
            .append(Fmt.num(c.aiqDiff(), 4)).append(" (").append(Fmt.ci(c.aiqDiffCi(), false)).append(") | ")
            .append(Fmt.num(r.twoModel().get(c.baselineId()).apgr(), 3)).append(" | ").append(Fmt.num(c.apgrDiff(), 3))
            .append(" (").append(Fmt.ci(c.apgrDiffCi(), false)).append(") | ").append(c.verdict()).append(" |\n");
      }
      b.append("\n");
    }
    b.append("## Weak/strong routing (RouteLLM metrics)\n\n| Router | APGR | 95% CI | CPT(50%) | CPT(80%) |\n|---|---:|---|---:|---:|\n");
    for (PolicyRows.TwoModelRow row : PolicyRows.twoModel(r)) {
      EvalResult.TwoModel tm = row.tm();
      b.append("| ").append(Fmt.md(row.name())).append(" | ").append(Fmt.num(tm.apgr(), 3)).append(" | ")
          .append(tm.id().equals("random") ? "seed range " : "").append(Fmt.ci(tm.apgrCi(), false)).append(" | ")
          .append(Fmt.pct(tm.cpt50())).append(" | ").append(Fmt.pct(tm.cpt80())).append(" |\n");
    }
    b.append('\n').append(ReaderSections.markdown(r, notes));
    b.append("## All policies\n\n| Policy | Mean quality | Cost / 1k req | AIQ | Best quality reached | Savings @95% | Savings @99% | Reported setting |\n")
        .append("|---|---:|---:|---:|---:|---:|---:|---|\n");
    boolean footnote = false;
    boolean random = false;
    for (PolicyRows.Row row : PolicyRows.all(r)) {
      EvalResult.PolicyMetrics pm = row.metrics();
      footnote |= row.singlePoint();
      random |= row.run().family() == PolicyRun.Family.RANDOM;
      b.append("| ").append(Fmt.md(row.name())).append(" | ").append(Fmt.num(pm.meanQuality(), 3)).append(" | ")
          .append(Fmt.usd(pm.costPer1k())).append(" | ").append(row.singlePoint() ? "\u2014\u00b9" : Fmt.num(pm.aiq(), 3)).append(" | ")
          .append(Fmt.num(bestQuality(row.run()), 3)).append(" | ")
          .append(Fmt.pct(pm.savingsAt95())).append(" | ").append(Fmt.pct(pm.savingsAt99())).append(" | ")
          .append(Fmt.md(row.setting())).append(row.run().family() == PolicyRun.Family.RANDOM ? "\u00b2" : "").append(" |\n");
    }
    if (footnote) b.append("\n\u00b9 ").append(PolicyRows.SINGLE_POINT_NOTE).append('\n');
    if (random) b.append("\n\u00b2 ").append(PolicyRows.RANDOM_NOTE).append('\n');
    b.append("\n## Call share at the reported setting\n\n| Policy |");
    r.candidates().forEach(c -> b.append(' ').append(Fmt.md(c)).append(" |"));
    b.append("\n|---|").append("---:|".repeat(r.candidates().size())).append('\n');
    for (PolicyRows.Row row : PolicyRows.callShare(r)) {
      EvalResult.PolicyMetrics pm = row.metrics();
      b.append("| ").append(Fmt.md(row.run().family() == PolicyRun.Family.RANDOM ? row.name() + " (at the router's cost)" : row.name()))
          .append(" |");
      for (double s : pm.callShare()) {
        b.append(' ').append(Fmt.pct(s)).append(" |");
      }
      b.append('\n');
    }
    b.append("\n## By category\n\n| Category | Prompts | Router quality | Best-model quality | Router $/1k | Best-model $/1k | Most-used model |\n")
        .append("|---|---:|---:|---:|---:|---:|---|\n");
    for (EvalResult.CategoryRow c : r.categories()) {
      b.append("| ").append(Fmt.md(c.category())).append(" | ").append(c.prompts()).append(" | ")
          .append(Fmt.num(c.routerQuality(), 3)).append(" | ").append(Fmt.num(c.bestQuality(), 3)).append(" | ")
          .append(Fmt.usd(c.routerCostPer1k())).append(" | ").append(Fmt.usd(c.bestCostPer1k())).append(" | ")
          .append(Fmt.md(c.topModel())).append(" (").append(Fmt.pct(c.topModelShare())).append(") |\n");
    }
    b.append("\nClassifier calibration: expected calibration error ").append(Fmt.num(r.expectedCalibrationError(), 3))
        .append(".\n\n## Provenance\n\n- Command: `").append(m.command()).append("`\n- Dataset: `").append(m.dataset())
        .append("` (sha256 `").append(m.datasetSha256()).append("`)\n- Classifier: `").append(m.classifier())
        .append("` (sha256 `").append(m.classifierSha256()).append("`)\n- Seed ").append(m.seed()).append(", ")
        .append(m.bins()).append(" threshold bins, ").append(m.resamples()).append(" bootstrap resamples, adequacy \u2265 ")
        .append(Fmt.num(m.adequacy(), 2)).append(", written ").append(m.created()).append('\n');
    return b.toString();
  }
}
