package dev.switchboard.eval.report;

import java.util.Locale;

/** Number formatting shared by the reports (locale-independent; NaN shown as an en dash). */
final class Fmt {
  private Fmt() {}

  static final String NA = "\u2013";

  static String num(double v, int digits) {
    return Double.isFinite(v) ? String.format(Locale.ROOT, "%." + digits + "f", v) : NA;
  }

  static String pct(double v) {
    if (Double.isFinite(v) && Math.abs(v) < 0.0005) {
      return "0.0%"; // no "-0.0%" from rounding noise
    }
    return Double.isFinite(v) ? String.format(Locale.ROOT, "%.1f%%", v * 100) : NA;
  }

  static String ci(double[] ci, boolean percent) {
    if (ci == null || !Double.isFinite(ci[0])) {
      return NA;
    }
    return percent ? pct(ci[0]) + " \u2013 " + pct(ci[1]) : num(ci[0], 3) + " \u2013 " + num(ci[1], 3);
  }

  /** Dollars with enough digits to be meaningful for tiny per-request costs. */
  static String usd(double v) {
    if (!Double.isFinite(v)) {
      return NA;
    }
    double a = Math.abs(v);
    if (a >= 100) {
      return String.format(Locale.ROOT, "$%,.0f", v);
    }
    if (a >= 1) {
      return String.format(Locale.ROOT, "$%.2f", v);
    }
    if (a >= 0.01) {
      return String.format(Locale.ROOT, "$%.3f", v);
    }
    return String.format(Locale.ROOT, "$%.2g", v);
  }

  static String html(String s) {
    if (s == null) {
      return "";
    }
    StringBuilder b = new StringBuilder(s.length());
    for (char c : s.toCharArray()) {
      switch (c) {
        case '<' -> b.append("&lt;");
        case '>' -> b.append("&gt;");
        case '&' -> b.append("&amp;");
        case '"' -> b.append("&quot;");
        case '\'' -> b.append("&#39;");
        default -> b.append(c);
      }
    }
    return b.toString();
  }

  static String md(String s) {
    return s == null ? "" : s.replace("|", "\\|");
  }
}
