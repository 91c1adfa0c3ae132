package dev.switchboard.classifier.learn;

import dev.switchboard.classifier.heads.TrainConfig;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.function.Consumer;

/**
 * Fits the whole family on the train split and picks the router by a routing score.
 *
 * <h2>How</h2>
 *
 * <ol>
 *   <li>Every configured learner (each family over a small grid of settings) is scored by
 *       {@code folds}-fold cross-validation on the train split: out-of-fold predictions for every
 *       train prompt, then {@link RoutingScore} on them. Each family keeps one setting, by the rule
 *       of step 3 within the family (best score; settings within one standard error of it tie, and
 *       the best-calibrated of those wins).
 *   <li>A {@link Stack} of those bests gets convex weights (a grid of step 0.2) that maximise the
 *       routing score of the blended out-of-fold predictions; its own score comes from weights
 *       fitted on half of the folds and applied to the other half (both ways), so it is no more
 *       optimistic than the members'.
 *   <li>The candidate with the highest cross-validated score is the router, unless others are within
 *       one standard error of it; then the best-calibrated of those ({@link #choose}). Each family's best and
 *       the stack are also refitted on the whole train split and scored on the held-out validation
 *       split, which nothing above looked at; both scores go to the card.
 * </ol>
 *
 * <p>Why cross-validation rather than the validation split alone: validation splits here are
 * 30-800 prompts, and picking among a dozen settings on so few overfits them (a sweep on ~1,500
 * validation prompts once chose a penalty whose validation APGR did not carry to test). The
 * validation split stays untouched for {@code switchboard tune} and for an honest second opinion.
 *
 * <p>An IRT head is always fitted (whether or not it is the router): the served graph takes the
 * prompt's difficulty and discrimination from it, and new candidates are routed through it.
 */
public final class RouterTrainer {

  /** Grid step of the stack's weights. */
  static final double STACK_STEP = 0.2;

  /** How many folds, the random seed, and which families to try. */
  public record Options(int folds, long seed, List<Family> families, TrainConfig mlp, int threads, Data aux) {
    public Options {
      if (folds < 2) {
        throw new IllegalArgumentException("folds must be >= 2, was " + folds);
      }
      families = List.copyOf(families);
    }

    public Options(int folds, long seed, List<Family> families, TrainConfig mlp, int threads) {
      this(folds, seed, families, mlp, threads, null);
    }

    /** Every family, 5 folds, the MLP at its usual settings. */
    public static Options defaults(long seed) {
      return new Options(5, seed, List.of(Family.values()), TrainConfig.defaults(seed, 200), 2);
    }

    /** The same with auxiliary prompts for the IRT head. */
    public Options withAux(Data auxiliary) {
      return new Options(folds, seed, families, mlp, threads, auxiliary);
    }
  }

  /** One scored candidate, fitted on the whole train split. */
  public record Scored(Learner learner, Fitted fitted, double cvScore, double validationScore, boolean chosen) {}

  /**
   * The outcome.
   *
   * @param router the chosen learner, fitted on the train split
   * @param irt the IRT head fitted on the train split (difficulty, new candidates)
   * @param candidates every family's best setting and the stack, with both scores
   * @param grid every setting tried with its cross-validated score
   */
  public record Result(Learner chosen, Fitted router, Irt.Head irt, List<Scored> candidates,
                       Map<String, Double> grid, String scoreName, double[] chosenPerFold) {

    /** The chosen learner's cross-validated score. */
    public double chosenCvScore() {
      return candidates.stream().filter(Scored::chosen).findFirst().orElseThrow().cvScore();
    }
  }

  private RouterTrainer() {}

  /** The settings tried per family. */
  static List<Learner> grid(Family f, Data train, Options o) {
    return switch (f) {
      case PRIOR -> train.spec().categories().isEmpty() ? List.of()
          : List.of(new CategoryPrior(1), new CategoryPrior(5), new CategoryPrior(20), new CategoryPrior(100));
      case KNN -> List.of(new Knn(10), new Knn(30), new Knn(100), new Knn(300));
      case LOGREG -> List.of(new LogReg(1e-3, false), new LogReg(1e-2, false), new LogReg(1e-1, false), new LogReg(1, false));
      case MLP -> List.of(new Mlp(o.mlp()));
      case IRT -> List.of(new Irt(1e-3, o.aux()), new Irt(1e-2, o.aux()), new Irt(1e-1, o.aux()));
      case STACK -> List.of();
    };
  }

  /** One family's best setting by cross-validation on {@code train}, refitted on all of it. */
  public record Best(Learner learner, double cvScore, Fitted fitted) {}

