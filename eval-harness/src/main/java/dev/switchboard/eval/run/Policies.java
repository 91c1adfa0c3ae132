package dev.switchboard.eval.run;

import dev.switchboard.routing.metrics.Quantiles;
import dev.switchboard.routing.Decision;
import dev.switchboard.routing.Policy;
import dev.switchboard.routing.Selection;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.SplittableRandom;

/**
 * The policies an evaluation compares. Routed policies decide through {@link Selection#choose};
 * baselines are direct.
 */
public final class Policies {
  private Policies() {}

  /** Number of seeds the random mix is averaged over. */
  public static final int RANDOM_SEEDS = 10;

  /** Per-prompt choice of {@code policy} (predicted qualities in table order). */
  public static int[] choose(Policy policy, Scored s, int[] columns) {
    int n = s.difficulty.length;
    int[] chosen = new int[n];
    double[] q = new double[columns.length];
    for (int p = 0; p < n; p++) {
      for (int i = 0; i < columns.length; i++) {
        q[i] = s.predicted[p][columns[i]];
      }
      Decision d = Selection.choose(policy, q, s.difficulty[p]);
      chosen[p] = columns[d.index()];
    }
    return chosen;
  }

  public static int[] all(int m) {
    int[] c = new int[m];
    for (int i = 0; i < m; i++) {
      c[i] = i;
    }
    return c;
  }

  /**
   * The eval-driven router: a quality-threshold policy over all candidates with one shared
   * threshold, swept over the {@code bins + 1} quantile edges of all predicted qualities (pooled
   * over candidates). Low thresholds send everything to the cheapest model; at the top edge few
   * candidates qualify and prompts go to the best predicted one.
   */
  public static PolicyRun router(EvalTable t, Scored s, int bins, String sha256) {
    double[] pooled = new double[t.size() * t.models()];
    int k = 0;
    for (double[] row : s.predicted) {
      for (double v : row) {
        pooled[k++] = v;
      }
    }
    double[] edges = Quantiles.edges(pooled, bins);
    List<OperatingPoint> pts = new ArrayList<>();
    int[] cols = all(t.models());
    for (int i = 0; i < edges.length; i++) {
      // The last threshold sits just above every prediction: nothing qualifies and each prompt goes
      // to its best predicted candidate (mirrors RouteLLM's strict last edge).
      double e = i == edges.length - 1 ? Math.nextUp(edges[i]) : edges[i];
      int[] chosen = choose(SelectionPolicies.uniformQuality(t, e, sha256), s, cols);
      pts.add(OperatingPoint.of(String.format("t=%.3f", edges[i]), edges[i], chosen, t.quality, t.cost));
    }
    return new PolicyRun("router", "Eval-driven router", PolicyRun.Family.ROUTER, pts);
  }

  /**
   * The eval-driven router restricted to two candidates, as a quality-threshold policy [weak,
   * strong] with the strong threshold 0: weak iff its predicted quality is at least t. Thresholds
   * are placed so the sweep equals RouteLLM's on the score {@code -predicted(weak)}: with ascending
   * edges {@code e} of the weak model's predictions, point i uses {@code nextUp(e[bins - i])} and
   * the last point {@code e[0]} (everything weak). Shares go from all-strong to all-weak.
   */
  public static PolicyRun routerTwoModel(EvalTable t, Scored s, int weak, int strong, int bins, String sha256) {
    double[] qw = new double[t.size()];
    for (int p = 0; p < qw.length; p++) {
      qw[p] = s.predicted[p][weak];
    }
    double[] edges = Quantiles.edges(qw, bins);
    int[] cols = {weak, strong};
    List<OperatingPoint> pts = new ArrayList<>();
    for (int i = 0; i <= bins; i++) {
      double th = i < bins ? Math.nextUp(edges[bins - i]) : edges[0];
      double[] thresholds = new double[t.models()];
      thresholds[weak] = th;
      Policy two = new Policy("sweep", Policy.Kind.QUALITY_THRESHOLD, new Policy.ClassifierRef("", sha256),
          List.of(SelectionPolicies.candidates(t, thresholds).get(weak),
              SelectionPolicies.candidates(t, thresholds).get(strong)),
          List.of(), null, null, null, null, "");
      int[] chosen = choose(two, s, cols);
      pts.add(OperatingPoint.of(String.format("t=%.3f", th), th, chosen, t.quality, t.cost));
    }
    return new PolicyRun("router-2", "Router (weak/strong)", PolicyRun.Family.ROUTER, pts);
  }

