package dev.switchboard.routing.metrics;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/**
 * The non-decreasing convex hull of RouterBench ({@code withmartian/routerbench},
 * {@code evaluation/AIQ.py}) and the AIQ built on it.
 *
 * <p>The hull of a set of (cost, quality) points is the upper concave envelope of the points,
 * starting at the cheapest point (the best quality among the cheapest) and ending at the point of
 * highest quality (the cheapest such): every point on it is reachable by mixing two operating
 * points at random per request, and nothing costlier than the best point is worth buying.
 */
public final class CostQualityHull {
  private CostQualityHull() {}

  /** The hull's vertices in ascending cost, quality non-decreasing. */
  public static List<CostQuality> nonDecreasing(List<CostQuality> points) {
    if (points.isEmpty()) {
      throw new IllegalArgumentException("no points");
    }
    List<CostQuality> sorted = new ArrayList<>(points);
    sorted.sort(Comparator.comparingDouble(CostQuality::cost).thenComparing(CostQuality::quality, Comparator.reverseOrder()));
    // Andrew's monotone chain, upper hull, left to right.
    List<CostQuality> upper = new ArrayList<>();
    for (CostQuality p : sorted) {
      if (!upper.isEmpty() && upper.get(upper.size() - 1).cost() == p.cost()) {
        continue; // same cost, lower or equal quality: never on the upper hull
      }
      while (upper.size() >= 2 && cross(upper.get(upper.size() - 2), upper.get(upper.size() - 1), p) >= 0) {
        upper.remove(upper.size() - 1);
      }
      upper.add(p);
    }
    // The upper hull rises to its highest vertex and then falls; keep the rising part.
    List<CostQuality> out = new ArrayList<>();
    for (CostQuality p : upper) {
      if (!out.isEmpty() && p.quality() <= out.get(out.size() - 1).quality()) {
        break;
      }
      out.add(p);
    }
    return out;
  }

  /** z of (b - a) x (c - a); &gt;= 0 means b is not above the segment a-c. */
  private static double cross(CostQuality a, CostQuality b, CostQuality c) {
    return (b.cost() - a.cost()) * (c.quality() - a.quality()) - (b.quality() - a.quality()) * (c.cost() - a.cost());
  }

  /**
   * The hull's quality at cost {@code c}: 0 below the cheapest vertex (nothing is affordable),
   * linear between vertices, flat after the last.
   */
  public static double qualityAt(List<CostQuality> hull, double c) {
    if (c < hull.get(0).cost()) {
      return 0;
    }
    for (int i = 1; i < hull.size(); i++) {
      CostQuality a = hull.get(i - 1);
      CostQuality b = hull.get(i);
      if (c <= b.cost()) {
        return a.quality() + (b.quality() - a.quality()) * (c - a.cost()) / (b.cost() - a.cost());
      }
    }
    return hull.get(hull.size() - 1).quality();
  }

  /**
   * AIQ (average improvement in quality, RouterBench): {@code 1 / (cMax - cMin) * integral from
   * cMin to cMax of hull quality dc}, where {@code [cMin, cMax]} is the cost range of all the
   * points being compared (every policy's), the hull is flat after its costliest vertex and 0 below
   * its cheapest. This is the paper's definition; RouterBench's code divides by {@code cMax}
   * instead, which agrees when {@code cMin = 0}. Returns the hull's quality when {@code cMax ==
   * cMin}.
   */
  public static double aiq(List<CostQuality> hull, double cMin, double cMax) {
    if (!(cMax >= cMin)) {
      throw new IllegalArgumentException("cMax < cMin");
    }
    if (cMax == cMin) {
      return qualityAt(hull, cMin);
    }
    // Breakpoints: the range ends and every vertex inside it; the curve is linear in between
    // except for the step at the first vertex, handled by integrating from max(cMin, first cost).
    List<Double> xs = new ArrayList<>();
    double start = Math.max(cMin, hull.get(0).cost());
    if (start >= cMax) {
      return 0;
    }
    xs.add(start);
    for (CostQuality v : hull) {
      if (v.cost() > start && v.cost() < cMax) {
        xs.add(v.cost());
      }
    }
    xs.add(cMax);
    double area = 0;
    for (int i = 1; i < xs.size(); i++) {
      double a = xs.get(i - 1);
      double b = xs.get(i);
      area += (b - a) * (qualityAt(hull, a) + qualityAt(hull, b)) / 2;
    }
    return area / (cMax - cMin);
  }
}
