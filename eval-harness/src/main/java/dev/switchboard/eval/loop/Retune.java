package dev.switchboard.eval.loop;

import dev.switchboard.dataset.RoutingDataset;
import dev.switchboard.classifier.base.Hashing;
import dev.switchboard.classifier.base.Jackson;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.switchboard.classifier.ModelDirectory;
import dev.switchboard.dataset.RoutingRow;
import dev.switchboard.dataset.importer.SplitAssigner;
import dev.switchboard.eval.run.OperatingPoint;
import dev.switchboard.eval.run.Policies;
import dev.switchboard.eval.run.EvalException;
import dev.switchboard.eval.run.EvalInputs;
import dev.switchboard.eval.run.EvalTable;
import dev.switchboard.eval.run.InputPaths;
import dev.switchboard.eval.run.Scored;
import dev.switchboard.eval.tune.Tuner;
import dev.switchboard.routing.Policy;
import dev.switchboard.routing.PolicyFiles;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
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

/**
 * Retunes the live policy's thresholds on replayed outcomes and compares the new policy with the
 * live one on the same traffic.
 *
 * <p>Splits: replayed traffic has no split fit for tuning (replay's own 80/10/10 leaves ~10% held
 * out, too few prompts for a few hundred requests), so prompts are re-split stably by prompt id with
 * {@link SplitAssigner} (seed 0): {@code holdout} of them (default 30%) are held out, the thresholds
 * are tuned on the rest. The comparison reports both parts and all prompts; only the held-out numbers
 * are free of tuning bias.
 *
 * <p>The classifier is the live policy's (same sha256), so the router accepts the new policy. With
 * {@link Retrain} ({@code --retrain}) a new classifier is first trained on the tuning part (see
 * there), written to {@code OUT/model/}, and the thresholds are tuned for it; live means the live
 * classifier with the live policy, new the new classifier with the new policy. A retrained pair is
 * kept ({@code policy.yaml}) only if it is not worse on both axes on the held-out prompts (the
 * verdict's rule); otherwise it goes to {@code policy.rejected.yaml} and is not published.
 */
public final class Retune {
  private Retune() {}

  public static final String TUNE = "tune";
  public static final String HELD_OUT = "held-out";
  public static final String ALL = "all";

  /**
   * @param outcomes {@code runs/ID/outcomes.parquet} from replay
   * @param livePolicy the policy the router serves now (its file)
   * @param classifierDir the live policy's classifier, or null to take {@code classifier.path} of the policy
   *     (relative paths resolved against the working directory, then {@code home})
   * @param holdout fraction of prompts held out of tuning, in [0, 0.9]
   * @param outDir where {@code policy.yaml}, {@code comparison.md} and {@code comparison.json} go
   */
  public record Options(Path outcomes, Path livePolicy, Path classifierDir, Policy.Target target, double holdout,
      Path outDir, Path cacheDir, Path home, Retrain.Options retrain) {

    /** Thresholds only, for the live classifier. */
    public Options(Path outcomes, Path livePolicy, Path classifierDir, Policy.Target target, double holdout, Path outDir, Path cacheDir,
        Path home) {
      this(outcomes, livePolicy, classifierDir, target, holdout, outDir, cacheDir, home, null);
    }
  }

  /** A policy's result on one part of the replayed traffic. */
  public record Point(int prompts, double meanQuality, double qualityFraction, double costPerRequestUsd,
      Map<String, Double> callShare) {}

  /** Live vs new on one part; {@code bestSingle} is the best single model's mean quality there. */
  public record Part(String name, Point live, Point tuned, String bestSingleModel, double bestSingleQuality) {}

  /**
   * @param retrained the new classifier, or null without {@code --retrain}
   * @param kept false when a retrained pair was rejected ({@link #rejection}): {@code policyFile} is then
   *     {@code policy.rejected.yaml} and must not be published
   * @param rejection why a retrained pair was not kept, or null
   */
  public record Result(Policy live, Policy tuned, boolean reached, List<Part> parts, Path policyFile, Path comparisonMd,
      Path comparisonJson, String verdict, Retrain.Trained retrained, boolean kept, String rejection) {

    public Part part(String name) {
      return parts.stream().filter(p -> p.name().equals(name)).findFirst().orElse(null);
    }
  }

