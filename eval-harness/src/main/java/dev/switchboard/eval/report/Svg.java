package dev.switchboard.eval.report;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * Tiny SVG plotting: linear or log axes with "nice" ticks, series as lines and/or markers, a
 * legend. Produces standalone inline {@code <svg>} markup (no scripts, no external resources).
 */
final class Svg {
  private Svg() {}

  /** A plotted series. */
  record Series(String name, String color, double[] xs, double[] ys, boolean line, boolean dashed, String marker,
      List<String> pointLabels) {
    static Series line(String name, String color, double[] xs, double[] ys) {
      return new Series(name, color, xs, ys, true, false, "circle", null);
    }
  }

  /** An axis: range, scale and label. */
  record Axis(String label, double min, double max, boolean log, boolean percent) {
    double frac(double v) {
      if (log) {
        return (Math.log10(v) - Math.log10(min)) / (Math.log10(max) - Math.log10(min));
      }
      return (v - min) / (max - min);
    }

    List<Double> ticks() {
      List<Double> out = new ArrayList<>();
      if (log) {
        for (int e = (int) Math.floor(Math.log10(min)); e <= (int) Math.ceil(Math.log10(max)); e++) {
          for (int m : new int[] {1, 2, 5}) {
            double v = m * Math.pow(10, e);
            if (v >= min * 0.999 && v <= max * 1.001) {
              out.add(v);
            }
          }
        }
        return out;
      }
      double step = niceStep((max - min) / 5);
      for (double v = Math.ceil(min / step) * step; v <= max + step * 1e-9; v += step) {
        out.add(Math.abs(v) < step * 1e-9 ? 0 : v);
      }
      return out;
    }

    String tickLabel(double v) {
      if (percent) {
        return String.format(Locale.ROOT, "%.0f%%", v * 100);
      }
      if (log) {
        return v >= 1 ? String.format(Locale.ROOT, "%.0f", v) : String.format(Locale.ROOT, "%s", trim(v));
      }
      double step = niceStep((max - min) / 5);
      int digits = Math.max(0, (int) -Math.floor(Math.log10(step)));
      return String.format(Locale.ROOT, "%." + digits + "f", v);
    }
  }

  static String trim(double v) {
    String s = String.format(Locale.ROOT, "%.6f", v);
    return s.replaceAll("0+$", "").replaceAll("\\.$", "");
  }

  static double niceStep(double raw) {
    double p = Math.pow(10, Math.floor(Math.log10(raw)));
    double f = raw / p;
    double nice = f < 1.5 ? 1 : f < 3 ? 2 : f < 7 ? 5 : 10;
    return nice * p;
  }

  /** Extends [lo, hi] by a margin, for linear axes. */
  static double[] pad(double lo, double hi, double frac) {
    if (hi <= lo) {
      double d = Math.abs(lo) > 0 ? Math.abs(lo) * 0.1 : 0.1;
      return new double[] {lo - d, hi + d};
    }
    double d = (hi - lo) * frac;
    return new double[] {lo - d, hi + d};
  }

  static String f(double v) {
    return String.format(Locale.ROOT, "%.1f", v);
  }

