package dev.switchboard.eval.loop;

import dev.switchboard.dataset.RoutingDataset;
import dev.switchboard.classifier.ClassifierCard;
import dev.switchboard.classifier.base.ClassifierException;
import dev.switchboard.classifier.learn.RouterTrainer;
import dev.switchboard.classifier.train.TrainPipeline;
import dev.switchboard.classifier.train.TrainRequest;
import dev.switchboard.dataset.ModelPrices;
import dev.switchboard.dataset.parquet.RoutingDatasets;
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
 * validation split (early stopping) and 80% its train split. Rows of the base datasets
 * ({@code --train-with}; by default every dataset the live card names, all models' rows, so an IRT
 * head keeps the non-candidate models it learned difficulty from) join with their own
 * train/validation labels; their test rows and any row
 * whose prompt text is a held-out replayed prompt are left out, so the held-out comparison stays
 * unseen by both models' training as far as this run can tell.
 *
 * <p>Everything else comes from the live classifier's card: candidates (the live policy's),
 * quality threshold, difficulty label rule, encoder and head hyperparameters, and whether it used
 * categories (a card with none was trained with {@code --no-categories}; so is the new model).
 */
public final class Retrain {
  private Retrain() {}

  /** Validation share of the non-held-out replayed prompts. */
  static final double VALIDATION = 0.2;
  /** {@code --train-with none}: train on the replayed outcomes only. */
  public static final String NONE = "none";

  /**
   * @param trainWith base dataset paths (comma-separated), {@link #NONE}, or null for the default: the
   *     datasets the live classifier was trained on (its card's {@code dataset.path}), those found
   * @param seed training seed
   */
  public record Options(String trainWith, long seed) {}

  /**
   * What was trained.
   *
   * @param baseDatasets the datasets whose train/validation rows were added (empty: none)
   * @param basePrompts prompts of those rows answered by a candidate
   */
  public record Trained(Path modelDir, String sha256, Path trainRows, List<Path> baseDatasets, int outcomePrompts, int basePrompts,
      int heldOutPrompts, double heldOutScore) {
    public Trained {
      baseDatasets = List.copyOf(baseDatasets);
    }

    /** The base datasets as the card writes them: comma-separated paths, or null for none. */
    public String baseDatasetList() {
      return baseDatasets.isEmpty() ? null : baseDatasets.stream().map(Path::toString).collect(java.util.stream.Collectors.joining(","));
    }
  }