  /**
   * Two-model difficulty policy: weak if difficulty &lt; cut, else strong, with cuts at the
   * quantile edges of the difficulty; the last cut is nudged just above the maximum so that the
   * last point sends nothing to the strong model (RouteLLM's sweep, see TwoModelMetrics).
   */
  public static PolicyRun difficulty(EvalTable t, Scored s, int weak, int strong, int bins, String sha256) {
    double[] edges = Quantiles.edges(s.difficulty, bins);
    List<OperatingPoint> pts = new ArrayList<>();
    int[] cols = {weak, strong};
    for (int i = 0; i < edges.length; i++) {
      double cut = i == edges.length - 1 ? Math.nextUp(edges[i]) : edges[i];
      int[] chosen = choose(SelectionPolicies.difficulty(t, weak, strong, cut, sha256), s, cols);
      pts.add(OperatingPoint.of(String.format("d=%.3f", edges[i]), edges[i], chosen, t.quality, t.cost));
    }
    return new PolicyRun("difficulty", "Difficulty threshold", PolicyRun.Family.DIFFICULTY, pts);
  }

  /**
   * Random mix of weak and strong: each prompt goes to the strong model with probability {@code
   * p = 0, 0.1, ..., 1}; qualities, costs and shares averaged over {@link #RANDOM_SEEDS} seeds
   * ({@code seed, seed+1, ...}).
   */
  public static PolicyRun randomMix(EvalTable t, int weak, int strong, long seed) {
    List<OperatingPoint> pts = new ArrayList<>();
    int n = t.size();
    for (int step = 0; step <= 10; step++) {
      double prob = step / 10.0;
      double q = 0;
      double c = 0;
      double strongShare = 0;
      for (int sd = 0; sd < RANDOM_SEEDS; sd++) {
        SplittableRandom rnd = new SplittableRandom(seed + sd);
        for (int p = 0; p < n; p++) {
          int m = rnd.nextDouble() < prob ? strong : weak;
          q += t.quality[p][m];
          c += t.cost[p][m];
          if (m == strong) {
            strongShare++;
          }
        }
      }
      double total = (double) n * RANDOM_SEEDS;
      double[] share = new double[t.models()];
      share[strong] = strongShare / total;
      share[weak] = 1 - share[strong];
      pts.add(new OperatingPoint(String.format("p=%.1f", prob), prob, q / total, c / total, share, null));
    }
    return new PolicyRun("random", "Random mix", PolicyRun.Family.RANDOM, pts);
  }

  /** Always the same candidate. */
  public static PolicyRun single(EvalTable t, int c) {
    int[] chosen = new int[t.size()];
    Arrays.fill(chosen, c);
    return new PolicyRun("single:" + t.candidates.get(c), t.candidates.get(c), PolicyRun.Family.SINGLE,
        List.of(OperatingPoint.of("always", Double.NaN, chosen, t.quality, t.cost)));
  }

  /**
   * Oracle: per prompt the cheapest candidate whose actual quality is at least the adequacy bar; if
   * none is adequate, the one with the highest actual quality (ties: the cheaper). Swept over bars
   * {@code 0, 0.05, ..., 1} plus {@code adequacy} (the point reported as the oracle's), so it also
   * traces a cost-quality curve. An upper reference no classifier reaches.
   */
  public static PolicyRun oracle(EvalTable t, double adequacy) {
    java.util.TreeSet<Double> bars = new java.util.TreeSet<>();
    for (int i = 0; i <= 20; i++) {
      bars.add(i / 20.0);
    }
    bars.add(adequacy);
    List<OperatingPoint> pts = new ArrayList<>();
    for (double bar : bars) {
      int[] chosen = new int[t.size()];
      for (int p = 0; p < t.size(); p++) {
        int pick = -1;
        int best = 0;
        for (int c = 0; c < t.models(); c++) {
          if (pick < 0 && t.quality[p][c] >= bar) {
            pick = c;
          }
          if (t.quality[p][c] > t.quality[p][best]) {
            best = c;
          }
        }
        chosen[p] = pick >= 0 ? pick : best;
      }
      pts.add(OperatingPoint.of(String.format("adequate>=%.2f", bar), bar, chosen, t.quality, t.cost));
    }
    return new PolicyRun("oracle", "Oracle", PolicyRun.Family.ORACLE, pts);
  }

  /** A tuned policy file applied as written (its candidates must be table candidates). */
  public static PolicyRun tuned(EvalTable t, Scored s, Policy policy) {
    int[] cols = new int[policy.candidates().size()];
    for (int i = 0; i < cols.length; i++) {
      cols[i] = t.indexOf(policy.candidates().get(i).model());
    }
    int[] chosen = choose(policy, s, cols);
    return new PolicyRun("tuned", "Tuned policy", PolicyRun.Family.TUNED,
        List.of(OperatingPoint.of(policy.version(), Double.NaN, chosen, t.quality, t.cost)));
  }
}
