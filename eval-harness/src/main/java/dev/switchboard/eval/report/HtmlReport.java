package dev.switchboard.eval.report;

import dev.switchboard.routing.metrics.CostQuality;
import dev.switchboard.routing.metrics.SweepPoint;
import dev.switchboard.eval.run.OperatingPoint;
import dev.switchboard.eval.run.PolicyRun;
import dev.switchboard.eval.run.EvalResult;
import dev.switchboard.eval.run.Evaluation;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * The self-contained HTML report: inline CSS and inline SVG charts only (no scripts, fonts or other
 * network resources), so it renders identically offline, in CI artifacts and in mail.
 */
public final class HtmlReport {
  private HtmlReport() {}

  static final String ROUTER = "#2563eb";
  static final String DIFFICULTY = "#9333ea";
  static final String RANDOM = "#9ca3af";
  static final String ORACLE = "#16a34a";
  static final String TUNED = "#ea580c";
  static final String SINGLE = "#334155";
  static final List<String> MODEL_COLORS = List.of("#60a5fa", "#f59e0b", "#10b981", "#ef4444", "#8b5cf6", "#14b8a6",
      "#f472b6", "#a3a3a3", "#84cc16", "#0ea5e9", "#d97706", "#6366f1");

  public static String render(EvalResult r) {
    return render(r, ReaderNotes.none());
  }

