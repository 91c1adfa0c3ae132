package dev.switchboard.cli.eval;

import dev.switchboard.cli.options.Exit;
import dev.switchboard.cli.options.Invocation;
import dev.switchboard.dataset.parquet.ParquetFiles.ParquetFileException;
import dev.switchboard.eval.report.DecisionsParquet;
import dev.switchboard.eval.report.HtmlReport;
import dev.switchboard.eval.report.MarkdownReport;
import dev.switchboard.eval.report.MetricsJson;
import dev.switchboard.eval.run.Baselines;
import dev.switchboard.eval.run.EvalException;
import dev.switchboard.eval.run.EvalInputs;
import dev.switchboard.eval.run.EvalOptions;
import dev.switchboard.eval.report.ReaderNotes;
import dev.switchboard.eval.run.EvalResult;
import dev.switchboard.eval.run.EvalTable;
import dev.switchboard.eval.run.Evaluation;
import dev.switchboard.eval.run.InputPaths;
import dev.switchboard.eval.run.Scored;
import dev.switchboard.routing.Policy;
import dev.switchboard.routing.PolicyFileException;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code switchboard eval}: compare the router with baselines on a dataset split and write a report. */
@Command(
    name = "eval",
    header = "Evaluate the router against baselines on a routing dataset and write a report.",
    description = {
      "Scores every prompt of the split once with the classifier, sweeps the router's thresholds and compares it",
      "with simple baselines fitted on the dataset's train split (category prior, kNN, logistic regression, MLP heads;",
      "paired bootstrap intervals of the router's lead), a difficulty-threshold policy, a random weak/strong mix, every",
      "single model and an oracle.",
      "Writes report.html, report.md, metrics.json and decisions.parquet to --out."
    },
    mixinStandardHelpOptions = true)
public final class EvalCommand implements Callable<Integer> {

  @Spec CommandSpec spec;

  @Option(names = "--dataset", required = true, paramLabel = "FILE", description = "Routing dataset (Parquet).")
  Path dataset;

  @Option(names = "--classifier", required = true, paramLabel = "DIR", description = "Classifier model directory, e.g. models/default.")
  Path classifier;

  @Option(names = "--split", defaultValue = "test", description = "Dataset split to evaluate on (default ${DEFAULT-VALUE}).")
  String split;

  @Option(names = "--candidates", split = ",", paramLabel = "MODEL", description = "Candidate models (default: the classifier's).")
  List<String> candidates;

  @Option(names = "--strong", paramLabel = "MODEL", description = "Strong model of the two-model metrics (default: best mean quality).")
  String strong;

  @Option(names = "--weak", paramLabel = "MODEL", description = "Weak model of the two-model metrics (default: cheapest).")
  String weak;

  @Option(names = "--threshold", defaultValue = "0.5", description = "Quality at which an answer is adequate, for the oracle (default ${DEFAULT-VALUE}).")
  double threshold;

  @Option(names = "--seed", defaultValue = "42", description = "Seed of the random baseline and the bootstrap (default ${DEFAULT-VALUE}).")
  long seed;

  @Option(names = "--bins", defaultValue = "10", description = "Quantile bins of each threshold sweep (default ${DEFAULT-VALUE}).")
  int bins;

  @Option(names = "--bootstrap", defaultValue = "1000", paramLabel = "N", description = "Bootstrap resamples for confidence intervals (default ${DEFAULT-VALUE}).")
  int resamples;

  @Option(names = "--policy", paramLabel = "FILE", description = "Also evaluate this tuned policy file.")
  Path policy;

  @Option(names = "--cache-dir", defaultValue = ".cache/switchboard", paramLabel = "DIR", description = "Where classifier scores are cached (default ${DEFAULT-VALUE}).")
  Path cacheDir;

  @Option(names = "--monthly-requests", defaultValue = "1000000", paramLabel = "N",
      description = "Traffic for the report's projected monthly cost and savings (default ${DEFAULT-VALUE}).")
  long monthlyRequests;

  @Option(names = "--out", required = true, paramLabel = "DIR", description = "Output directory, e.g. reports/NAME/.")
  Path out;

