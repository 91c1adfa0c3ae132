package dev.switchboard.cli.ability;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.switchboard.classifier.Classifier;
import dev.switchboard.classifier.ClassifierOptions;
import dev.switchboard.classifier.Scores;
import dev.switchboard.classifier.base.ClassifierException;
import dev.switchboard.classifier.base.Jackson;
import dev.switchboard.classifier.base.ScoringInput;
import dev.switchboard.classifier.learn.Irt;
import dev.switchboard.cli.options.Exit;
import dev.switchboard.dataset.RoutingRow;
import dev.switchboard.dataset.parquet.ParquetFiles.ParquetFileException;
import dev.switchboard.dataset.parquet.RoutingDatasets;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Random;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code switchboard ability}: a new model's IRT ability from graded prompts, so a policy can route
 * it without retraining ({@code ability:} on its candidate entry), and how good that estimate is.
 */
@Command(
    name = "ability",
    header = "Estimate a model's IRT ability from graded prompts (route a model the classifier was not trained on).",
    description = {
        "Scores the model's graded prompts of --split with the classifier (their IRT discrimination a and difficulty b)",
        "and fits the ability theta that best explains the grades: P(adequate) = sigmoid(a * (theta - b)). Then checks it",
        "on --evaluate-on: the error of the predicted quality against the model's real grades. With --sizes, repeats the",
        "estimate from random subsets of each size to show how many graded prompts are enough."},
    mixinStandardHelpOptions = true)
public final class AbilityCommand implements Callable<Integer> {

  @Spec CommandSpec spec;

  @Option(names = "--classifier", required = true, paramLabel = "DIR", description = "Classifier model directory (with an IRT head).")
  Path classifier;

  @Option(names = "--dataset", required = true, paramLabel = "FILE", description = "Routing dataset with the model's graded prompts; repeatable.")
  List<Path> datasets;

  @Option(names = "--model", required = true, paramLabel = "MODEL", description = "The model whose ability to estimate.")
  String model;

  @Option(names = "--split", defaultValue = "train", description = "Split whose graded prompts estimate the ability (default ${DEFAULT-VALUE}).")
  String split;

  @Option(names = "--evaluate-on", defaultValue = "test", paramLabel = "SPLIT", description = "Split to check the estimate on (default ${DEFAULT-VALUE}).")
  String evaluateOn;

  @Option(names = "--prompts", paramLabel = "N", description = "Use N randomly drawn graded prompts (default: all of the split).")
  Integer prompts;

  @Option(names = "--sizes", split = ",", paramLabel = "N", description = "Experiment: estimate from random subsets of these sizes.")
  List<Integer> sizes;

  @Option(names = "--repeats", defaultValue = "30", description = "Draws per size with --sizes (default ${DEFAULT-VALUE}).")
  int repeats;

  @Option(names = "--seed", defaultValue = "42", description = "Seed of the draws (default ${DEFAULT-VALUE}).")
  long seed;

  @Option(names = "--out", paramLabel = "FILE", description = "Also write the numbers as JSON.")
  Path out;

  /** One graded prompt: its IRT parameters and the model's grade. */
  record Graded(double a, double b, double quality) {}

