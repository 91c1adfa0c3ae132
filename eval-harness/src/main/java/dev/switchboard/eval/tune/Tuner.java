package dev.switchboard.eval.tune;

import dev.switchboard.eval.run.OperatingPoint;
import dev.switchboard.eval.run.Policies;
import dev.switchboard.eval.run.SelectionPolicies;

import dev.switchboard.routing.metrics.Quantiles;
import dev.switchboard.eval.run.EvalTable;
import dev.switchboard.eval.run.Scored;
import dev.switchboard.routing.Policy;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.TreeSet;

/**
 * Finds per-candidate thresholds of a quality-threshold policy that minimise mean cost subject to a
 * quality target, or maximise quality under a cost cap.
 *
 * <p>Method: a greedy walk down the cost-quality frontier. Each candidate's threshold moves on a
 * grid of its predicted-quality quantiles (every 2.5%, plus "above every prediction"). The walk
 * starts with every threshold at the top (no candidate qualifies, each prompt goes to its best
 * predicted model: the highest-quality end) and repeatedly takes the one-step threshold decrease
 * that loses the least quality per dollar saved (free moves first). Every visited state is an
 * operating point; the answer is the cheapest one meeting the quality bar ({@code quality x
 * best single model's mean quality}), or the best-quality one within the cost cap. Every state is
 * evaluated through {@link dev.switchboard.routing.Selection#choose}.
 */
public final class Tuner {
  private Tuner() {}

  /**
   * @param thresholds the chosen per-candidate thresholds (table order)
   * @param point the chosen state's operating point on the tuning split
   * @param reached whether the target was met (else the closest state is returned)
   * @param path every state the walk visited, from highest quality to cheapest
   */
  public record Result(double[] thresholds, OperatingPoint point, boolean reached, List<OperatingPoint> path) {}

  public static final int GRID_STEPS = 40;

  /**
   * Below this many tuning prompts a shared threshold is the default ({@code --thresholds auto}):
   * per-candidate thresholds on a quantile grid have {@code candidates x 40} settings to fit, and on
   * a 59-prompt validation split they fitted its noise (the shipped default's policy sent a fifth of
   * trivial prompts past the cheapest model while meeting its target on validation).
   */
  public static final int PER_CANDIDATE_MIN_PROMPTS = 500;

  /**
   * One threshold shared by every candidate, swept over {@code 2 * GRID_STEPS} quantiles of all
   * predictions pooled (plus "above every prediction"); the cheapest setting that meets a quality
   * target, or the best-quality one within a cost cap. One parameter: robust on small splits.
   */
  public static Result tuneShared(EvalTable t, Scored s, Policy.Target target, String sha256) {
    int m = t.models();
    double[] pooled = new double[t.size() * m];
    for (int p = 0; p < t.size(); p++) {
      System.arraycopy(s.predicted[p], 0, pooled, p * m, m);
    }
    double[] edges = Quantiles.edges(pooled, 2 * GRID_STEPS);
    TreeSet<Double> values = new TreeSet<>();
    for (double e : edges) {
      values.add(Math.min(1.0, Math.max(0.0, e)));
    }
    values.add(Math.min(1.0, Math.nextUp(edges[edges.length - 1])));
    int[] cols = Policies.all(m);
    List<OperatingPoint> path = new ArrayList<>();
    List<double[]> states = new ArrayList<>();
    for (double v : values.descendingSet()) {
      double[] th = new double[m];
      Arrays.fill(th, v);
      path.add(evaluate(t, s, th, sha256, cols));
      states.add(th);
    }
    return pick(t, target, path, states);
  }

