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

  static String headline(EvalResult r) {
    EvalResult.TwoModel tm = r.twoModel().get("router");
    String pair = r.candidates().get(r.weak()) + " / " + r.candidates().get(r.strong());
    String apgr = "APGR " + Fmt.num(tm.apgr(), 3) + " (95% CI " + Fmt.ci(tm.apgrCi(), false) + ") on " + pair;
    return switch (verdict(r)) {
      case 1 -> "The router beats random routing: " + apgr + "; the interval excludes 0.5.";
      case -1 -> "The router is worse than random routing: " + apgr + "; the interval lies below 0.5.";
      default -> "The router is not distinguishable from random routing: " + apgr + "; the interval includes 0.5.";
    };
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