  /**
   * The best setting of {@code family} (its grid, {@code o.folds()}-fold cross-validation on
   * {@code train}), fitted on the whole of {@code train}; null when the family does not apply (a
   * prior without categories). What {@code switchboard eval} fits its baseline rows with.
   */
  public static Best best(Family family, Data train, Options o, Consumer<String> log) {
    int[] fold = folds(train.size(), o.folds(), o.seed());
    ExecutorService pool = Executors.newFixedThreadPool(Math.max(1, o.threads()));
    try {
      Learner bestL = null;
      double bestS = Double.NEGATIVE_INFINITY;
      for (Learner l : grid(family, train, o)) {
        double s = RoutingScore.of(outOfFold(l, train, fold, o, pool), train.q(), train.cost());
        log.accept(String.format("  %-40s cv %.4f", l.name(), s));
        if (s > bestS) {
          bestS = s;
          bestL = l;
        }
      }
      if (bestL == null) {
        return null;
      }
      Learner chosen = bestL;
      return new Best(chosen, bestS, get(pool.submit(() -> chosen.fit(train, o.seed()))));
    } finally {
      pool.shutdownNow();
    }
  }

  public static Result train(Data train, Data validation, Options o, Consumer<String> log) {
    if (train.size() < 2 * o.folds()) {
      throw new IllegalArgumentException("the train split has " + train.size() + " prompts; cross-validation needs at least "
          + 2 * o.folds());
    }
    int[] fold = folds(train.size(), o.folds(), o.seed());
    ExecutorService pool = Executors.newFixedThreadPool(Math.max(1, o.threads()));
    try {
      Map<String, Double> gridScores = new LinkedHashMap<>();
      Map<Family, Learner> best = new EnumMap<>(Family.class);
      Map<Family, double[][]> bestOof = new EnumMap<>(Family.class);
      Map<Family, Double> bestScore = new EnumMap<>(Family.class);
      List<Family> families = new ArrayList<>(o.families());
      if (!families.contains(Family.IRT)) {
        families.add(Family.IRT); // always fitted: difficulty and new candidates come from it
      }
      for (Family f : families) {
        Map<Learner, Double> settings = new LinkedHashMap<>();
        Map<Learner, double[][]> settingsOof = new LinkedHashMap<>();
        for (Learner l : grid(f, train, o)) {
          long t0 = System.nanoTime();
          double[][] oof = outOfFold(l, train, fold, o, pool);
          double s = RoutingScore.of(oof, train.q(), train.cost());
          gridScores.put(l.name(), s);
          log.accept(String.format("  %-40s cv %.4f  (%.1f s)", l.name(), s, (System.nanoTime() - t0) / 1e9));
          settings.put(l, s);
          settingsOof.put(l, oof);
        }
        if (!settings.isEmpty()) {
          // A family's setting by the same rule as the family: settings within one standard error of
          // the best are a tie, and the best-calibrated of them wins. It matters most for the IRT head,
          // whose probabilities are read directly (difficulty, new candidates' abilities): the top
          // CV score among near-equal l2 values is noise, its calibration is not.
          Learner l = choose(settings, settingsOof, train, fold, o.folds(), log);
          best.put(f, l);
          bestOof.put(f, settingsOof.get(l));
          bestScore.put(f, settings.get(l));
        }
      }
      List<Learner> contenders = new ArrayList<>();
      for (Family f : families) {
        if (best.containsKey(f) && o.families().contains(f)) {
          contenders.add(best.get(f));
        }
      }
      Map<Learner, Double> cv = new LinkedHashMap<>();
      Map<Learner, double[][]> oofOf = new LinkedHashMap<>();
      for (Learner l : contenders) {
        cv.put(l, bestScore.get(l.family()));
        oofOf.put(l, bestOof.get(l.family()));
      }
      if (o.families().contains(Family.STACK) && contenders.size() >= 2) {
        List<double[][]> oofs = contenders.stream().map(l -> bestOof.get(l.family())).toList();
        double[] w = stackWeights(oofs, train, all(train.size()));
        long used = java.util.Arrays.stream(w).filter(v -> v > 0).count();
        if (used < 2) {
          log.accept("  stack: all weight on one member; nothing to blend");
        }
        Stack stack = new Stack(contenders, w);
        if (used >= 2) {
          double[][] stackOof = crossFittedBlend(oofs, train, fold);
          double s = RoutingScore.of(stackOof, train.q(), train.cost());
          oofOf.put(stack, stackOof);
          gridScores.put(stack.name(), s);
          log.accept(String.format("  %-40s cv %.4f", stack.name(), s));
          cv.put(stack, s);
        }
      }
      Learner chosen = choose(cv, oofOf, train, fold, o.folds(), log);
      // Refit on the whole train split; score on the untouched validation split.
      List<Scored> scored = new ArrayList<>();
      Fitted router = null;
      Irt.Head irt = null;
      List<Future<Fitted>> fits = new ArrayList<>();
      List<Learner> order = new ArrayList<>(cv.keySet());
      Learner irtLearner = best.get(Family.IRT);
      if (!order.contains(irtLearner)) {
        order.add(irtLearner);
      }
      for (Learner l : order) {
        fits.add(pool.submit(() -> l.fit(train, o.seed())));
      }
      for (int i = 0; i < order.size(); i++) {
        Learner l = order.get(i);
        Fitted f = get(fits.get(i));
        if (l == irtLearner) {
          irt = (Irt.Head) f;
        }
        if (!cv.containsKey(l)) {
          continue;
        }
        double vs = validation.size() == 0 ? Double.NaN
            : RoutingScore.of(f.predict(validation.x()), validation.q(), validation.cost());
        scored.add(new Scored(l, f, cv.get(l), vs, l == chosen));
        if (l == chosen) {
          router = f;
        }
      }
      return new Result(chosen, router, irt, scored, gridScores, RoutingScore.describe(train.cost()),
          perFold(oofOf.get(chosen), train, fold, o.folds()));
    } finally {
      pool.shutdownNow();
    }
  }