  public static Result run(Options o, PrintWriter err) {
    if (!(o.holdout() >= 0 && o.holdout() <= 0.9)) {
      throw new EvalException("--holdout must be in [0, 0.9], was " + o.holdout());
    }
    Policy live = InputPaths.policy("--live-policy", o.livePolicy());
    if (live.kind() != Policy.Kind.QUALITY_THRESHOLD) {
      throw new EvalException("the live policy " + o.livePolicy() + " is " + live.kind().yamlName()
          + "; retune handles quality-threshold policies");
    }
    if (o.classifierDir() != null) {
      InputPaths.modelDir("--classifier", o.classifierDir());
    }
    Path classifier = o.classifierDir() != null ? o.classifierDir() : classifierOf(live, o.livePolicy(), o.home());
    List<String> candidates = live.candidates().stream().map(Policy.Candidate::model).toList();
    if (o.retrain() != null && !(o.holdout() > 0)) {
      throw new EvalException("--retrain needs --holdout > 0: the new classifier is judged on prompts it was not trained on");
    }
    EvalInputs retrainedIn = null;
    try (EvalInputs in = EvalInputs.open(o.outcomes(), classifier, o.cacheDir())) {
      if (live.classifier() != null && live.classifier().sha256() != null
          && !live.classifier().sha256().equals(in.scorer.sha256())) {
        throw new EvalException("classifier " + classifier + " has sha256 " + in.scorer.sha256()
            + " but the live policy was tuned for " + live.classifier().sha256()
            + "; the router would reject a policy for a different classifier");
      }
      List<RoutingRow> tuneRows = new ArrayList<>();
      List<RoutingRow> heldRows = new ArrayList<>();
      List<RoutingRow> allRows = new ArrayList<>();
      for (RoutingRow r : in.rows) {
        boolean held = SplitAssigner.assign(0, r.promptId(), o.holdout(), 0).equals(RoutingDataset.TEST);
        (held ? heldRows : tuneRows).add(relabel(r, held ? HELD_OUT : TUNE));
        allRows.add(relabel(r, ALL));
      }
      String name = o.outcomes().toString();
      if (tuneRows.isEmpty()) {
        throw new EvalException(name + " has no prompts left to tune on (" + in.rows.size() + " rows, holdout " + o.holdout() + ")");
      }
      Retrain.Trained trained = null;
      EvalInputs newIn = in;
      if (o.retrain() != null) {
        java.util.Set<String> held = new java.util.HashSet<>();
        heldRows.forEach(r -> held.add(r.promptId()));
        trained = Retrain.train(o.retrain(), in.rows, held, candidates, classifier, o.home(), o.cacheDir(), o.outDir(), name, err);
        retrainedIn = EvalInputs.open(o.outcomes(), trained.modelDir(), o.cacheDir());
        newIn = retrainedIn;
      }
      EvalTable tune = EvalTable.build(tuneRows, name, TUNE, candidates);
      Scored tuneScores = newIn.score(tune, err);
      Tuner.Result res = Tuner.tune(tune, tuneScores, o.target(), newIn.scorer.sha256());

      List<Policy.Candidate> cands = new ArrayList<>();
      for (int c = 0; c < tune.models(); c++) {
        Policy.Candidate lc = live.candidates().get(live.indexOf(tune.candidates.get(c)));
        cands.add(new Policy.Candidate(lc.model(), lc.inputPricePerMtok(), lc.outputPricePerMtok(),
            Math.round(res.thresholds()[c] * 1e6) / 1e6));
      }
      Instant now = Instant.now().truncatedTo(ChronoUnit.SECONDS);
      Policy.ClassifierRef ref = trained != null
          ? new Policy.ClassifierRef(trained.modelDir().toAbsolutePath().normalize().toString(), trained.sha256())
          : new Policy.ClassifierRef(live.classifier() != null ? live.classifier().path() : classifier.toString(), in.scorer.sha256());
      Policy.TunedOn tunedOn = new Policy.TunedOn(name, in.datasetSha256, TUNE + " (" + pct(1 - o.holdout()) + " of replayed prompts by id hash)",
          tuneRows.size());
      Policy draft = new Policy("draft", Policy.Kind.QUALITY_THRESHOLD, ref, cands, List.of(), o.target(), tunedOn, null, null, "");

      List<Part> parts = new ArrayList<>();
      Map<String, Policy.AchievedPoint> achieved = new LinkedHashMap<>();
      for (String part : List.of(TUNE, HELD_OUT, ALL)) {
        List<RoutingRow> rows = part.equals(TUNE) ? tuneRows : part.equals(HELD_OUT) ? heldRows : allRows;
        if (rows.isEmpty()) {
          continue;
        }
        EvalTable t;
        try {
          t = EvalTable.build(rows, name, part, candidates);
        } catch (EvalException e) {
          err.println("warning: no " + part + " comparison: " + e.getMessage());
          continue;
        }
        Scored s = part.equals(TUNE) ? tuneScores : newIn.score(t, err);
        Scored liveScores = newIn == in ? s : in.score(t, err);
        int best = t.bestModel();
        Point lp = point(t, Policies.tuned(t, liveScores, live).points().get(0), t.meanQuality(best));
        Point np = point(t, Policies.tuned(t, s, draft).points().get(0), t.meanQuality(best));
        parts.add(new Part(part, lp, np, t.candidates.get(best), t.meanQuality(best)));
        achieved.put(part, new Policy.AchievedPoint(part, np.prompts(), np.meanQuality(), np.qualityFraction(),
            np.costPerRequestUsd(), np.callShare()));
      }
      Policy body = new Policy("draft", draft.kind(), ref, cands, List.of(), o.target(), tunedOn, achieved.get(TUNE),
          achieved.get(HELD_OUT), "");
      String version = DateTimeFormatter.ofPattern("yyyyMMdd'T'HHmmss'Z'").withZone(ZoneOffset.UTC).format(now)
          + "-" + sha256(PolicyFiles.toYaml(body)).substring(0, 8);
      Policy tuned = new Policy(version, draft.kind(), ref, cands, List.of(), o.target(), tunedOn, achieved.get(TUNE),
          achieved.get(HELD_OUT), now.toString());

      Files.createDirectories(o.outDir());
      Part headline = parts.stream().filter(p -> p.name().equals(HELD_OUT)).findFirst().orElse(parts.get(parts.size() - 1));
      String verdict = verdict(headline);
      String rejection = trained == null ? null : rejection(headline, o.target());
      boolean kept = rejection == null;
      Path policyFile = o.outDir().resolve(kept ? "policy.yaml" : "policy.rejected.yaml");
      Files.deleteIfExists(o.outDir().resolve(kept ? "policy.rejected.yaml" : "policy.yaml"));
      PolicyFiles.write(policyFile, tuned);
      Path md = o.outDir().resolve("comparison.md");
      Path json = o.outDir().resolve("comparison.json");
      Result r = new Result(live, tuned, res.reached(), List.copyOf(parts), policyFile, md, json, verdict, trained, kept, rejection);
      Files.writeString(md, markdown(r, o), StandardCharsets.UTF_8);
      Files.writeString(json, json(r, o), StandardCharsets.UTF_8);
      return r;
    } catch (IOException e) {
      throw new EvalException("cannot write the retune outputs in " + o.outDir() + ": " + e.getMessage());
    } finally {
      if (retrainedIn != null) {
        retrainedIn.close();
      }
    }
  }