  public static Result tune(EvalTable t, Scored s, Policy.Target target, String sha256) {
    int m = t.models();
    double[][] grid = new double[m][];
    for (int c = 0; c < m; c++) {
      double[] col = new double[t.size()];
      for (int p = 0; p < col.length; p++) {
        col[p] = s.predicted[p][c];
      }
      double[] edges = Quantiles.edges(col, GRID_STEPS);
      TreeSet<Double> values = new TreeSet<>();
      for (double e : edges) {
        values.add(Math.min(1.0, Math.max(0.0, e)));
      }
      values.add(Math.min(1.0, Math.nextUp(edges[GRID_STEPS])));
      grid[c] = values.descendingSet().stream().mapToDouble(Double::doubleValue).toArray();
    }
    int[] pos = new int[m];
    int[] cols = Policies.all(m);
    List<OperatingPoint> path = new ArrayList<>();
    List<double[]> states = new ArrayList<>();
    double[] th = thresholds(grid, pos);
    OperatingPoint cur = evaluate(t, s, th, sha256, cols);
    path.add(cur);
    states.add(th);
    int guard = 0;
    for (int maxSteps = Arrays.stream(grid).mapToInt(g -> g.length).sum(); guard < maxSteps; guard++) {
      int bestMove = -1;
      double bestScore = Double.POSITIVE_INFINITY;
      OperatingPoint bestPoint = null;
      for (int c = 0; c < m; c++) {
        if (pos[c] + 1 >= grid[c].length) {
          continue;
        }
        pos[c]++;
        OperatingPoint next = evaluate(t, s, thresholds(grid, pos), sha256, cols);
        pos[c]--;
        double saved = cur.meanCost() - next.meanCost();
        double lost = cur.meanQuality() - next.meanQuality();
        double score;
        if (saved <= 0 && lost <= 0) {
          score = Double.NEGATIVE_INFINITY; // costs nothing, loses nothing: take it
        } else if (saved <= 0) {
          continue;
        } else {
          score = lost / saved;
        }
        if (score < bestScore) {
          bestScore = score;
          bestMove = c;
          bestPoint = next;
        }
      }
      if (bestMove < 0) {
        break;
      }
      pos[bestMove]++;
      cur = bestPoint;
      path.add(cur);
      states.add(thresholds(grid, pos));
    }

    return pick(t, target, path, states);
  }

  /** The cheapest state meeting the quality bar, or the best within the cost cap, else the closest. */
  private static Result pick(EvalTable t, Policy.Target target, List<OperatingPoint> path, List<double[]> states) {
    int best = t.bestModel();
    double bar = target.quality() == null ? Double.NaN : target.quality() * t.meanQuality(best);
    int pick = -1;
    for (int i = 0; i < path.size(); i++) {
      OperatingPoint p = path.get(i);
      if (target.quality() != null) {
        if (p.meanQuality() >= bar - 1e-12 && (pick < 0 || p.meanCost() < path.get(pick).meanCost())) {
          pick = i;
        }
      } else if (p.meanCost() <= target.costUsd() + 1e-15
          && (pick < 0 || p.meanQuality() > path.get(pick).meanQuality())) {
        pick = i;
      }
    }
    boolean reached = pick >= 0;
    if (!reached) {
      pick = 0;
      for (int i = 1; i < path.size(); i++) {
        boolean better = target.quality() != null
            ? path.get(i).meanQuality() > path.get(pick).meanQuality()
            : path.get(i).meanCost() < path.get(pick).meanCost();
        if (better) {
          pick = i;
        }
      }
    }
    return new Result(states.get(pick), path.get(pick), reached, path);
  }

  private static double[] thresholds(double[][] grid, int[] pos) {
    double[] th = new double[grid.length];
    for (int c = 0; c < grid.length; c++) {
      th[c] = grid[c][pos[c]];
    }
    return th;
  }

  private static OperatingPoint evaluate(EvalTable t, Scored s, double[] th, String sha, int[] cols) {
    int[] chosen = Policies.choose(SelectionPolicies.quality(t, th, sha), s, cols);
    return OperatingPoint.of("tuned", Double.NaN, chosen, t.quality, t.cost);
  }
}
