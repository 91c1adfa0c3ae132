package dev.switchboard.eval.report;

import java.util.ArrayList;
import java.util.List;

/*
 * Design
 * ------
 * Point labels (model names beside their cost-quality points) used to sit at one fixed offset, so models with close
 * cost and quality printed on top of each other. The report is static SVG with no script, so the layout is decided
 * here from an estimate of the text's size: for each label, try positions around its point, nearest first (right,
 * left, then stepping up and down), and take the first whose box overlaps neither an earlier label nor a point
 * marker and stays inside the plot. The estimate errs wide (see CHAR_W), so boxes that do not overlap here do not
 * overlap in a browser either; ReportBrowserTest checks that with the rendered bounding boxes.
 */
/** Places point labels of a chart so they do not overlap each other or the points. */
final class LabelPlacer {
  /** Width of one character of the 11 px label font, generously (system-ui averages about 6 px). */
  static final double CHAR_W = 6.6;
  static final double H = 13;
  static final double GAP = 7;

  /** A placed label: its box, where its text is anchored, and whether the anchor is the text's end. */
  record Box(double x, double y, double w, double h, double textX, double anchorY, boolean endAnchored) {
    boolean overlaps(Box o) {
      return x < o.x + o.w && o.x < x + w && y < o.y + o.h && o.y < y + h;
    }
  }

  private final double minX;
  private final double minY;
  private final double maxX;
  private final double maxY;
  private final List<Box> taken = new ArrayList<>();

  LabelPlacer(double minX, double minY, double maxX, double maxY) {
    this.minX = minX;
    this.minY = minY;
    this.maxX = maxX;
    this.maxY = maxY;
  }

  /** Keeps labels off a point marker (a 10 px square around it). */
  void reservePoint(double px, double py) {
    taken.add(new Box(px - 5, py - 5, 10, 10, px, py, false));
  }

  /** Places {@code text} for the point at ({@code px}, {@code py}) and remembers its box. */
  Box place(double px, double py, String text) {
    double w = text.length() * CHAR_W;
    Box fallback = null;
    for (int step = 0; step <= 12; step++) {
      // 0, -1, +1, -2, +2, ... rows of label height away from the default spot just above the point
      int row = (step + 1) / 2 * (step % 2 == 1 ? -1 : 1);
      double baseline = py - 6 + row * (H + 1);
      for (boolean left : new boolean[] {false, true}) {
        double x = left ? px - GAP - w : px + GAP;
        Box b = new Box(x, baseline - H + 2, w, H, left ? px - GAP : px + GAP, baseline, left);
        if (fallback == null) fallback = b;
        if (inside(b) && taken.stream().noneMatch(b::overlaps)) {
          taken.add(b);
          return b;
        }
      }
    }
    taken.add(fallback);
    return fallback;
  }

  private boolean inside(Box b) {
    return b.x() >= minX && b.x() + b.w() <= maxX && b.y() >= minY && b.y() + b.h() <= maxY;
  }
}