  /**
   * @param r the evaluation
   * @param notes the quality definition, example prompts, monthly projection and latency
   * @return the whole page
   */
  public static String render(EvalResult r, ReaderNotes notes) {
    StringBuilder b = new StringBuilder(64_000);
    EvalResult.Meta m = r.meta();
    b.append("<!DOCTYPE html><html lang=\"en\"><head><meta charset=\"utf-8\">")
        .append("<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">")
        .append("<title>Switchboard routing report \u2013 ").append(Fmt.html(fileName(m.dataset()))).append("</title>")
        .append("<style>").append(CSS).append("</style></head><body><main>");
    b.append("<header><p class=\"kicker\">Switchboard routing report</p><h1>")
        .append(Fmt.html(fileName(m.dataset()))).append(" <span class=\"split\">").append(Fmt.html(m.split()))
        .append(" split</span></h1><p class=\"sub\">").append(m.prompts()).append(" prompts \u00b7 ")
        .append(r.candidates().size()).append(" candidate models \u00b7 classifier <code>")
        .append(Fmt.html(m.classifier())).append("</code> \u00b7 ").append(Fmt.html(m.created())).append("</p></header>");

    int verdict = ReportText.verdict(r);
    b.append("<section class=\"summary ").append(verdict > 0 ? "good" : verdict < 0 ? "bad" : "neutral").append("\">")
        .append("<h2>Summary</h2><p class=\"verdict\">").append(Fmt.html(ReportText.headline(r))).append("</p><ul><li>")
        .append(Fmt.html(ReportText.savings(r))).append("</li><li>").append(Fmt.html(ReportText.comparison(r)))
        .append("</li>");
    if (m.droppedPrompts() > 0) {
      b.append("<li>").append(m.droppedPrompts())
          .append(" prompts of the split were left out because some candidate has no answer for them.</li>");
    }
    b.append("</ul></section>");
    if (notes.qualityDefinition() != null) {
      b.append("<section class=\"quality\"><h2>What \u201cquality\u201d means here</h2><p>")
          .append(Fmt.html(notes.qualityDefinition())).append("</p><p class=\"note\">An answer counts as adequate at quality \u2265 ")
          .append(Fmt.num(m.adequacy(), 2)).append(" (the oracle's bar). Mean quality is the mean of these per-answer numbers over the ")
          .append(m.prompts()).append(" test prompts.</p></section>");
    }

    EvalResult.PolicyMetrics rm = r.metrics().get("router");
    EvalResult.TwoModel rt = r.twoModel().get("router");
    b.append("<section class=\"cards\">");
    card(b, "APGR", Fmt.num(rt.apgr(), 3), "95% CI " + Fmt.ci(rt.apgrCi(), false) + " \u00b7 random \u2248 0.5");
    card(b, "CPT(50%)", Fmt.pct(rt.cpt50()), "strong calls for half the gap");
    card(b, "Savings @ 95%", Fmt.pct(rm.savingsAt95()), "CI " + Fmt.ci(rm.savingsAt95Ci(), true));
    card(b, "Savings @ 99%", Fmt.pct(rm.savingsAt99()), "CI " + Fmt.ci(rm.savingsAt99Ci(), true));
    card(b, "AIQ", Fmt.num(rm.aiq(), 3), "random " + Fmt.num(r.metrics().get("random").aiq(), 3));
    b.append("</section>");

    if (!r.comparisons().isEmpty()) {
      b.append("<section><h2>Router vs simple baselines</h2><p class=\"note\">Each baseline is fitted on the train split of"
          + " this dataset with the classifier's encoder and features, its setting chosen by 5-fold cross-validation there."
          + " Differences are router minus baseline on the same prompts, with paired bootstrap 95% intervals.</p>")
          .append(baselineTable(r)).append("</section>");
    }
    b.append("<section><h2>Cost vs quality</h2><p class=\"note\">Every policy's operating points. Up and to the left is better. "
        + "The dashed blue line is the router's non-decreasing convex hull (what mixing two of its settings achieves); "
        + "the dashed grey line is the hull of the single models (what a random mix of models achieves). "
        + "The router's points are one shared quality threshold swept over " + (m.bins() * Evaluation.ROUTER_SWEEP_FACTOR)
        + " quantiles of its predictions.</p>")
        .append(costQualityChart(r)).append("</section>");

    b.append("<section><h2>Performance gap recovered</h2><p class=\"note\">Weak model <b>")
        .append(Fmt.html(r.candidates().get(r.weak()))).append("</b>, strong model <b>")
        .append(Fmt.html(r.candidates().get(r.strong())))
        .append("</b>. PGR = (quality \u2212 weak) / (strong \u2212 weak) at each threshold of a 10-quantile sweep "
            + "(RouteLLM's evaluation). APGR is the area under each curve; random routing follows the diagonal."
            + (noGap(r) ? " <b>Here the two models have the same mean quality: there is no gap to recover, so no curve.</b>" : "")
            + "</p>")
        .append(pgrChart(r)).append(twoModelTable(r)).append("</section>");

    b.append("<section><h2>Where the calls go</h2><p class=\"note\">Share of requests per model at each policy's reported "
        + "operating point (the cheapest setting with \u2265 95% of the best model's quality, else its best-quality setting; "
        + "the random mix at the router's cost).</p>")
        .append(callShareChart(r)).append("</section>");

    b.append("<section id=\"router-did\"><h2>What the router did</h2>").append(ReaderSections.examplesHtml(r, notes))
        .append(ReaderSections.monthlyHtml(r, notes)).append(ReaderSections.latencyHtml(notes)).append("</section>");

    b.append("<section><h2>All policies</h2>").append(policyTable(r)).append("</section>");

    b.append("<section><h2>Classifier calibration</h2><p class=\"note\">Predicted quality against the observed quality of "
        + "the same (prompt, model) pairs, in ten bins; points on the diagonal are perfectly calibrated. The pale bars "
        + "count the pairs in each bin (the number above each bar). "
        + "Expected calibration error: <b>").append(Fmt.num(r.expectedCalibrationError(), 3)).append("</b>.</p>")
        .append(reliabilityChart(r)).append("</section>");

    b.append("<section><h2>By category</h2><p class=\"note\">Router at its reported operating point against always-")
        .append(Fmt.html(r.candidates().get(r.best()))).append(".</p>").append(categoryTable(r)).append("</section>");

    b.append("<section class=\"prov\"><h2>Provenance</h2><dl>");
    prov(b, "Command", "<code>" + Fmt.html(m.command()) + "</code>");
    prov(b, "Dataset", "<code>" + Fmt.html(m.dataset()) + "</code><br><span class=\"sha\">sha256 " + Fmt.html(m.datasetSha256()) + "</span>");
    prov(b, "Classifier", "<code>" + Fmt.html(m.classifier()) + "</code><br><span class=\"sha\">sha256 " + Fmt.html(m.classifierSha256()) + "</span>");
    prov(b, "Candidates", Fmt.html(String.join(", ", r.candidates())) + " (ascending mean cost)");
    prov(b, "Settings", "split " + Fmt.html(m.split()) + " \u00b7 adequacy \u2265 " + Fmt.num(m.adequacy(), 2) + " \u00b7 seed "
        + m.seed() + " \u00b7 " + m.bins() + " threshold bins \u00b7 " + m.resamples() + " bootstrap resamples over prompts");
    prov(b, "Written", Fmt.html(m.created()));
    b.append("</dl></section></main></body></html>\n");
    return b.toString();
  }

  static String fileName(String path) {
    int i = Math.max(path.lastIndexOf('/'), path.lastIndexOf('\\'));
    return i >= 0 ? path.substring(i + 1) : path;
  }

  private static void card(StringBuilder b, String label, String value, String note) {
    b.append("<div class=\"card\"><div class=\"label\">").append(Fmt.html(label)).append("</div><div class=\"value\">")
        .append(Fmt.html(value)).append("</div><div class=\"cnote\">").append(Fmt.html(note)).append("</div></div>");
  }

  private static void prov(StringBuilder b, String k, String vHtml) {
    b.append("<dt>").append(Fmt.html(k)).append("</dt><dd>").append(vHtml).append("</dd>");
  }

  private static double[][] xy(List<OperatingPoint> pts) {
    double[] xs = new double[pts.size()];
    double[] ys = new double[pts.size()];
    for (int i = 0; i < pts.size(); i++) {
      xs[i] = pts.get(i).meanCost() * 1000;
      ys[i] = pts.get(i).meanQuality();
    }
    return new double[][] {xs, ys};
  }

  /**
   * The hull as a drawable series. Mixing two settings is linear in cost, so on a log cost axis each
   * segment is drawn through interpolated points (a curve) rather than as a straight chord.
   */
  private static Svg.Series hull(String name, String color, List<CostQuality> hull, double xMax) {
    List<double[]> pts = new ArrayList<>();
    for (int i = 0; i < hull.size(); i++) {
      CostQuality a = hull.get(i);
      if (i > 0) {
        CostQuality prev = hull.get(i - 1);
        for (int k = 1; k < 24; k++) {
          double f = k / 24.0;
          pts.add(new double[] {(prev.cost() + f * (a.cost() - prev.cost())) * 1000,
              prev.quality() + f * (a.quality() - prev.quality())});
        }
      }
      pts.add(new double[] {a.cost() * 1000, a.quality()});
    }
    pts.add(new double[] {xMax, hull.get(hull.size() - 1).quality()});
    double[] xs = new double[pts.size()];
    double[] ys = new double[pts.size()];
    for (int i = 0; i < pts.size(); i++) {
      xs[i] = pts.get(i)[0];
      ys[i] = pts.get(i)[1];
    }
    return new Svg.Series(name, color, xs, ys, true, true, null, null);
  }

  static String costQualityChart(EvalResult r) {
    double lo = r.costMin() * 1000;
    double hi = r.costMax() * 1000;
    double qlo = Double.POSITIVE_INFINITY;
    double qhi = Double.NEGATIVE_INFINITY;
    for (PolicyRun run : r.runs()) {
      for (OperatingPoint p : run.points()) {
        qlo = Math.min(qlo, p.meanQuality());
        qhi = Math.max(qhi, p.meanQuality());
      }
    }
    boolean log = lo > 0 && hi / lo > 30;
    Svg.Axis x = log
        ? new Svg.Axis("Cost per 1,000 requests (USD, log scale)", lo / 1.5, hi * 1.5, true, false)
        : new Svg.Axis("Cost per 1,000 requests (USD)", Math.max(0, Svg.pad(lo, hi, 0.05)[0]), Svg.pad(lo, hi, 0.05)[1], false, false);
    double[] qp = Svg.pad(qlo, qhi, 0.08);
    Svg.Axis y = new Svg.Axis("Mean quality", qp[0], qp[1], false, false);
    List<Svg.Series> s = new ArrayList<>();
    s.add(hull("Router hull", ROUTER, r.routerHull(), x.max()));
    s.add(hull("Single-model hull", "#9ca3af", r.singlesHull(), x.max()));
    for (PolicyRun run : r.runs()) {
      double[][] p = xy(run.points());
      switch (run.family()) {
        case ROUTER -> {
          if (run.id().equals("router")) {
            s.add(new Svg.Series("Eval-driven router", ROUTER, p[0], p[1], true, false, "circle", null));
          }
        }
        case DIFFICULTY -> s.add(new Svg.Series("Difficulty threshold", DIFFICULTY, p[0], p[1], true, false, "diamond", null));
        case RANDOM -> s.add(new Svg.Series("Random mix (10 seeds)", RANDOM, p[0], p[1], true, false, "small", null));
        case ORACLE -> s.add(new Svg.Series("Oracle", ORACLE, p[0], p[1], true, false, "small", null));
        case TUNED -> s.add(new Svg.Series("Tuned policy", TUNED, p[0], p[1], false, false, "star", null));
        default -> { }
      }
    }
    List<String> labels = new ArrayList<>();
    double[] sx = new double[r.candidates().size()];
    double[] sy = new double[r.candidates().size()];
    for (int c = 0; c < r.candidates().size(); c++) {
      String id = "single:" + r.candidates().get(c);
      OperatingPoint p = r.runs().stream().filter(run -> run.id().equals(id)).findFirst()
          .orElseThrow().points().get(0);
      sx[c] = p.meanCost() * 1000;
      sy[c] = p.meanQuality();
      labels.add(r.candidates().get(c));
    }
    s.add(new Svg.Series("Single models", SINGLE, sx, sy, false, false, "square", labels));
    return Svg.chart("chart-cost-quality", "Cost versus quality of every policy", x, y, s, null);
  }

  static String pgrChart(EvalResult r) {
    Svg.Axis x = new Svg.Axis("Strong-model calls", 0, 1, false, true);
    double w = 0;
    double st = 0;
    for (PolicyRun run : r.runs()) {
      if (run.id().equals("single:" + r.candidates().get(r.weak()))) {
        w = run.points().get(0).meanQuality();
      }
      if (run.id().equals("single:" + r.candidates().get(r.strong()))) {
        st = run.points().get(0).meanQuality();
      }
    }
    double yMin = -0.1;
    double yMax = 1.1;
    for (EvalResult.TwoModel tm : r.twoModel().values()) {
      for (SweepPoint sp : tm.sweep()) {
        double g = (sp.meanQuality() - w) / (st - w);
        if (Double.isFinite(g)) {
          yMin = Math.min(yMin, g - 0.05);
          yMax = Math.max(yMax, g + 0.05);
        }
      }
    }
    Svg.Axis y = new Svg.Axis("Performance gap recovered (PGR)", yMin, yMax, false, false);
    List<Svg.Series> s = new ArrayList<>();
    // the router is drawn last so it stays visible where another curve coincides with it
    String[][] order = {{"oracle", ORACLE, "small"}, {"difficulty", DIFFICULTY, "diamond"}, {"random", RANDOM, "small"},
        {"router", ROUTER, "circle"}};
    for (String[] o : order) {
      EvalResult.TwoModel tm = r.twoModel().get(o[0]);
      List<SweepPoint> pts = new ArrayList<>(tm.sweep());
      pts.sort((a, b2) -> Double.compare(a.strongShare(), b2.strongShare()));
      // with no gap between the weak and the strong model (everyday chat: both 1.0) PGR is undefined: nothing to draw
      List<double[]> finite = new ArrayList<>();
      for (SweepPoint sp : pts) {
        double g = (sp.meanQuality() - w) / (st - w);
        if (Double.isFinite(g)) finite.add(new double[] {sp.strongShare(), g});
      }
      if (finite.isEmpty()) {
        continue;
      }
      double[] xs = finite.stream().mapToDouble(d -> d[0]).toArray();
      double[] ys = finite.stream().mapToDouble(d -> d[1]).toArray();
      s.add(new Svg.Series(shortName(tm.id()) + " \u00b7 APGR " + Fmt.num(tm.apgr(), 2), o[1], xs, ys, true, o[0].equals("random"), o[2], null));
    }
    return Svg.chart("chart-pgr", "Performance gap recovered versus share of strong-model calls", x, y, s,
        mp -> "<line x1=\"" + Svg.f(mp.x(0)) + "\" y1=\"" + Svg.f(mp.y(0)) + "\" x2=\"" + Svg.f(mp.x(1)) + "\" y2=\""
            + Svg.f(mp.y(1)) + "\" stroke=\"#d1d5db\" stroke-dasharray=\"3 3\"/>"
            + "<line x1=\"" + Svg.f(mp.x(0)) + "\" y1=\"" + Svg.f(mp.y(0)) + "\" x2=\"" + Svg.f(mp.x(1)) + "\" y2=\""
            + Svg.f(mp.y(0)) + "\" stroke=\"#9ca3af\"/>");
  }

  /** Whether the weak and the strong model have the same mean quality (PGR undefined). */
  static boolean noGap(EvalResult r) {
    return r.metrics().get("single:" + r.candidates().get(r.weak())).meanQuality()
        == r.metrics().get("single:" + r.candidates().get(r.strong())).meanQuality();
  }

  static String shortName(String id) {
    return switch (id) {
      case "router" -> "Router";
      case "difficulty" -> "Difficulty";
      case "random" -> "Random";
      case "oracle" -> "Oracle";
      default -> id;
    };
  }

  static String callShareChart(EvalResult r) {
    List<String> rows = new ArrayList<>();
    List<double[]> shares = new ArrayList<>();
    for (PolicyRows.Row row : PolicyRows.callShare(r)) {
      rows.add(row.run().family() == PolicyRun.Family.RANDOM ? row.name() + " (at the router's cost)" : row.name());
      shares.add(row.metrics().callShare());
    }
    List<String> colors = new ArrayList<>();
    for (int c = 0; c < r.candidates().size(); c++) {
      colors.add(MODEL_COLORS.get(c % MODEL_COLORS.size()));
    }
    return Svg.stackedBars("chart-call-share", "Share of calls per model", rows, r.candidates(), colors,
        shares.toArray(new double[0][]));
  }

  static String reliabilityChart(EvalResult r) {
    Svg.Axis x = new Svg.Axis("Predicted quality", 0, 1, false, false);
    Svg.Axis y = new Svg.Axis("Observed mean quality", 0, 1, false, false);
    List<Double> xs = new ArrayList<>();
    List<Double> ys = new ArrayList<>();
    long maxCount = 1;
    for (EvalResult.ReliabilityBin bin : r.reliability()) {
      maxCount = Math.max(maxCount, bin.count());
      if (bin.count() > 0) {
        xs.add(bin.meanPredicted());
        ys.add(bin.meanObserved());
      }
    }
    long max = maxCount;
    Svg.Series cal = new Svg.Series("Classifier", ROUTER, xs.stream().mapToDouble(d -> d).toArray(),
        ys.stream().mapToDouble(d -> d).toArray(), true, false, "circle", null);
    Svg.Series diag = new Svg.Series("Perfect calibration", "#9ca3af", new double[] {0, 1}, new double[] {0, 1}, true, true, null, null);
    return Svg.chart("chart-reliability", "Reliability diagram of predicted quality", x, y, List.of(diag, cal), mp -> {
      StringBuilder b = new StringBuilder();
      for (EvalResult.ReliabilityBin bin : r.reliability()) {
        double hgt = 0.25 * bin.count() / max;
        b.append("<rect x=\"").append(Svg.f(mp.x(bin.lo()) + 2)).append("\" y=\"").append(Svg.f(mp.y(hgt)))
            .append("\" width=\"").append(Svg.f(mp.x(bin.hi()) - mp.x(bin.lo()) - 4)).append("\" height=\"")
            .append(Svg.f(mp.y(0) - mp.y(hgt))).append("\" fill=\"#dbeafe\"><title>").append(bin.count())
            .append(" pairs</title></rect>");
        if (bin.count() > 0) {
          b.append("<text x=\"").append(Svg.f((mp.x(bin.lo()) + mp.x(bin.hi())) / 2)).append("\" y=\"").append(Svg.f(mp.y(hgt) - 4))
              .append("\" text-anchor=\"middle\" class=\"barcount\">").append(bin.count()).append("</text>");
        }
      }
      return b.toString();
    });
  }

  static String baselineTable(EvalResult r) {
    StringBuilder b = new StringBuilder("<table><thead><tr><th>Baseline</th><th>Setting</th><th class=\"n\">CV score</th>"
        + "<th class=\"n\">AIQ</th><th>Router − baseline AIQ</th><th class=\"n\">APGR</th><th>Router − baseline APGR</th>"
        + "<th>Verdict</th></tr></thead><tbody>");
    for (EvalResult.Comparison c : r.comparisons()) {
      b.append("<tr><td>").append(Fmt.html(c.name())).append("</td><td><code>").append(Fmt.html(c.setting()))
          .append("</code></td><td class=\"n\">").append(Fmt.num(c.cvScore(), 4)).append("</td><td class=\"n\">")
          .append(Fmt.num(r.metrics().get(c.baselineId()).aiq(), 4)).append("</td><td>").append(Fmt.num(c.aiqDiff(), 4))
          .append(" (").append(Fmt.ci(c.aiqDiffCi(), false)).append(")</td><td class=\"n\">")
          .append(Fmt.num(r.twoModel().get(c.baselineId()).apgr(), 3)).append("</td><td>").append(Fmt.num(c.apgrDiff(), 3))
          .append(" (").append(Fmt.ci(c.apgrDiffCi(), false)).append(")</td><td>").append(Fmt.html(c.verdict()))
          .append("</td></tr>");
    }
    return b.append("</tbody></table>").toString();
  }

  static String twoModelTable(EvalResult r) {
    StringBuilder b = new StringBuilder("<table><thead><tr><th>Router</th><th class=\"n\">APGR</th><th>95% CI</th>"
        + "<th class=\"n\">CPT(50%)</th><th class=\"n\">CPT(80%)</th></tr></thead><tbody>");
    for (PolicyRows.TwoModelRow row : PolicyRows.twoModel(r)) {
      EvalResult.TwoModel tm = row.tm();
      b.append("<tr><td>").append(Fmt.html(row.name())).append("</td><td class=\"n\">").append(Fmt.num(tm.apgr(), 3))
          .append("</td><td>").append(tm.id().equals("random") ? "seed range " + Fmt.ci(tm.apgrCi(), false) : Fmt.ci(tm.apgrCi(), false))
          .append("</td><td class=\"n\">").append(Fmt.pct(tm.cpt50())).append("</td><td class=\"n\">")
          .append(Fmt.pct(tm.cpt80())).append("</td></tr>");
    }
    return b.append("</tbody></table>").toString();
  }

  static String policyTable(EvalResult r) {
    StringBuilder b = new StringBuilder("<table><thead><tr><th>Policy</th><th class=\"n\">Mean quality</th>"
        + "<th class=\"n\">Cost / 1k req</th><th class=\"n\">AIQ</th><th class=\"n\">Savings @95%</th>"
        + "<th class=\"n\">Savings @99%</th><th>Reported setting</th></tr></thead><tbody>");
    boolean footnote = false;
    boolean random = false;
    for (PolicyRows.Row row : PolicyRows.all(r)) {
      EvalResult.PolicyMetrics pm = row.metrics();
      footnote |= row.singlePoint();
      random |= row.run().family() == PolicyRun.Family.RANDOM;
      b.append("<tr><td>").append(Fmt.html(row.name())).append("</td><td class=\"n\">").append(Fmt.num(pm.meanQuality(), 3))
          .append("</td><td class=\"n\">").append(Fmt.usd(pm.costPer1k())).append("</td><td class=\"n\">")
          .append(row.singlePoint() ? "\u2014<sup>1</sup>" : Fmt.num(pm.aiq(), 3)).append("</td><td class=\"n\">").append(Fmt.pct(pm.savingsAt95()))
          .append("</td><td class=\"n\">").append(Fmt.pct(pm.savingsAt99())).append("</td><td class=\"wrap\">")
          .append(Fmt.html(row.setting())).append(row.run().family() == PolicyRun.Family.RANDOM ? "<sup>2</sup>" : "").append("</td></tr>");
    }
    b.append("</tbody></table>");
    if (footnote) b.append("<p class=\"note foot\"><sup>1</sup> ").append(Fmt.html(PolicyRows.SINGLE_POINT_NOTE)).append("</p>");
    if (random) b.append("<p class=\"note foot\"><sup>2</sup> ").append(Fmt.html(PolicyRows.RANDOM_NOTE)).append("</p>");
    return b.toString();
  }

  static String categoryTable(EvalResult r) {
    StringBuilder b = new StringBuilder("<table><thead><tr><th>Category</th><th class=\"n\">Prompts</th>"
        + "<th class=\"n\">Router quality</th><th class=\"n\">Best-model quality</th><th class=\"n\">Router $/1k</th>"
        + "<th class=\"n\">Best-model $/1k</th><th>Most-used model</th></tr></thead><tbody>");
    int shown = 0;
    for (EvalResult.CategoryRow c : r.categories()) {
      if (shown++ == 40) {
        b.append("<tr><td colspan=\"7\" class=\"note\">").append(r.categories().size() - 40)
            .append(" smaller categories not shown (all are in metrics.json).</td></tr>");
        break;
      }
      b.append("<tr><td>").append(Fmt.html(c.category())).append("</td><td class=\"n\">").append(c.prompts())
          .append("</td><td class=\"n\">").append(Fmt.num(c.routerQuality(), 3)).append("</td><td class=\"n\">")
          .append(Fmt.num(c.bestQuality(), 3)).append("</td><td class=\"n\">").append(Fmt.usd(c.routerCostPer1k()))
          .append("</td><td class=\"n\">").append(Fmt.usd(c.bestCostPer1k())).append("</td><td>")
          .append(Fmt.html(c.topModel())).append(" (").append(Fmt.pct(c.topModelShare())).append(")</td></tr>");
    }
    return b.append("</tbody></table>").toString();
  }

  static final String CSS = """
      :root{--ink:#0f172a;--muted:#64748b;--line:#e2e8f0;--bg:#f8fafc;--accent:#2563eb}
      *{box-sizing:border-box}
      body{margin:0;background:var(--bg);color:var(--ink);font:15px/1.55 system-ui,-apple-system,"Segoe UI",Roboto,"Helvetica Neue",Arial,sans-serif}
      main{max-width:1020px;margin:0 auto;padding:32px 24px 64px}
      header h1{margin:.1em 0 .2em;font-size:30px;letter-spacing:-.01em}
      .kicker{margin:0;color:var(--accent);font-weight:600;text-transform:uppercase;letter-spacing:.08em;font-size:12px}
      .split{font-weight:400;color:var(--muted);font-size:20px}
      .sub{color:var(--muted);margin:0}
      section{background:#fff;border:1px solid var(--line);border-radius:12px;padding:20px 24px;margin:20px 0;overflow-x:auto}
      h2{font-size:19px;margin:0 0 10px}
      .summary{border-left:6px solid #94a3b8}
      .summary.good{border-left-color:#16a34a}
      .summary.bad{border-left-color:#dc2626}
      .verdict{font-size:17px;font-weight:600;margin:0 0 6px}
      .summary ul{margin:0;padding-left:20px}
      .cards{display:flex;gap:12px;flex-wrap:wrap;background:none;border:none;padding:0}
      .card{flex:1 1 160px;background:#fff;border:1px solid var(--line);border-radius:12px;padding:14px 16px}
      .card .label{color:var(--muted);font-size:12px;text-transform:uppercase;letter-spacing:.06em}
      .card .value{font-size:26px;font-weight:700;font-variant-numeric:tabular-nums}
      .card .cnote{color:var(--muted);font-size:12px}
      .note{color:var(--muted);margin:0 0 12px;font-size:14px}
      table{border-collapse:collapse;width:100%;font-size:14px;margin-top:8px}
      th,td{padding:7px 10px;border-bottom:1px solid var(--line);text-align:left;vertical-align:top;overflow-wrap:break-word;hyphens:manual}
      th{font-weight:600;color:#334155;background:#f1f5f9}
      td.n,th.n{text-align:right;font-variant-numeric:tabular-nums;white-space:nowrap}
      td.wrap{white-space:normal;color:#475569;font-size:13px}
      tbody tr:hover{background:#f8fafc}
      svg.chart{display:block;width:100%;max-width:920px;height:auto}
      svg .tick{font-size:11px;fill:#64748b}
      svg .axis{font-size:13px;fill:#334155;font-weight:600}
      svg .legend{font-size:12px;fill:#0f172a}
      svg .plabel{font-size:11px;fill:#334155}
      svg .barlabel{font-size:11px;fill:#fff;font-weight:600}
      svg .barcount{font-size:10px;fill:#64748b}
      .foot{font-size:12px;margin:8px 0 0}
      td.prompt{min-width:16em;color:#334155}
      .quality p:first-of-type{margin-top:0}
      @media (max-width:600px){main{padding:16px 10px 40px}section{padding:14px 12px}header h1{font-size:23px}
        .prov dl{grid-template-columns:1fr}.card .value{font-size:22px}td.prompt{min-width:12em}}
      code{font:13px/1.4 ui-monospace,SFMono-Regular,Menlo,Consolas,monospace;background:#f1f5f9;padding:1px 5px;border-radius:4px;word-break:break-all}
      .prov dl{display:grid;grid-template-columns:120px 1fr;gap:8px 16px;margin:0}
      .prov dt{color:var(--muted)}
      .prov dd{margin:0}
      .sha{font:12px ui-monospace,SFMono-Regular,Menlo,Consolas,monospace;color:var(--muted);word-break:break-all}
      """;
}