  static double[][] outOfFold(Learner l, Data d, int[] fold, Options o, ExecutorService pool) {
    int n = d.size();
    double[][] out = new double[n][];
    List<Future<double[][]>> parts = new ArrayList<>();
    List<int[]> testIdx = new ArrayList<>();
    for (int f = 0; f < o.folds(); f++) {
      List<Integer> tr = new ArrayList<>();
      List<Integer> te = new ArrayList<>();
      for (int i = 0; i < n; i++) {
        (fold[i] == f ? te : tr).add(i);
      }
      int[] trI = tr.stream().mapToInt(Integer::intValue).toArray();
      int[] teI = te.stream().mapToInt(Integer::intValue).toArray();
      testIdx.add(teI);
      Data trainPart = d.rows(trI);
      Data testPart = d.rows(teI);
      parts.add(pool.submit(() -> l.fit(trainPart, o.seed()).predict(testPart.x())));
    }
    for (int f = 0; f < o.folds(); f++) {
      double[][] p = get(parts.get(f));
      int[] teI = testIdx.get(f);
      for (int i = 0; i < teI.length; i++) {
        out[teI[i]] = p[i];
      }
    }
    return out;
  }

  /** Fold of each row: a seeded shuffle dealt round-robin, so folds differ in size by at most one. */
  static int[] folds(int n, int k, long seed) {
    int[] order = new int[n];
    for (int i = 0; i < n; i++) {
      order[i] = i;
    }
    Random rnd = new Random(seed);
    for (int i = n - 1; i > 0; i--) {
      int j = rnd.nextInt(i + 1);
      int t = order[i];
      order[i] = order[j];
      order[j] = t;
    }
    int[] fold = new int[n];
    for (int i = 0; i < n; i++) {
      fold[order[i]] = i % k;
    }
    return fold;
  }

  /**
   * The best cross-validated score wins, unless others are within one standard error of it: the
   * per-fold score differences to the leader have a mean no larger than their standard error. Among
   * those statistically tied, the lowest out-of-fold cross-entropy wins: the best-calibrated
   * probabilities, which a policy's thresholds and a new candidate's ability are read against.
   * (Measured on the shipped default: kNN led an IRT head by 0.0002 of AIQ, far inside the folds'
   * spread, while the IRT head's probabilities were much sharper.)
   */
  static Learner choose(Map<Learner, Double> cv, Map<Learner, double[][]> oof, Data train, int[] fold, int folds,
                        Consumer<String> log) {
    Learner leader = null;
    for (Map.Entry<Learner, Double> e : cv.entrySet()) {
      if (leader == null || e.getValue() > cv.get(leader)) {
        leader = e.getKey();
      }
    }
    double[] lead = perFold(oof.get(leader), train, fold, folds);
    Learner chosen = leader;
    double bestCe = RoutingScore.crossEntropy(oof.get(leader), train.q());
    for (Learner l : cv.keySet()) {
      if (l == leader) {
        continue;
      }
      double[] mine = perFold(oof.get(l), train, fold, folds);
      double[] d = new double[folds];
      for (int f = 0; f < folds; f++) {
        d[f] = lead[f] - mine[f];
      }
      double mean = java.util.Arrays.stream(d).average().orElse(0);
      double se = standardError(d);
      if (mean <= se) {
        double ce = RoutingScore.crossEntropy(oof.get(l), train.q());
        log.accept(String.format("  %s is within one standard error of %s (%.4f <= %.4f); cross-entropy %.4f vs %.4f",
            l.name(), leader.name(), mean, se, ce, bestCe));
        if (ce < bestCe) {
          bestCe = ce;
          chosen = l;
        }
      }
    }
    return chosen;
  }