  /** The live policy's classifier directory: as written, relative to the working directory, else to home. */
  public static Path classifierOf(Policy live, Path policyFile, Path home) {
    if (live.classifier() == null || live.classifier().path() == null || live.classifier().path().isBlank()) {
      throw new EvalException("the live policy " + policyFile + " names no classifier; pass --classifier DIR");
    }
    Path p = Path.of(live.classifier().path());
    Path dir = p.isAbsolute() || Files.isDirectory(p) || home == null ? p : home.resolve(p);
    String problem = ModelDirectory.problem(dir);
    if (problem != null) {
      throw new EvalException("the policy " + policyFile + " names classifier.path " + live.classifier().path() + ", but " + problem);
    }
    return dir;
  }

  private static RoutingRow relabel(RoutingRow r, String split) {
    return new RoutingRow(r.promptId(), r.prompt(), r.messagesJson(), r.category(), split, r.model(), r.quality(),
        r.inputTokens(), r.outputTokens(), r.costUsd(), r.source());
  }

  private static Point point(EvalTable t, OperatingPoint p, double bestQ) {
    Map<String, Double> share = new LinkedHashMap<>();
    for (int c = 0; c < t.models(); c++) {
      share.put(t.candidates.get(c), p.callShare()[c]);
    }
    return new Point(t.size(), p.meanQuality(), bestQ > 0 ? p.meanQuality() / bestQ : Double.NaN, p.meanCost(), share);
  }

