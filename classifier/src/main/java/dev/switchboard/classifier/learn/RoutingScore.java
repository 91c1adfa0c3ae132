package dev.switchboard.classifier.learn;

import dev.switchboard.routing.Decision;
import dev.switchboard.routing.Policy;
import dev.switchboard.routing.Selection;
import dev.switchboard.routing.metrics.CostQuality;
import dev.switchboard.routing.metrics.CostQualityHull;
import dev.switchboard.routing.metrics.Quantiles;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * How well predictions route, as one number to choose models by: the AIQ (area under the
 * cost-quality hull, cost normalised to the single candidates' range) of the eval-driven router
 * swept over one shared quality threshold, each decision made by {@link Selection#choose} as the
 * live router makes it. When costs are missing or all equal, AIQ degenerates, and the score is the
 * mean quality of always taking the best-predicted candidate.
 */
public final class RoutingScore {

  /** Thresholds swept (quantile edges of the pooled predictions). */
  static final int BINS = 40;

  private RoutingScore() {}

  /**
   * @param p predicted probabilities, n x K, candidates cheapest first
   * @param q observed qualities, n x K
   * @param cost observed costs, n x K
   */
  public static double of(double[][] p, double[][] q, double[][] cost) {
    if (!aiqApplies(cost)) {
      return bestPredicted(p, q);
    }
    int n = p.length;
    int k = p[0].length;
    double[] single = new double[k];
    for (int i = 0; i < n; i++) {
      for (int j = 0; j < k; j++) {
        single[j] += cost[i][j] / n;
      }
    }
    double cMin = Arrays.stream(single).min().orElse(0);
    double cMax = Arrays.stream(single).max().orElse(0);
    double[] pooled = new double[n * k];
    for (int i = 0; i < n; i++) {
      System.arraycopy(p[i], 0, pooled, i * k, k);
    }
    double[] edges = Quantiles.edges(pooled, BINS);
    List<CostQuality> points = new ArrayList<>();
    for (int e = 0; e < edges.length; e++) {
      double t = e == edges.length - 1 ? Math.nextUp(edges[e]) : edges[e];
      Policy policy = uniform(k, t);
      double qs = 0;
      double cs = 0;
      for (int i = 0; i < n; i++) {
        Decision d = Selection.choose(policy, p[i], Double.NaN);
        qs += q[i][d.index()];
        cs += cost[i][d.index()];
      }
      points.add(new CostQuality(cs / n, qs / n));
    }
    return CostQualityHull.aiq(CostQualityHull.nonDecreasing(points), cMin, cMax);
  }

  /** What {@link #of} measures for these costs, for cards and logs. */
  public static String describe(double[][] cost) {
    return aiqApplies(cost) ? "AIQ of the quality-threshold sweep (area under the cost-quality hull, cost normalised to"
        + " the single candidates' range)" : "mean quality of the best-predicted candidate (costs missing or equal)";
  }

  private static boolean aiqApplies(double[][] cost) {
    int n = cost.length;
    int k = n == 0 ? 0 : cost[0].length;
    double[] single = new double[k];
    for (double[] row : cost) {
      for (int j = 0; j < k; j++) {
        if (!Double.isFinite(row[j])) {
          return false;
        }
        single[j] += row[j] / n;
      }
    }
    return Arrays.stream(single).max().orElse(0) > Arrays.stream(single).min().orElse(0);
  }

  /** Mean quality of the candidate with the highest prediction (ties: the cheaper). */
  public static double bestPredicted(double[][] p, double[][] q) {
    double s = 0;
    for (int i = 0; i < p.length; i++) {
      int best = 0;
      for (int j = 1; j < p[i].length; j++) {
        if (p[i][j] > p[i][best]) {
          best = j;
        }
      }
      s += q[i][best];
    }
    return p.length == 0 ? Double.NaN : s / p.length;
  }

  /** Mean soft cross-entropy of the predictions (lower is better): how stacks are weighted. */
  public static double crossEntropy(double[][] p, double[][] q) {
    double s = 0;
    long n = 0;
    for (int i = 0; i < p.length; i++) {
      for (int j = 0; j < p[i].length; j++) {
        s += Sigmoid.crossEntropy(p[i][j], q[i][j]);
        n++;
      }
    }
    return n == 0 ? Double.NaN : s / n;
  }

  private static Policy uniform(int k, double threshold) {
    List<Policy.Candidate> c = new ArrayList<>(k);
    for (int j = 0; j < k; j++) {
      c.add(new Policy.Candidate("c" + j, j, j, threshold));
    }
    return new Policy("score", Policy.Kind.QUALITY_THRESHOLD, new Policy.ClassifierRef("", ""), c, List.of(),
        null, null, null, null, "");
  }
}
