package dev.switchboard.routing.metrics;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/**
 * Strong/weak router metrics as defined by RouteLLM ({@code lm-sys/RouteLLM},
 * {@code routellm/evals/benchmarks.py} and {@code evaluate.py}).
 *
 * <ul>
 *   <li><b>Sweep</b>: thresholds are the {@code bins + 1} quantile edges of the router's score
 *       ({@link Quantiles#edges}); at edge {@code i < bins} a prompt goes to the strong model iff
 *       {@code score >= edge}, at the last edge iff {@code score > edge}. So the first point sends
 *       every prompt to the strong model and the last none.
 *   <li><b>PGR</b> (performance gap recovered) of a mean quality {@code q}: {@code (q - q_weak) /
 *       (q_strong - q_weak)} where {@code q_weak}, {@code q_strong} are the always-weak and
 *       always-strong mean qualities on the same prompts.
 *   <li><b>APGR</b>: with points sorted by strong share {@code x}, {@code (AUC - AUC_weak) /
 *       (AUC_strong - AUC_weak)}, each AUC by the trapezoid rule over {@code x} (quality for AUC, the
 *       constants for the other two); equal to the trapezoid area under PGR(x) divided by the x
 *       range, which is 1 for a full sweep. A random router has expected APGR 0.5.
 *   <li><b>CPT(p)</b> (call-performance threshold): the smallest strong share at which PGR reaches
 *       {@code p}, linearly interpolated between the two sweep points that bracket the first
 *       crossing. RouteLLM uses {@code np.interp}, which agrees whenever PGR is non-decreasing in
 *       x. NaN if PGR never reaches {@code p}.
 * </ul>
 */
public final class TwoModelMetrics {
  private TwoModelMetrics() {}

  /**
   * Sweeps the thresholds and returns one point per edge, in edge order.
   *
   * @param score the router's per-prompt score, higher = send to strong
   */
  public static List<SweepPoint> sweep(
      double[] score, double[] qWeak, double[] qStrong, double[] cWeak, double[] cStrong, int bins) {
    int n = score.length;
    if (qWeak.length != n || qStrong.length != n || cWeak.length != n || cStrong.length != n) {
      throw new IllegalArgumentException("all per-prompt arrays must have the same length");
    }
    double[] edges = Quantiles.edges(score, bins);
    List<SweepPoint> out = new ArrayList<>(edges.length);
    for (int i = 0; i < edges.length; i++) {
      boolean last = i == edges.length - 1;
      double t = edges[i];
      double q = 0;
      double c = 0;
      int strong = 0;
      for (int k = 0; k < n; k++) {
        boolean s = last ? score[k] > t : score[k] >= t;
        if (s) {
          strong++;
          q += qStrong[k];
          c += cStrong[k];
        } else {
          q += qWeak[k];
          c += cWeak[k];
        }
      }
      out.add(new SweepPoint(t, (double) strong / n, q / n, c / n));
    }
    return out;
  }

  /** Performance gap recovered; NaN when the two models have equal mean quality. */
  public static double pgr(double quality, double weak, double strong) {
    return (quality - weak) / (strong - weak);
  }

  /** Average PGR as RouteLLM computes it (see class doc). */
  public static double apgr(List<SweepPoint> points, double weak, double strong) {
    List<SweepPoint> sorted = byShare(points);
    double auc = 0;
    double xRange = sorted.get(sorted.size() - 1).strongShare() - sorted.get(0).strongShare();
    for (int i = 1; i < sorted.size(); i++) {
      SweepPoint a = sorted.get(i - 1);
      SweepPoint b = sorted.get(i);
      auc += (b.strongShare() - a.strongShare()) * (a.meanQuality() + b.meanQuality()) / 2;
    }
    double weakAuc = weak * xRange;
    double strongAuc = strong * xRange;
    return (auc - weakAuc) / (strongAuc - weakAuc);
  }

  /** Call-performance threshold: smallest strong share with PGR &gt;= p (see class doc). */
  public static double cpt(List<SweepPoint> points, double p, double weak, double strong) {
    List<SweepPoint> sorted = byShare(points);
    double prevX = Double.NaN;
    double prevG = Double.NaN;
    for (int i = 0; i < sorted.size(); i++) {
      double x = sorted.get(i).strongShare();
      double g = pgr(sorted.get(i).meanQuality(), weak, strong);
      if (g >= p) {
        if (i == 0 || g == prevG) {
          return x;
        }
        return prevX + (x - prevX) * (p - prevG) / (g - prevG);
      }
      prevX = x;
      prevG = g;
    }
    return Double.NaN;
  }

  private static List<SweepPoint> byShare(List<SweepPoint> points) {
    if (points.size() < 2) {
      throw new IllegalArgumentException("a sweep needs at least two points, has " + points.size());
    }
    List<SweepPoint> sorted = new ArrayList<>(points);
    sorted.sort(Comparator.comparingDouble(SweepPoint::strongShare)); // stable for equal shares
    return sorted;
  }
}