  @Override
  public Integer call() {
    PrintWriter o = spec.commandLine().getOut();
    PrintWriter err = spec.commandLine().getErr();
    try {
      if (!(threshold >= 0 && threshold <= 1)) {
        throw new EvalException("--threshold must be in [0, 1], was " + threshold);
      }
      if (bins < 2) {
        throw new EvalException("--bins must be at least 2, was " + bins);
      }
      if (monthlyRequests < 1) {
        throw new EvalException("--monthly-requests must be at least 1, was " + monthlyRequests);
      }
      if (resamples < 10) {
        throw new EvalException("--bootstrap must be at least 10, was " + resamples);
      }
      InputPaths.modelDir("--classifier", classifier);
      Policy tuned = policy == null ? null : InputPaths.policy("--policy", policy);
      try (EvalInputs in = EvalInputs.open(dataset, classifier, cacheDir)) {
        List<String> wanted = candidates == null || candidates.isEmpty() ? in.scorer.candidates() : candidates;
        EvalTable t = EvalTable.build(in.rows, dataset.toString(), split, wanted);
        Scored.candidateMap(t.candidates, in.scorer); // fail before scoring if the classifier cannot score them
        int w = weak == null ? 0 : index(t, weak, "--weak");
        int s = strong == null ? t.bestModel() : index(t, strong, "--strong");
        if (w == s) {
          throw new EvalException("--weak and --strong are both " + t.candidates.get(w) + "; pick two different models");
        }
        if (tuned != null) {
          checkPolicy(tuned, t, in.scorer.sha256());
        }
        Scored scored = in.score(t, err);
        List<Baselines.Baseline> baselines = Baselines.fit(in.rows, dataset.toString(), t,
            dev.switchboard.classifier.ClassifierCard.read(classifier), cacheDir, seed, err);
        EvalResult.Meta meta = new EvalResult.Meta(commandLine(), dataset.toString(), in.datasetSha256,
            classifier.toString(), in.scorer.sha256(), split, t.size(), t.droppedPrompts, threshold, seed, bins,
            resamples, Instant.now().truncatedTo(ChronoUnit.SECONDS).toString());
        EvalResult r = Evaluation.run(t, scored, new EvalOptions(w, s, threshold, seed, bins, resamples), meta, tuned, baselines);
        dev.switchboard.eval.run.ScoringLatency sl = in.scoringLatency(t, LATENCY_PROMPTS);
        ReaderNotes notes = ReaderNotes.of(r, t, scored, dataset, monthlyRequests,
            sl == null ? null : new ReaderNotes.Latency(sl.prompts(), sl.p50Ms(), sl.p99Ms(), dev.switchboard.eval.run.ScoringLatency.cpuModel()));
        Files.createDirectories(out);
        Files.writeString(out.resolve("report.html"), HtmlReport.render(r, notes));
        Files.writeString(out.resolve("report.md"), MarkdownReport.render(r, notes));
        Files.writeString(out.resolve("metrics.json"), MetricsJson.render(r));
        DecisionsParquet.write(out.resolve("decisions.parquet"), r, t, scored);
        printSummary(o, r);
        o.println("wrote " + out.resolve("report.html") + ", report.md, metrics.json, decisions.parquet");
        o.flush();
        return 0;
      }
    } catch (EvalException | PolicyFileException | ParquetFileException e) {
      return Exit.error(err, Exit.BAD_INPUT, e.getMessage());
    } catch (IOException e) {
      return Exit.error(err, Exit.FAILED, "cannot write to " + out + ": " + e.getMessage());
    }
  }

  /** Prompts the report's scoring latency is measured on (one at a time, a second or two in all). */
  static final int LATENCY_PROMPTS = 50;

  static int index(EvalTable t, String model, String option) {
    int i = t.indexOf(model);
    if (i < 0) {
      throw new EvalException(option + " " + model + " is not a candidate (candidates: " + String.join(", ", t.candidates) + ")");
    }
    return i;
  }

  static void checkPolicy(Policy p, EvalTable t, String classifierSha) {
    if (!p.classifier().sha256().equals(classifierSha)) {
      throw new EvalException("policy " + p.version() + " was tuned for classifier sha256 " + p.classifier().sha256()
          + " but the classifier given has sha256 " + classifierSha);
    }
    for (Policy.Candidate c : p.candidates()) {
      if (t.indexOf(c.model()) < 0) {
        throw new EvalException("policy candidate " + c.model() + " is not among the evaluated candidates "
            + String.join(", ", t.candidates));
      }
    }
  }

  private String commandLine() {
    return dev.switchboard.cli.options.Invocation.of(spec);
  }

  static void printSummary(PrintWriter o, EvalResult r) {
    EvalResult.TwoModel rt = r.twoModel().get("router");
    EvalResult.PolicyMetrics rm = r.metrics().get("router");
    o.printf(java.util.Locale.ROOT, "%s: %d prompts, candidates %s%n", r.meta().split(), r.meta().prompts(),
        String.join(", ", r.candidates()));
    o.printf(java.util.Locale.ROOT, "router  APGR %.3f (95%% CI %.3f-%.3f, random %.3f)  CPT50 %.1f%%  AIQ %.3f%n",
        rt.apgr(), rt.apgrCi()[0], rt.apgrCi()[1], r.twoModel().get("random").apgr(), rt.cpt50() * 100, rm.aiq());
    o.printf(java.util.Locale.ROOT, "savings vs always-%s: %s at 95%% quality, %s at 99%%%n",
        r.candidates().get(r.best()), pct(rm.savingsAt95()), pct(rm.savingsAt99()));
    for (EvalResult.Comparison c : r.comparisons()) {
      o.printf(java.util.Locale.ROOT, "vs %-22s %-18s AIQ %+.4f (95%% CI %+.4f..%+.4f)  APGR %+.3f (%+.3f..%+.3f)  -> %s%n",
          c.name(), c.setting(), c.aiqDiff(), c.aiqDiffCi()[0], c.aiqDiffCi()[1], c.apgrDiff(), c.apgrDiffCi()[0],
          c.apgrDiffCi()[1], c.verdict());
    }
  }

  private static String pct(double v) {
    return Double.isFinite(v) ? String.format(java.util.Locale.ROOT, "%.1f%%", v * 100) : "not reached";
  }
}
