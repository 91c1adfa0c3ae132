package dev.switchboard.eval.loop;

import com.fasterxml.jackson.databind.JsonNode;
import dev.switchboard.classifier.ClassifierCard;
import dev.switchboard.classifier.ClassifierException;
import dev.switchboard.classifier.encoder.EncoderVariant;
import dev.switchboard.classifier.learn.RouterTrainer;
import dev.switchboard.classifier.train.TrainPipeline;
import dev.switchboard.classifier.train.TrainRequest;
import dev.switchboard.dataset.ModelPrices;
import dev.switchboard.dataset.RoutingDatasets;
import dev.switchboard.dataset.RoutingRow;
import dev.switchboard.dataset.importer.SplitAssigner;
import dev.switchboard.dataset.parquet.ParquetFiles.ParquetFileException;
import dev.switchboard.eval.run.EvalException;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * Trains a new classifier on replayed outcomes for {@code retune --retrain}, through the same
 * pipeline as {@code switchboard train} (seed, early stopping on validation, embedding cache, ONNX
 * export checked against the Java forward pass).
 *
 * <p>Split discipline: the prompts Retune holds out (stable hash, seed 0) are the new model's
 * {@code test} split and are never trained on; of the rest, 20% (hash with seed 1) are its
 * validation split (early stopping) and 80% its train split. Rows of a base dataset
 * ({@code --train-with}) join with their own train/validation labels; its test rows and any row
 * whose prompt text is a held-out replayed prompt are left out, so the held-out comparison stays
 * unseen by both models' training as far as this run can tell.
 *
 * <p>Everything else comes from the live classifier's card: candidates (the live policy's),
 * quality threshold, difficulty label rule, encoder and head hyperparameters.
 */
public final class Retrain {
  private Retrain() {}

  /** Validation share of the non-held-out replayed prompts. */
  static final double VALIDATION = 0.2;
  /** {@code --train-with none}: train on the replayed outcomes only. */
  public static final String NONE = "none";

  /**
   * @param trainWith base dataset path, {@link #NONE}, or null for the default: the dataset the live
   *     classifier was trained on (its card's {@code dataset.path}), when it can be found
   * @param seed training seed
   */
  public record Options(String trainWith, long seed) {}

  /** What was trained. */
  public record Trained(Path modelDir, String sha256, Path trainRows, Path baseDataset, int outcomePrompts, int basePrompts,
      int heldOutPrompts, double heldOutScore) {}