  /**
   * Why a retrained pair must not replace the live one on the headline (held-out) part, or null: the
   * verdict's "worse on both axes", or giving up the target that a trade-off should respect (a
   * quality target: held-out quality fraction below both the target and the live pair's; a cost
   * target: cost per request above both the target and the live pair's). A retune of thresholds
   * alone keeps its old behaviour (written, the verdict advises); a new classifier is a bigger step,
   * and one that tunes to a cheap corner on the few prompts it was trained on must not go live.
   */
  static String rejection(Part p, Policy.Target target) {
    if (worse(p)) {
      return "it is worse on both axes on the " + p.name() + " prompts";
    }
    if (target.quality() != null && p.tuned().qualityFraction() < Math.min(target.quality(), p.live().qualityFraction())) {
      return String.format(Locale.ROOT, "it keeps %.1f%% of the best model's quality on the %s prompts, below the target %.1f%% (live: %.1f%%)",
          100 * p.tuned().qualityFraction(), p.name(), 100 * target.quality(), 100 * p.live().qualityFraction());
    }
    if (target.costUsd() != null && p.tuned().costPerRequestUsd() > Math.max(target.costUsd(), p.live().costPerRequestUsd())) {
      return String.format(Locale.ROOT, "it costs $%.6f per request on the %s prompts, above the target $%.6f (live: $%.6f)",
          p.tuned().costPerRequestUsd(), p.name(), target.costUsd(), p.live().costPerRequestUsd());
    }
    return null;
  }

  /** Not better on either axis and worse on one: the verdict's "do not publish it". */
  static boolean worse(Part p) {
    double dc = p.tuned().costPerRequestUsd() - p.live().costPerRequestUsd();
    double dq = p.tuned().meanQuality() - p.live().meanQuality();
    return !(dc <= 0 && dq >= 0) && !(dc < 0) && !(dq > 0);
  }

  /** One honest sentence: cheaper or dearer, better or worse, on the headline part. */
  static String verdict(Part p) {
    double dc = p.tuned().costPerRequestUsd() - p.live().costPerRequestUsd();
    double dq = p.tuned().meanQuality() - p.live().meanQuality();
    String cost = String.format(Locale.ROOT, "%s%.1f%% cost per request", dc <= 0 ? "" : "+",
        p.live().costPerRequestUsd() > 0 ? 100 * dc / p.live().costPerRequestUsd() : 0.0);
    String q = String.format(Locale.ROOT, "%+.4f mean quality", dq);
    String judgement;
    if (dc <= 0 && dq >= 0) {
      judgement = "the new policy is no worse on either axis";
    } else if (dc < 0) {
      judgement = "the new policy trades quality for cost";
    } else if (dq > 0) {
      judgement = "the new policy buys quality with cost";
    } else {
      judgement = "the new policy is WORSE on both axes; do not publish it";
    }
    return "on " + p.name() + " prompts (" + p.tuned().prompts() + "): " + cost + ", " + q + " vs live; " + judgement + ".";
  }