  /** Standard error of the mean of {@code d} (sample standard deviation / sqrt(n)). */
  public static double standardError(double[] d) {
    double mean = java.util.Arrays.stream(d).average().orElse(0);
    double var = 0;
    for (double v : d) {
      var += (v - mean) * (v - mean);
    }
    return Math.sqrt(var / (d.length - 1) / d.length);
  }

  /** The routing score of each fold's out-of-fold rows. */
  static double[] perFold(double[][] oof, Data train, int[] fold, int folds) {
    double[] out = new double[folds];
    for (int f = 0; f < folds; f++) {
      final int ff = f;
      int[] rows = java.util.stream.IntStream.range(0, fold.length).filter(i -> fold[i] == ff).toArray();
      double[][] p = new double[rows.length][];
      for (int i = 0; i < rows.length; i++) {
        p[i] = oof[rows[i]];
      }
      Data d = train.rows(rows);
      out[f] = RoutingScore.of(p, d.q(), d.cost());
    }
    return out;
  }

  /**
   * The stack's out-of-fold predictions without optimism: the folds are split in two halves (even,
   * odd); each half is blended with the weights fitted on the other half's out-of-fold predictions.
   */
  static double[][] crossFittedBlend(List<double[][]> oofs, Data train, int[] fold) {
    int n = train.size();
    int[][] half = new int[2][];
    for (int h = 0; h < 2; h++) {
      final int hh = h;
      half[h] = java.util.stream.IntStream.range(0, n).filter(i -> fold[i] % 2 == hh).toArray();
    }
    double[][] out = new double[n][];
    for (int h = 0; h < 2; h++) {
      double[] w = stackWeights(oofs, train, half[1 - h]);
      double[][] b = blend(oofs, w);
      for (int i : half[h]) {
        out[i] = b[i];
      }
    }
    return out;
  }

  static int[] all(int n) {
    return java.util.stream.IntStream.range(0, n).toArray();
  }

  /**
   * Convex weights on a grid of step {@link #STACK_STEP} maximising the routing score of the
   * blend on rows {@code rows}. The routing score, not cross-entropy: a prior that only knows the
   * category ranks candidates well and predicts probabilities badly, and ranking is what routes.
   */
  static double[] stackWeights(List<double[][]> oofs, Data train, int[] rows) {
    int m = oofs.size();
    int steps = (int) Math.round(1 / STACK_STEP);
    List<double[][]> sub = new ArrayList<>();
    for (double[][] p : oofs) {
      double[][] r = new double[rows.length][];
      for (int i = 0; i < rows.length; i++) {
        r[i] = p[rows[i]];
      }
      sub.add(r);
    }
    Data d = train.rows(rows);
    double[] best = null;
    double bestScore = Double.NEGATIVE_INFINITY;
    int[] w = new int[m];
    while (true) {
      int sum = 0;
      for (int i = 0; i < m - 1; i++) {
        sum += w[i];
      }
      if (sum <= steps) {
        w[m - 1] = steps - sum;
        double[] wd = new double[m];
        for (int i = 0; i < m; i++) {
          wd[i] = w[i] / (double) steps;
        }
        double score = RoutingScore.of(blend(sub, wd), d.q(), d.cost());
        if (score > bestScore + 1e-12) {
          bestScore = score;
          best = wd;
        }
      }
      int i = 0;
      while (i < m - 1) {
        w[i]++;
        if (w[i] <= steps) {
          break;
        }
        w[i] = 0;
        i++;
      }
      if (i == m - 1) {
        break;
      }
    }
    return best;
  }

  static double[][] blend(List<double[][]> parts, double[] w) {
    int n = parts.get(0).length;
    int k = parts.get(0)[0].length;
    double[][] out = new double[n][k];
    for (int m = 0; m < parts.size(); m++) {
      if (w[m] == 0) {
        continue;
      }
      double[][] p = parts.get(m);
      for (int i = 0; i < n; i++) {
        for (int j = 0; j < k; j++) {
          out[i][j] += w[m] * p[i][j];
        }
      }
    }
    return out;
  }

  private static <T> T get(Future<T> f) {
    try {
      return f.get();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("training interrupted", e);
    } catch (ExecutionException e) {
      if (e.getCause() instanceof RuntimeException r) {
        throw r;
      }
      throw new IllegalStateException(e.getCause());
    }
  }
}
