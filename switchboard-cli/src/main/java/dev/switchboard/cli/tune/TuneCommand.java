package dev.switchboard.cli.tune;

import dev.switchboard.classifier.base.Hashing;
import dev.switchboard.cli.options.Exit;
import dev.switchboard.dataset.parquet.ParquetFiles.ParquetFileException;
import dev.switchboard.eval.run.EvalException;
import dev.switchboard.eval.run.EvalInputs;
import dev.switchboard.eval.run.EvalTable;
import dev.switchboard.eval.run.InputPaths;
import dev.switchboard.eval.run.OperatingPoint;
import dev.switchboard.eval.run.Policies;
import dev.switchboard.eval.run.Scored;
import dev.switchboard.eval.tune.Tuner;
import dev.switchboard.routing.Policy;
import dev.switchboard.routing.PolicyFileException;
import dev.switchboard.routing.PolicyFiles;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code switchboard tune}: per-candidate thresholds for a quality or cost target, written as a policy file. */
@Command(
    name = "tune",
    header = "Tune per-candidate quality thresholds for a target and write a versioned policy file.",
    description = {
      "--target quality=F: cheapest thresholds whose mean quality on the tuning split is at least F times the best",
      "single model's mean quality. --target cost=USD: best-quality thresholds whose mean cost per request is at",
      "most USD. Prints the achieved point on the tuning split and on the held-out split."
    },
    mixinStandardHelpOptions = true)
public final class TuneCommand implements Callable<Integer> {

  @Spec CommandSpec spec;

  @Option(names = "--dataset", required = true, paramLabel = "FILE",
      description = "Routing dataset (Parquet); repeat to tune on several as one (e.g. the ones the classifier was trained on).")
  List<Path> datasets;

  @Option(names = "--classifier", required = true, paramLabel = "DIR", description = "Classifier model directory.")
  Path classifier;

  @Option(names = "--target", required = true, paramLabel = "quality=F|cost=USD", description = "What to tune for.")
  String target;

  @Option(names = "--split", defaultValue = "validation", description = "Split to tune on (default ${DEFAULT-VALUE}).")
  String split;

  @Option(names = "--test-split", defaultValue = "test", description = "Held-out split to report (default ${DEFAULT-VALUE}).")
  String testSplit;

  @Option(names = "--candidates", split = ",", paramLabel = "MODEL", description = "Candidate models (default: the classifier's).")
  List<String> candidates;

  @Option(names = "--cache-dir", defaultValue = ".cache/switchboard", paramLabel = "DIR", description = "Where classifier scores are cached (default ${DEFAULT-VALUE}).")
  Path cacheDir;

  @Option(names = "--out", required = true, paramLabel = "FILE", description = "Policy file to write, e.g. policies/NAME.yaml.")
  Path out;

  /** How many thresholds to fit. */
  enum Thresholds { auto, shared, per_candidate }

  @Option(names = "--thresholds", defaultValue = "auto", paramLabel = "MODE",
      description = "shared (one threshold for every candidate), per_candidate, or auto: per_candidate when the tuning split"
          + " has at least " + Tuner.PER_CANDIDATE_MIN_PROMPTS + " prompts, else shared (default ${DEFAULT-VALUE}).")
  Thresholds thresholds;

  private String datasetName() {
    return String.join(",", datasets.stream().map(Path::toString).toList());
  }