  /**
   * A scatter/line chart.
   *
   * @param title accessible title
   * @param extra raw SVG drawn in plot coordinates via the given mapper before the series (e.g.
   *     reference lines); may be null
   */
  static String chart(String id, String title, Axis x, Axis y, List<Series> series, java.util.function.Function<Mapper, String> extra) {
    int w = 920;
    int h = 470;
    int left = 70;
    int right = 230;
    int top = 20;
    int bottom = 56;
    Mapper mp = new Mapper(x, y, left, top, w - left - right, h - top - bottom);
    StringBuilder b = new StringBuilder();
    b.append("<svg id=\"").append(id).append("\" class=\"chart\" viewBox=\"0 0 ").append(w).append(' ').append(h)
        .append("\" width=\"").append(w).append("\" height=\"").append(h)
        .append("\" role=\"img\" aria-labelledby=\"").append(id).append("-t\" xmlns=\"http://www.w3.org/2000/svg\">");
    b.append("<title id=\"").append(id).append("-t\">").append(Fmt.html(title)).append("</title>");
    b.append("<rect x=\"").append(left).append("\" y=\"").append(top).append("\" width=\"").append(mp.pw)
        .append("\" height=\"").append(mp.ph).append("\" fill=\"#fbfbfd\" stroke=\"#d9dce3\"/>");
    for (double t : x.ticks()) {
      double px = mp.x(t);
      b.append("<line x1=\"").append(f(px)).append("\" x2=\"").append(f(px)).append("\" y1=\"").append(top)
          .append("\" y2=\"").append(top + mp.ph).append("\" stroke=\"#eceef3\"/>");
      b.append("<text x=\"").append(f(px)).append("\" y=\"").append(top + mp.ph + 18)
          .append("\" text-anchor=\"middle\" class=\"tick\">").append(x.tickLabel(t)).append("</text>");
    }
    for (double t : y.ticks()) {
      double py = mp.y(t);
      b.append("<line x1=\"").append(left).append("\" x2=\"").append(left + mp.pw).append("\" y1=\"").append(f(py))
          .append("\" y2=\"").append(f(py)).append("\" stroke=\"#eceef3\"/>");
      b.append("<text x=\"").append(left - 8).append("\" y=\"").append(f(py + 4))
          .append("\" text-anchor=\"end\" class=\"tick\">").append(y.tickLabel(t)).append("</text>");
    }
    b.append("<text x=\"").append(left + mp.pw / 2).append("\" y=\"").append(h - 12)
        .append("\" text-anchor=\"middle\" class=\"axis\">").append(Fmt.html(x.label())).append("</text>");
    b.append("<text transform=\"translate(18,").append(top + mp.ph / 2).append(") rotate(-90)\" text-anchor=\"middle\" class=\"axis\">")
        .append(Fmt.html(y.label())).append("</text>");
    b.append("<g clip-path=\"url(#").append(id).append("-clip)\">");
    b.append("<clipPath id=\"").append(id).append("-clip\"><rect x=\"").append(left).append("\" y=\"").append(top)
        .append("\" width=\"").append(mp.pw).append("\" height=\"").append(mp.ph).append("\"/></clipPath>");
    if (extra != null) {
      b.append(extra.apply(mp));
    }
    for (Series s : series) {
      if (s.line() && s.xs().length > 1) {
        b.append("<polyline fill=\"none\" stroke=\"").append(s.color()).append("\" stroke-width=\"2\"");
        if (s.dashed()) {
          b.append(" stroke-dasharray=\"6 4\"");
        }
        b.append(" points=\"");
        for (int i = 0; i < s.xs().length; i++) {
          b.append(f(mp.x(s.xs()[i]))).append(',').append(f(mp.y(s.ys()[i]))).append(' ');
        }
        b.append("\"/>");
      }
      for (int i = 0; i < s.xs().length; i++) {
        b.append(marker(s.marker(), mp.x(s.xs()[i]), mp.y(s.ys()[i]), s.color()));
      }
    }
    b.append("</g>");
    // point labels drawn outside the clip so they are never cut, placed so that no two overlap
    LabelPlacer placer = new LabelPlacer(mp.left, mp.top, mp.left + mp.pw, mp.top + mp.ph);
    for (Series s : series) {
      if (s.pointLabels() != null) {
        for (int i = 0; i < s.xs().length; i++) {
          double px = mp.x(s.xs()[i]);
          double py = mp.y(s.ys()[i]);
          placer.reservePoint(px, py);
        }
      }
    }
    for (Series s : series) {
      if (s.pointLabels() != null) {
        for (int i = 0; i < s.xs().length; i++) {
          String text = s.pointLabels().get(i);
          double px = mp.x(s.xs()[i]);
          double py = mp.y(s.ys()[i]);
          LabelPlacer.Box box = placer.place(px, py, text);
          // a label moved away from its point gets a thin leader line back to it
          if (Math.abs(box.anchorY() - (py - 6)) > 1) {
            double ex = box.x() < px ? box.x() + box.w() : box.x();
            b.append("<line x1=\"").append(f(px)).append("\" y1=\"").append(f(py)).append("\" x2=\"").append(f(ex))
                .append("\" y2=\"").append(f(box.y() + box.h() / 2)).append("\" stroke=\"#94a3b8\" stroke-width=\"0.8\"/>");
          }
          b.append("<text x=\"").append(f(box.textX())).append("\" y=\"").append(f(box.anchorY()))
              .append(box.endAnchored() ? "\" text-anchor=\"end" : "").append("\" class=\"plabel\">").append(Fmt.html(text)).append("</text>");
        }
      }
    }
    int ly = top + 6;
    int lx = left + mp.pw + 16;
    for (Series s : series) {
      if (s.name() == null) {
        continue;
      }
      if (s.line()) {
        b.append("<line x1=\"").append(lx).append("\" x2=\"").append(lx + 22).append("\" y1=\"").append(ly + 6)
            .append("\" y2=\"").append(ly + 6).append("\" stroke=\"").append(s.color()).append("\" stroke-width=\"2\"")
            .append(s.dashed() ? " stroke-dasharray=\"6 4\"" : "").append("/>");
      }
      b.append(marker(s.marker(), lx + 11, ly + 6, s.color()));
      b.append("<text x=\"").append(lx + 30).append("\" y=\"").append(ly + 10).append("\" class=\"legend\">")
          .append(Fmt.html(s.name())).append("</text>");
      ly += 22;
    }
    b.append("</svg>");
    return b.toString();
  }

