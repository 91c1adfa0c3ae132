package dev.switchboard.eval.report;

import dev.switchboard.eval.run.EvalResult;

/** Plain-language sentences shared by the HTML and Markdown reports. */
final class ReportText {
  private ReportText() {}

  /** Whether the router's APGR CI lies above 0.5 (1), below (-1) or straddles it (0). */
  static int verdict(EvalResult r) {
    EvalResult.TwoModel tm = r.twoModel().get("router");
    if (tm.apgrCi() == null || !Double.isFinite(tm.apgrCi()[0])) {
      return 0;
    }
    if (tm.apgrCi()[0] > 0.5) {
      return 1;
    }
    return tm.apgrCi()[1] < 0.5 ? -1 : 0;
  }

  /** The baselines verdict first (what the router must earn), then the comparison with random routing. */
  static String headline(EvalResult r) {
    String base = baselines(r);
    return base.isEmpty() ? randomVerdict(r) : base + " " + randomVerdict(r);
  }

  static String randomVerdict(EvalResult r) {
    EvalResult.TwoModel tm = r.twoModel().get("router");
    String pair = r.candidates().get(r.weak()) + " / " + r.candidates().get(r.strong());
    String apgr = "APGR " + Fmt.num(tm.apgr(), 3) + " (95% CI " + Fmt.ci(tm.apgrCi(), false) + ") on " + pair;
    return switch (verdict(r)) {
      case 1 -> "Against random routing it wins: " + apgr + "; the interval excludes 0.5.";
      case -1 -> "Against random routing it loses: " + apgr + "; the interval lies below 0.5.";
      default -> "Against random routing it is not distinguishable: " + apgr + "; the interval includes 0.5.";
    };
  }

  /**
   * One sentence per verdict group: which baselines (fitted on this dataset's train split) the router
   * beats, is indistinguishable from or loses to, by the paired 95% interval of its AIQ lead.
   */
  static String baselines(EvalResult r) {
    if (r.comparisons().isEmpty()) {
      return "";
    }
    StringBuilder beats = new StringBuilder();
    StringBuilder ties = new StringBuilder();
    StringBuilder worse = new StringBuilder();
    for (EvalResult.Comparison c : r.comparisons()) {
      String item = c.name() + " (" + sign(c.aiqDiff()) + ", CI " + sign(c.aiqDiffCi()[0]) + " to " + sign(c.aiqDiffCi()[1]) + ")";
      StringBuilder to = switch (c.verdict()) {
        case "beats" -> beats;
        case "worse" -> worse;
        default -> ties;
      };
      to.append(to.length() > 0 ? ", " : "").append(item);
    }
    StringBuilder b = new StringBuilder("Router vs simple baselines fitted on this dataset's train split (AIQ, router minus"
        + " baseline, paired 95% CI):");
    if (beats.length() > 0) {
      b.append(" beats ").append(beats).append('.');
    }
    if (ties.length() > 0) {
      b.append(" Not distinguishable from ").append(ties).append('.');
    }
    if (worse.length() > 0) {
      b.append(" Worse than ").append(worse).append('.');
    }
    return b.toString();
  }

  private static String sign(double v) {
    return Double.isFinite(v) ? String.format(java.util.Locale.ROOT, "%+.4f", v) : "n/a";
  }

  static String savings(EvalResult r) {
    EvalResult.PolicyMetrics m = r.metrics().get("router");
    String best = r.candidates().get(r.best());
    StringBuilder b = new StringBuilder();
    if (Double.isFinite(m.savingsAt95())) {
      b.append("At \u2265 95% of always-").append(best).append(" quality the router costs ").append(Fmt.pct(m.savingsAt95()))
          .append(" less (95% CI ").append(Fmt.ci(m.savingsAt95Ci(), true)).append(")");
    } else {
      b.append("No router setting reaches 95% of always-").append(best).append(" quality");
    }
    if (Double.isFinite(m.savingsAt99())) {
      b.append("; at \u2265 99% it saves ").append(Fmt.pct(m.savingsAt99())).append(" (95% CI ")
          .append(Fmt.ci(m.savingsAt99Ci(), true)).append(").");
    } else {
      b.append("; no setting reaches 99%.");
    }
    return b.toString();
  }

  static String comparison(EvalResult r) {
    EvalResult.PolicyMetrics router = r.metrics().get("router");
    EvalResult.PolicyMetrics random = r.metrics().get("random");
    EvalResult.PolicyMetrics oracle = r.metrics().get("oracle");
    return "AIQ (area under the cost-quality hull, higher is better): router " + Fmt.num(router.aiq(), 3)
        + ", random mix " + Fmt.num(random.aiq(), 3) + ", oracle " + Fmt.num(oracle.aiq(), 3) + ".";
  }
}