  static String markdown(Result r, Options o) {
    StringBuilder b = new StringBuilder();
    b.append("# Retune: live ").append(r.live().version()).append(" vs new ").append(r.tuned().version()).append("\n\n");
    b.append("Outcomes: `").append(o.outcomes()).append("`; target ").append(o.target()).append(r.reached() ? "" : " (NOT reached on the tuning part)")
        .append("; classifier sha256 ").append(r.tuned().classifier().sha256(), 0, 12).append("…\n");
    b.append("Tuned on ").append(pct(1 - o.holdout())).append(" of the replayed prompts (stable hash of the prompt id); ")
        .append(pct(o.holdout())).append(" held out. Only the held-out rows are free of tuning bias.\n");
    Retrain.Trained t = r.retrained();
    if (t != null) {
      b.append(String.format(Locale.ROOT, "Retrained classifier `%s` (sha256 %s…): trained on %d replayed prompts%s, never on the %d held-out"
              + " ones (its test split: routing score %.3f). New = retrained classifier + new thresholds; live = live classifier + live policy.%n",
          t.modelDir(), t.sha256().substring(0, 12), t.outcomePrompts(), t.baseDatasets().isEmpty() ? "" : " + " + t.basePrompts() + " prompts of `"
              + t.baseDatasetList() + "`", t.heldOutPrompts(), t.heldOutScore()));
      b.append(r.kept() ? "Kept: " + r.policyFile().getFileName() + " names the new classifier.\n"
          : "NOT kept: " + r.rejection() + "; the policy is in " + r.policyFile().getFileName()
              + " for inspection and is not published.\n");
    }
    b.append('\n');
    b.append("| part | prompts | policy | mean quality | % of best model | cost / request | call shares |\n");
    b.append("|---|---:|---|---:|---:|---:|---|\n");
    for (Part p : r.parts()) {
      row(b, p, "live " + r.live().version(), p.live());
      row(b, p, "new " + r.tuned().version(), p.tuned());
    }
    b.append("\nVerdict: ").append(r.verdict()).append('\n');
    return b.toString();
  }

  private static void row(StringBuilder b, Part p, String label, Point x) {
    b.append(String.format(Locale.ROOT, "| %s | %d | %s | %.4f | %.1f%% | $%.6f | %s |%n", p.name(), x.prompts(), label,
        x.meanQuality(), 100 * x.qualityFraction(), x.costPerRequestUsd(), shares(x.callShare())));
  }

  static String shares(Map<String, Double> share) {
    StringBuilder b = new StringBuilder();
    share.forEach((m, v) -> {
      if (v > 0) {
        b.append(b.length() == 0 ? "" : ", ").append(String.format(Locale.ROOT, "%s %.0f%%", m, 100 * v));
      }
    });
    return b.toString();
  }

  static String json(Result r, Options o) throws IOException {
    ObjectMapper m = Jackson.PRETTY;
    ObjectNode root = m.createObjectNode();
    root.put("outcomes", o.outcomes().toString());
    root.put("target", o.target().toString());
    root.put("target_reached", r.reached());
    root.put("holdout_fraction", o.holdout());
    root.put("live_version", r.live().version());
    root.put("new_version", r.tuned().version());
    root.put("classifier_sha256", r.tuned().classifier().sha256());
    root.put("kept", r.kept());
    if (r.rejection() == null) root.putNull("rejection"); else root.put("rejection", r.rejection());
    Retrain.Trained t = r.retrained();
    if (t != null) {
      ObjectNode rt = root.putObject("retrained");
      rt.put("model_dir", t.modelDir().toString());
      rt.put("sha256", t.sha256());
      rt.put("train_rows", t.trainRows().toString());
      if (t.baseDatasets().isEmpty()) rt.putNull("base_dataset"); else rt.put("base_dataset", t.baseDatasetList());
      rt.put("replayed_prompts_trained_on", t.outcomePrompts());
      rt.put("base_prompts_trained_on", t.basePrompts());
      rt.put("held_out_prompts", t.heldOutPrompts());
      rt.put("held_out_score", t.heldOutScore());
    }
    ObjectNode parts = root.putObject("parts");
    for (Part p : r.parts()) {
      ObjectNode n = parts.putObject(p.name());
      n.put("best_single_model", p.bestSingleModel());
      n.put("best_single_quality", p.bestSingleQuality());
      n.set("live", m.valueToTree(p.live()));
      n.set("new", m.valueToTree(p.tuned()));
    }
    root.put("verdict", r.verdict());
    return m.writeValueAsString(root);
  }

  static String pct(double f) {
    return String.format(Locale.ROOT, "%.0f%%", 100 * f);
  }

  static String sha256(String s) {
    return Hashing.sha256Hex(s);
  }
}