  static String marker(String kind, double x, double y, String color) {
    if (kind == null) {
      return "";
    }
    return switch (kind) {
      case "square" -> "<rect x=\"" + f(x - 4.5) + "\" y=\"" + f(y - 4.5) + "\" width=\"9\" height=\"9\" fill=\"" + color + "\" stroke=\"#fff\"/>";
      case "diamond" -> "<path d=\"M" + f(x) + " " + f(y - 6) + " L" + f(x + 6) + " " + f(y) + " L" + f(x) + " " + f(y + 6)
          + " L" + f(x - 6) + " " + f(y) + " Z\" fill=\"" + color + "\" stroke=\"#fff\"/>";
      case "star" -> star(x, y, color);
      case "small" -> "<circle cx=\"" + f(x) + "\" cy=\"" + f(y) + "\" r=\"2.5\" fill=\"" + color + "\"/>";
      default -> "<circle cx=\"" + f(x) + "\" cy=\"" + f(y) + "\" r=\"4\" fill=\"" + color + "\" stroke=\"#fff\"/>";
    };
  }

  static String star(double x, double y, String color) {
    StringBuilder d = new StringBuilder("M");
    for (int i = 0; i < 10; i++) {
      double r = i % 2 == 0 ? 8 : 3.5;
      double a = -Math.PI / 2 + i * Math.PI / 5;
      d.append(f(x + r * Math.cos(a))).append(' ').append(f(y + r * Math.sin(a))).append(i < 9 ? " L" : " Z");
    }
    return "<path d=\"" + d + "\" fill=\"" + color + "\" stroke=\"#fff\"/>";
  }

  /** Maps data coordinates to pixels. */
  static final class Mapper {
    final Axis ax;
    final Axis ay;
    final int left;
    final int top;
    final int pw;
    final int ph;

    Mapper(Axis ax, Axis ay, int left, int top, int pw, int ph) {
      this.ax = ax;
      this.ay = ay;
      this.left = left;
      this.top = top;
      this.pw = pw;
      this.ph = ph;
    }

    double x(double v) {
      return left + ax.frac(v) * pw;
    }

    double y(double v) {
      return top + (1 - ay.frac(v)) * ph;
    }
  }

  /**
   * Horizontal 100%-stacked bars: one row per label, one segment per model.
   */
  static String stackedBars(String id, String title, List<String> rows, List<String> models, List<String> colors, double[][] shares) {
    int w = 920;
    int rowH = 30;
    int left = 190;
    int right = 20;
    int top = 16;
    int longest = models.stream().mapToInt(String::length).max().orElse(1);
    int perRow = Math.max(1, Math.min(4, (w - left - right) / (longest * 7 + 40)));
    int legendH = 26 * ((models.size() + perRow - 1) / perRow);
    int h = top + rows.size() * rowH + 30 + legendH;
    int pw = w - left - right;
    StringBuilder b = new StringBuilder();
    b.append("<svg id=\"").append(id).append("\" class=\"chart\" viewBox=\"0 0 ").append(w).append(' ').append(h)
        .append("\" width=\"").append(w).append("\" height=\"").append(h)
        .append("\" role=\"img\" aria-labelledby=\"").append(id).append("-t\" xmlns=\"http://www.w3.org/2000/svg\">");
    b.append("<title id=\"").append(id).append("-t\">").append(Fmt.html(title)).append("</title>");
    for (int r = 0; r < rows.size(); r++) {
      int y = top + r * rowH;
      b.append("<text x=\"").append(left - 10).append("\" y=\"").append(y + 19).append("\" text-anchor=\"end\" class=\"legend\">")
          .append(Fmt.html(rows.get(r))).append("</text>");
      double x = left;
      for (int m = 0; m < models.size(); m++) {
        double wd = shares[r][m] * pw;
        if (wd <= 0) {
          continue;
        }
        b.append("<rect x=\"").append(f(x)).append("\" y=\"").append(y + 4).append("\" width=\"").append(f(wd))
            .append("\" height=\"").append(rowH - 8).append("\" fill=\"").append(colors.get(m)).append("\">")
            .append("<title>").append(Fmt.html(models.get(m) + ": " + Fmt.pct(shares[r][m]))).append("</title></rect>");
        if (wd > 44) {
          b.append("<text x=\"").append(f(x + wd / 2)).append("\" y=\"").append(y + 19)
              .append("\" text-anchor=\"middle\" class=\"barlabel\">").append(Fmt.pct(shares[r][m])).append("</text>");
        }
        x += wd;
      }
    }
    int axisY = top + rows.size() * rowH + 4;
    for (int i = 0; i <= 4; i++) {
      double x = left + pw * i / 4.0;
      b.append("<text x=\"").append(f(x)).append("\" y=\"").append(axisY + 12).append("\" text-anchor=\"middle\" class=\"tick\">")
          .append(i * 25).append("%</text>");
    }
    int ly = axisY + 30;
    for (int m = 0; m < models.size(); m++) {
      int col = m % perRow;
      int row = m / perRow;
      int x = left + col * (pw / perRow);
      int y = ly + row * 26;
      b.append("<rect x=\"").append(x).append("\" y=\"").append(y - 10).append("\" width=\"12\" height=\"12\" fill=\"")
          .append(colors.get(m)).append("\"/>");
      b.append("<text x=\"").append(x + 18).append("\" y=\"").append(y).append("\" class=\"legend\">")
          .append(Fmt.html(models.get(m))).append("</text>");
    }
    b.append("</svg>");
    return b.toString();
  }
}