  static Trained train(Options opt, List<RoutingRow> outcomes, Set<String> heldOut, List<String> candidates, Path liveClassifier,
      Path home, Path cacheDir, Path outDir, String outcomesName, PrintWriter err) {
    ClassifierCard card;
    try {
      card = ClassifierCard.read(liveClassifier);
    } catch (ClassifierException e) {
      throw new EvalException(e.getMessage());
    }
    List<Path> bases = baseDatasets(opt.trainWith(), card, home, err);
    // Trained without categories (train --no-categories: its card lists none): so is the new one, or
    // the categories of the replayed traffic and the base rows would stand in for the prompt text.
    boolean categories = card.json().path("features").path("categories").size() > 0;
    List<RoutingRow> rows = new ArrayList<>();
    Set<String> heldTexts = new HashSet<>();
    Set<String> outcomeTrain = new HashSet<>();
    // In prompt order, not log order: concurrent clients log in a different order every run, and
    // training (mini-batches, early stopping) must see the same rows in the same order to be
    // reproducible from its seed.
    List<RoutingRow> sorted = new ArrayList<>(outcomes);
    sorted.sort(java.util.Comparator.comparing(RoutingRow::promptId).thenComparing(RoutingRow::model));
    for (RoutingRow r : sorted) {
      boolean held = heldOut.contains(r.promptId());
      String split = held ? RoutingDataset.TEST : SplitAssigner.assign(1, r.promptId(), 0, VALIDATION);
      if (held && r.prompt() != null) heldTexts.add(r.prompt());
      if (!held) outcomeTrain.add(r.promptId());
      rows.add(withSplit(r, "replay:" + r.promptId(), split, categories));
    }
    Set<String> basePrompts = new HashSet<>();
    Set<String> wanted = new HashSet<>(candidates);
    for (Path base : bases) {
      List<RoutingRow> baseRows;
      try {
        baseRows = RoutingDatasets.read(base);
      } catch (ParquetFileException e) {
        throw new EvalException(e.getMessage());
      }
      for (RoutingRow r : baseRows) {
        String split = r.split() == null ? "" : r.split();
        if (!(split.equals(RoutingDataset.TRAIN) || split.equals(RoutingDataset.VALIDATION))) continue;
        if (r.prompt() != null && heldTexts.contains(r.prompt())) continue;
        // Every model's rows, as train had them: the IRT head learns prompt difficulty from models
        // that are not candidates too (the default's RouterDC rows).
        if (wanted.contains(r.model())) basePrompts.add(base + "\n" + r.promptId());
        rows.add(withSplit(r, "base:" + base.getFileName() + ":" + r.promptId(), split, categories));
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
      String baseList = bases.stream().map(Path::toString).collect(java.util.stream.Collectors.joining(", "));
      err.println("retraining on " + outcomeTrain.size() + " replayed prompts" + (bases.isEmpty() ? "" : " + " + basePrompts.size()
          + " prompts of " + baseList) + "; " + heldOut.size() + " held-out prompts are its test split");
      TrainRequest req = new TrainRequest(List.of(trainFile), rows, candidates, card.threshold(), card.encoderId(), options,
          cacheDir, prices, modelDir, "retrained on replayed outcomes " + outcomesName + (bases.isEmpty() ? "" : " + train/validation rows of " + baseList)
          + "; candidates, threshold and encoder of the live classifier " + liveClassifier,
          card.json().path("labels").path("semantics").asText(null), null);
      TrainPipeline.Result r = TrainPipeline.run(req, line -> {
        if (!line.startsWith("epoch ")) err.println("  train: " + line);
      });
      err.flush();
      String sha = r.card().path("onnx").path("sha256").asText();
      return new Trained(modelDir, sha, trainFile, bases, outcomeTrain.size(), basePrompts.size(), heldOut.size(), r.testScore());
    } catch (ClassifierException | IllegalArgumentException e) {
      throw new EvalException("retraining failed: " + e.getMessage());
    } catch (UncheckedIOException e) {
      throw new EvalException("retraining failed: " + e.getMessage() + (e.getCause() != null ? ": " + e.getCause().getMessage() : ""));
    } catch (java.io.IOException e) {
      throw new EvalException("cannot write " + outDir + ": " + e.getMessage());
    }
  }

  /**
   * The base datasets: as given (comma-separated), none, or by default the live classifier's own
   * training data (every dataset its card names) that is here.
   */
  static List<Path> baseDatasets(String trainWith, ClassifierCard card, Path home, PrintWriter err) {
    if (trainWith != null && trainWith.equals(NONE)) return List.of();
    if (trainWith != null) {
      List<Path> given = new ArrayList<>();
      for (String part : trainWith.split(",")) {
        Path p = Path.of(part.trim());
        if (!Files.isRegularFile(p)) throw new EvalException("--train-with: dataset " + p + " not found");
        given.add(p);
      }
      return given;
    }
    String rel = card.json().path("dataset").path("path").asText("");
    if (rel.isBlank()) {
      err.println("warning: the live classifier's card names no training dataset; retraining on the replayed outcomes only");
      return List.of();
    }
    List<Path> found = new ArrayList<>();
    for (String one : rel.split(",")) {
      Path here = home == null ? Path.of(one) : home.resolve(one);
      Path p = Files.isRegularFile(Path.of(one)) ? Path.of(one) : here;
      if (Files.isRegularFile(p)) {
        found.add(p);
      } else {
        err.println("warning: the live classifier's training dataset " + one + " is not here; retraining without it"
            + " (pass --train-with FILE,... to choose the base rows)");
      }
    }
    return found;
  }

  private static RoutingRow withSplit(RoutingRow r, String promptId, String split, boolean categories) {
    return new RoutingRow(promptId, r.prompt(), r.messagesJson(), categories ? r.category() : null, split, r.model(), r.quality(), r.inputTokens(),
        r.outputTokens(), r.costUsd(), r.source());
  }
}