  @Override
  public Integer call() {
    PrintWriter o = spec.commandLine().getOut();
    PrintWriter err = spec.commandLine().getErr();
    try {
      Policy.Target tgt = parseTarget(target);
      InputPaths.modelDir("--classifier", classifier);
      try (EvalInputs in = EvalInputs.open(datasets, classifier, cacheDir)) {
        List<String> wanted = candidates == null || candidates.isEmpty() ? in.scorer.candidates() : candidates;
        EvalTable t = EvalTable.build(in.rows, datasetName(), split, wanted);
        Scored.candidateMap(t.candidates, in.scorer);
        Scored s = in.score(t, err);
        boolean shared = thresholds == Thresholds.shared
            || (thresholds == Thresholds.auto && t.size() < Tuner.PER_CANDIDATE_MIN_PROMPTS);
        if (thresholds == Thresholds.auto) {
          err.println("thresholds: " + (shared ? "one shared threshold (" + t.size() + " tuning prompts < "
              + Tuner.PER_CANDIDATE_MIN_PROMPTS + ")" : "per candidate (" + t.size() + " tuning prompts)"));
        }
        Tuner.Result res = shared ? Tuner.tuneShared(t, s, tgt, in.scorer.sha256()) : Tuner.tune(t, s, tgt, in.scorer.sha256());
        double bestQ = t.meanQuality(t.bestModel());
        Policy.AchievedPoint val = point(t, res.point(), bestQ);

        List<Policy.Candidate> cands = new ArrayList<>();
        Map<String, double[]> cardPrices = in.scorer.prices();
        for (int c = 0; c < t.models(); c++) {
          double[] price = cardPrices.getOrDefault(t.candidates.get(c), t.fittedPrice(c));
          cands.add(new Policy.Candidate(t.candidates.get(c), price[0], price[1], round(res.thresholds()[c])));
        }
        Instant now = Instant.now().truncatedTo(ChronoUnit.SECONDS);
        Policy draft = new Policy("draft", Policy.Kind.QUALITY_THRESHOLD,
            new Policy.ClassifierRef(classifier.toString(), in.scorer.sha256()), cands, List.of(), tgt,
            new Policy.TunedOn(datasetName(), in.datasetSha256, split, t.splitRows), val, null, now.toString());

        Policy.AchievedPoint test = null;
        EvalTable tt = null;
        try {
          tt = EvalTable.build(in.rows, datasetName(), testSplit, t.candidates);
        } catch (EvalException e) {
          err.println("warning: no held-out point: " + e.getMessage());
        }
        if (tt != null) {
          Scored ts = in.score(tt, err);
          OperatingPoint tp = Policies.tuned(tt, ts, draft).points().get(0);
          test = point(tt, tp, tt.meanQuality(tt.bestModel()));
        }
        Policy body = new Policy("draft", draft.kind(), draft.classifier(), cands, List.of(), tgt, draft.tunedOn(), val,
            test, "");
        String version = DateTimeFormatter.ofPattern("yyyyMMdd'T'HHmmss'Z'").withZone(ZoneOffset.UTC).format(now)
            + "-" + sha256(PolicyFiles.toYaml(body)).substring(0, 8);
        Policy policy = new Policy(version, draft.kind(), draft.classifier(), cands, List.of(), tgt, draft.tunedOn(),
            val, test, now.toString());
        PolicyFiles.write(out, policy);

        if (!res.reached()) {
          err.println("warning: target " + tgt + " is not reachable on " + split + "; wrote the closest policy");
        }
        o.printf(Locale.ROOT, "tuned %s on %s (%d prompts), target %s%n", String.join(", ", t.candidates), split, t.size(), tgt);
        for (Policy.Candidate c : cands) {
          o.printf(Locale.ROOT, "  %-28s threshold %.4f%n", c.model(), c.threshold());
        }
        print(o, split, val);
        if (test != null) {
          print(o, testSplit, test);
        }
        o.println("wrote " + out + " (version " + version + ")");
        o.flush();
        return 0;
      }
    } catch (EvalException | PolicyFileException | ParquetFileException e) {
      return Exit.error(err, Exit.BAD_INPUT, e.getMessage());
    } catch (IOException e) {
      return Exit.error(err, Exit.FAILED, "cannot write " + out + ": " + e.getMessage());
    }
  }

  /** Parses {@code quality=0.95} or {@code cost=0.002}. */
  public static Policy.Target parseTarget(String s) {
    int eq = s.indexOf('=');
    String key = eq < 0 ? "" : s.substring(0, eq).trim();
    double v;
    try {
      v = Double.parseDouble(s.substring(eq + 1).trim());
    } catch (NumberFormatException | StringIndexOutOfBoundsException e) {
      throw new EvalException("--target must be quality=F or cost=USD, was '" + s + "'");
    }
    switch (key) {
      case "quality" -> {
        if (!(v > 0 && v <= 1)) {
          throw new EvalException("--target quality must be a fraction in (0, 1], was " + v);
        }
        return Policy.Target.quality(v);
      }
      case "cost" -> {
        if (!(v > 0)) {
          throw new EvalException("--target cost must be a positive USD amount per request, was " + v);
        }
        return Policy.Target.cost(v);
      }
      default -> throw new EvalException("--target must be quality=F or cost=USD, was '" + s + "'");
    }
  }

  static double round(double v) {
    return Math.round(v * 1e6) / 1e6;
  }

  static Policy.AchievedPoint point(EvalTable t, OperatingPoint p, double bestQ) {
    Map<String, Double> share = new LinkedHashMap<>();
    for (int c = 0; c < t.models(); c++) {
      share.put(t.candidates.get(c), p.callShare()[c]);
    }
    return new Policy.AchievedPoint(t.split, t.size(), p.meanQuality(), p.meanQuality() / bestQ, p.meanCost(), share);
  }

  private static void print(PrintWriter o, String split, Policy.AchievedPoint p) {
    StringBuilder sh = new StringBuilder();
    p.callShare().forEach((m, v) -> sh.append(String.format(Locale.ROOT, " %s %.1f%%", m, v * 100)));
    o.printf(Locale.ROOT, "%-10s quality %.4f (%.1f%% of best model), cost $%.6f/request; calls:%s%n", split,
        p.meanQuality(), p.qualityFraction() * 100, p.costPerRequestUsd(), sh);
  }

  static String sha256(String s) {
    return Hashing.sha256Hex(s);
  }
}