  @Override
  public Integer call() {
    PrintWriter o = spec.commandLine().getOut();
    PrintWriter err = spec.commandLine().getErr();
    try {
      List<RoutingRow> rows = new ArrayList<>();
      for (Path d : datasets) {
        if (!Files.isRegularFile(d)) {
          return Exit.error(err, Exit.BAD_INPUT, "dataset " + d + " not found");
        }
        rows.addAll(RoutingDatasets.read(d));
      }
      if (rows.stream().noneMatch(r -> r.model().equals(model))) {
        return Exit.error(err, Exit.BAD_INPUT, "--model " + model + " has no rows in " + datasets);
      }
      if (repeats < 1 || (prompts != null && prompts < 1)) {
        return Exit.error(err, Exit.BAD_INPUT, "--repeats and --prompts must be >= 1");
      }
      try (Classifier c = Classifier.load(classifier, new ClassifierOptions(1, 0))) {
        List<Graded> fit = graded(c, rows, split);
        List<Graded> check = graded(c, rows, evaluateOn);
        if (fit.isEmpty()) {
          return Exit.error(err, Exit.BAD_INPUT, model + " has no graded prompts in split '" + split + "'");
        }
        Random rnd = new Random(seed);
        List<Graded> used = prompts == null || prompts >= fit.size() ? fit : draw(fit, prompts, rnd);
        double theta = estimate(used);
        double thetaAll = estimate(fit);
        ObjectNode json = Jackson.JSON.createObjectNode();
        json.put("model", model);
        json.put("classifier", classifier.toString());
        json.put("split", split);
        json.put("prompts", used.size());
        json.put("ability", round(theta));
        o.printf(Locale.ROOT, "%s: ability %.4f from %d graded prompts of %s%n", model, theta, used.size(), split);
        boolean known = c.card().candidateNames().contains(model);
        if (c.card().abilities().containsKey(model)) {
          o.printf(Locale.ROOT, "  (the classifier was trained on it: ability %.4f in its card)%n", c.card().abilities().get(model));
        }
        if (!check.isEmpty()) {
          double[] e = errors(check, theta);
          o.printf(Locale.ROOT, "  on %s (%d prompts): predicted quality MAE %.4f, cross-entropy %.4f (mean grade %.3f, predicted %.3f)%n",
              evaluateOn, check.size(), e[0], e[1], e[2], e[3]);
          json.put("evaluate_on", evaluateOn);
          json.put("evaluate_prompts", check.size());
          json.put("mae", round(e[0]));
          json.put("cross_entropy", round(e[1]));
          if (known) {
            double[] own = ownErrors(c, rows, evaluateOn);
            o.printf(Locale.ROOT, "  the classifier's own head for it: MAE %.4f, cross-entropy %.4f%n", own[0], own[1]);
            json.put("own_head_mae", round(own[0]));
            json.put("own_head_cross_entropy", round(own[1]));
          }
        }
        if (sizes != null && !sizes.isEmpty()) {
          ArrayNode table = json.putArray("sizes");
          o.printf(Locale.ROOT, "%n%8s %8s %14s %14s %12s%n", "prompts", "draws", "|theta - all|", "MAE on " + evaluateOn,
              "cross-entropy");
          for (int n : sizes) {
            if (n < 1 || n > fit.size()) {
              err.println("warning: --sizes " + n + " skipped (the split has " + fit.size() + " graded prompts)");
              continue;
            }
            double dTheta = 0;
            double mae = 0;
            double ce = 0;
            for (int r = 0; r < repeats; r++) {
              double t = estimate(draw(fit, n, rnd));
              dTheta += Math.abs(t - thetaAll);
              double[] e = check.isEmpty() ? new double[] {Double.NaN, Double.NaN} : errors(check, t);
              mae += e[0];
              ce += e[1];
            }
            o.printf(Locale.ROOT, "%8d %8d %14.4f %14.4f %12.4f%n", n, repeats, dTheta / repeats, mae / repeats, ce / repeats);
            ObjectNode row = table.addObject();
            row.put("prompts", n);
            row.put("draws", repeats);
            row.put("mean_abs_theta_error", round(dTheta / repeats));
            row.put("mae", round(mae / repeats));
            row.put("cross_entropy", round(ce / repeats));
          }
          double[] full = check.isEmpty() ? new double[] {Double.NaN, Double.NaN} : errors(check, thetaAll);
          o.printf(Locale.ROOT, "%8s %8s %14s %14.4f %12.4f%n", "all " + fit.size(), "1", "0", full[0], full[1]);
          json.put("all_prompts_mae", round(full[0]));
          json.put("all_prompts_cross_entropy", round(full[1]));
        }
        o.printf(Locale.ROOT, "%npolicy entry: - {model: %s, input_price_per_mtok: ?, output_price_per_mtok: ?, threshold: ?, ability: %.4f}%n",
            model, theta);
        if (out != null) {
          Files.createDirectories(out.toAbsolutePath().getParent());
          Jackson.PRETTY.writeValue(out.toFile(), json);
        }
        o.flush();
        return 0;
      }
    } catch (ClassifierException | ParquetFileException | IllegalArgumentException e) {
      return Exit.error(err, Exit.BAD_INPUT, e.getMessage());
    } catch (IOException e) {
      return Exit.error(err, Exit.FAILED, e.getMessage());
    }
  }