  static Trained train(Options opt, List<RoutingRow> outcomes, Set<String> heldOut, List<String> candidates, Path liveClassifier,
      Path home, Path cacheDir, Path outDir, String outcomesName, PrintWriter err) {
    ClassifierCard card;
    try {
      card = ClassifierCard.read(liveClassifier);
    } catch (ClassifierException e) {
      throw new EvalException(e.getMessage());
    }
    Path base = baseDataset(opt.trainWith(), card, liveClassifier, home, err);
    List<RoutingRow> rows = new ArrayList<>();
    Set<String> heldTexts = new HashSet<>();
    Set<String> outcomeTrain = new HashSet<>();
    for (RoutingRow r : outcomes) {
      boolean held = heldOut.contains(r.promptId());
      String split = held ? RoutingDatasets.TEST : SplitAssigner.assign(1, r.promptId(), 0, VALIDATION);
      if (held && r.prompt() != null) heldTexts.add(r.prompt());
      if (!held) outcomeTrain.add(r.promptId());
      rows.add(withSplit(r, "replay:" + r.promptId(), split));
    }
    Set<String> basePrompts = new HashSet<>();
    if (base != null) {
      List<RoutingRow> baseRows;
      try {
        baseRows = RoutingDatasets.read(base);
      } catch (ParquetFileException e) {
        throw new EvalException(e.getMessage());
      }
      Set<String> wanted = new HashSet<>(candidates);
      for (RoutingRow r : baseRows) {
        String split = r.split() == null ? "" : r.split();
        if (!wanted.contains(r.model()) || !(split.equals(RoutingDatasets.TRAIN) || split.equals(RoutingDatasets.VALIDATION))) continue;
        if (r.prompt() != null && heldTexts.contains(r.prompt())) continue;
        basePrompts.add(r.promptId());
        rows.add(withSplit(r, "base:" + r.promptId(), split));
      }
    }
    Path modelDir = outDir.resolve("model");
    Path trainFile = outDir.resolve("train.parquet");
    try {
      Files.createDirectories(outDir);
      RoutingDatasets.write(trainFile, rows);
      RouterTrainer.Options options = RouterTrainer.Options.defaults(opt.seed());
      Path priceFile = home == null ? null : home.resolve("datasets").resolve("models.json");
      ModelPrices prices = priceFile != null && Files.isRegularFile(priceFile) ? ModelPrices.load(priceFile) : null;
      err.println("retraining on " + outcomeTrain.size() + " replayed prompts" + (base != null ? " + " + basePrompts.size()
          + " prompts of " + base : "") + "; " + heldOut.size() + " held-out prompts are its test split");
      TrainRequest req = new TrainRequest(List.of(trainFile), rows, candidates, card.threshold(), card.encoderId(), options,
          cacheDir, prices, modelDir, "retrained on replayed outcomes " + outcomesName + (base != null ? " + train/validation rows of " + base : "")
          + "; candidates, threshold and encoder of the live classifier " + liveClassifier,
          card.json().path("labels").path("semantics").asText(null), null);
      TrainPipeline.Result r = TrainPipeline.run(req, line -> {
        if (!line.startsWith("epoch ")) err.println("  train: " + line);
      });
      err.flush();
      String sha = r.card().path("onnx").path("sha256").asText();
      return new Trained(modelDir, sha, trainFile, base, outcomeTrain.size(), basePrompts.size(), heldOut.size(), r.testScore());
    } catch (ClassifierException | IllegalArgumentException e) {
      throw new EvalException("retraining failed: " + e.getMessage());
    } catch (UncheckedIOException e) {
      throw new EvalException("retraining failed: " + e.getMessage() + (e.getCause() != null ? ": " + e.getCause().getMessage() : ""));
    } catch (java.io.IOException e) {
      throw new EvalException("cannot write " + outDir + ": " + e.getMessage());
    }
  }

  /** The base dataset: as given, {@code none}, or by default the live classifier's own training data when present. */
  static Path baseDataset(String trainWith, ClassifierCard card, Path liveClassifier, Path home, PrintWriter err) {
    if (trainWith != null && trainWith.equals(NONE)) return null;
    if (trainWith != null) {
      Path p = Path.of(trainWith);
      if (!Files.isRegularFile(p)) throw new EvalException("--train-with: dataset " + p + " not found");
      return p;
    }
    String rel = card.json().path("dataset").path("path").asText(null);
    if (rel != null && rel.contains(",")) {
      err.println("warning: the live classifier was trained on several datasets (" + rel + "); retraining adds the first");
      rel = rel.substring(0, rel.indexOf(','));
    }
    if (rel == null || rel.isBlank()) {
      err.println("warning: the live classifier's card names no training dataset; retraining on the replayed outcomes only");
      return null;
    }
    for (Path p : List.of(Path.of(rel), home == null ? Path.of(rel) : home.resolve(rel))) {
      if (Files.isRegularFile(p)) return p;
    }
    err.println("warning: the live classifier's training dataset " + rel + " is not here; retraining on the replayed outcomes only"
        + " (pass --train-with FILE to add one)");
    return null;
  }

  private static RoutingRow withSplit(RoutingRow r, String promptId, String split) {
    return new RoutingRow(promptId, r.prompt(), r.messagesJson(), r.category(), split, r.model(), r.quality(), r.inputTokens(),
        r.outputTokens(), r.costUsd(), r.source());
  }
}