  private List<Graded> graded(Classifier c, List<RoutingRow> rows, String wanted) {
    List<RoutingRow> mine = rows.stream()
        .filter(r -> r.model().equals(model) && wanted.equals(r.split()) && Double.isFinite(r.quality()))
        .sorted(Comparator.comparing(RoutingRow::promptId)).toList();
    List<ScoringInput> in = mine.stream().map(AbilityCommand::input).toList();
    List<Graded> out = new ArrayList<>();
    for (int start = 0; start < in.size(); start += 256) {
      List<Scores> s = c.scoreBatch(in.subList(start, Math.min(in.size(), start + 256)));
      for (int i = 0; i < s.size(); i++) {
        Scores sc = s.get(i);
        if (Double.isNaN(sc.irtA())) {
          throw new ClassifierException(classifier + " has no IRT head (retrain it with this build)");
        }
        out.add(new Graded(sc.irtA(), sc.irtB(), Math.min(1, Math.max(0, mine.get(start + i).quality()))));
      }
    }
    return out;
  }

  private double[] ownErrors(Classifier c, List<RoutingRow> rows, String wanted) {
    List<RoutingRow> mine = rows.stream()
        .filter(r -> r.model().equals(model) && wanted.equals(r.split()) && Double.isFinite(r.quality())).toList();
    List<Scores> s = c.scoreBatch(mine.stream().map(AbilityCommand::input).toList());
    double mae = 0;
    double ce = 0;
    for (int i = 0; i < s.size(); i++) {
      double p = s.get(i).quality(model);
      double y = Math.min(1, Math.max(0, mine.get(i).quality()));
      mae += Math.abs(p - y);
      ce += crossEntropy(p, y);
    }
    return new double[] {mae / s.size(), ce / s.size()};
  }

  private static ScoringInput input(RoutingRow r) {
    return r.messagesJson() != null && !r.messagesJson().isBlank()
        ? ScoringInput.ofMessages(r.messagesJson(), r.category())
        : ScoringInput.ofText(r.prompt() == null ? "" : r.prompt(), r.category());
  }

  static double estimate(List<Graded> g) {
    double[] a = new double[g.size()];
    double[] b = new double[g.size()];
    double[] q = new double[g.size()];
    for (int i = 0; i < a.length; i++) {
      a[i] = g.get(i).a();
      b[i] = g.get(i).b();
      q[i] = g.get(i).quality();
    }
    return Irt.estimateAbility(a, b, q);
  }

  /** {MAE, cross-entropy, mean grade, mean prediction} of sigmoid(a * (theta - b)) against the grades. */
  static double[] errors(List<Graded> g, double theta) {
    double mae = 0;
    double ce = 0;
    double my = 0;
    double mp = 0;
    for (Graded x : g) {
      double p = 1 / (1 + Math.exp(-x.a() * (theta - x.b())));
      mae += Math.abs(p - x.quality());
      ce += crossEntropy(p, x.quality());
      my += x.quality();
      mp += p;
    }
    int n = g.size();
    return new double[] {mae / n, ce / n, my / n, mp / n};
  }

  private static double crossEntropy(double p, double y) {
    double c = Math.min(1 - 1e-7, Math.max(1e-7, p));
    return -(y * Math.log(c) + (1 - y) * Math.log(1 - c));
  }

  private static List<Graded> draw(List<Graded> from, int n, Random rnd) {
    List<Graded> copy = new ArrayList<>(from);
    java.util.Collections.shuffle(copy, rnd);
    return copy.subList(0, n);
  }

  private static double round(double v) {
    return Double.isFinite(v) ? Math.round(v * 1e6) / 1e6 : v;
  }
}
