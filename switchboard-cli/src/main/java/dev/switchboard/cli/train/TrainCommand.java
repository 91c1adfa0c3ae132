package dev.switchboard.cli.train;

import dev.switchboard.classifier.base.ClassifierException;
import dev.switchboard.classifier.encoder.Encoders;
import dev.switchboard.classifier.heads.TrainConfig;
import dev.switchboard.classifier.learn.Family;
import dev.switchboard.classifier.learn.RouterTrainer;
import dev.switchboard.classifier.train.TrainPipeline;
import dev.switchboard.classifier.train.TrainRequest;
import dev.switchboard.dataset.ModelPrices;
import dev.switchboard.dataset.RoutingRow;
import dev.switchboard.dataset.parquet.RoutingDatasets;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code switchboard train}: fits the router's model family on a routing dataset, picks the best by
 * cross-validation and writes {@code classifier.onnx} + {@code card.json} into {@code --out}.
 */
@Command(
    name = "train",
    header = "Train the router (model family chosen by cross-validation) on a routing dataset.",
    description = {
        "Fits a per-category prior, k-nearest neighbours, logistic regression, the MLP heads, an IRT head and a stack of",
        "them on the train split, scores each by 5-fold cross-validation (and on the held-out validation split), and",
        "writes the best as OUT/classifier.onnx with OUT/card.json (every candidate's scores, the choice, prices,",
        "abilities, test metrics). The static encoder is distilled on first use (./switchboard distill)."},
    mixinStandardHelpOptions = true)
public final class TrainCommand implements Callable<Integer> {

  static final int OK = 0;
  static final int FAILURE = 1;
  static final int BAD_INPUT = 2;

  @Spec CommandSpec spec;

  @Option(names = "--dataset", required = true, paramLabel = "FILE",
      description = "Routing dataset (Parquet); repeat to train on several (their prompts must not overlap).")
  List<Path> datasets;

  @Option(names = "--candidates", split = ",", paramLabel = "MODEL",
      description = "Candidate models (any order; sorted cheapest first). Default: all models if at most 8.")
  List<String> candidates;

  @Option(names = "--threshold", defaultValue = "0.5", description = "Quality at which an answer counts as adequate, in [0,1] (default ${DEFAULT-VALUE}).")
  double threshold;

  @Option(names = "--encoder", defaultValue = Encoders.DEFAULT, paramLabel = "ENCODER",
      description = "static (the distilled table, microseconds per prompt), minilm (the transformer), or an encoder id;"
          + " a comma-separated list trains with each and keeps the best, the first listed unless another is better by more"
          + " than one standard error (default ${DEFAULT-VALUE}).")
  String encoder;

  @Option(names = "--exclude-models", split = ",", paramLabel = "MODEL",
      description = "Leave these models' rows out entirely (e.g. to try routing a model the classifier never saw, with `switchboard ability`).")
  List<String> excludeModels;

  @Option(names = "--no-categories",
      description = "Ignore the datasets' category column: for categories live traffic will not carry (they would"
          + " otherwise absorb what the prompt text should teach).")
  boolean noCategories;

  @Option(names = "--families", split = ",", paramLabel = "FAMILY",
      description = "Model families to try: prior, knn, logreg, mlp, irt, stack (default: all).")
  List<String> families;

  @Option(names = "--folds", defaultValue = "5", description = "Cross-validation folds (default ${DEFAULT-VALUE}).")
  int folds;

  @Option(names = "--seed", defaultValue = "42", description = "Random seed (default ${DEFAULT-VALUE}).")
  long seed;

  @Option(names = "--epochs", defaultValue = "200", description = "MLP: maximum epochs, early stopping on held-out rows (default ${DEFAULT-VALUE}).")
  int epochs;

  @Option(names = "--hidden", defaultValue = "32", description = "MLP: hidden units (default ${DEFAULT-VALUE}).")
  int hidden;

  @Option(names = "--l2", defaultValue = "0.3", description = "MLP: L2 penalty on weights (default ${DEFAULT-VALUE}).")
  double l2;

  @Option(names = "--lr", defaultValue = "0.001", description = "MLP: Adam learning rate (default ${DEFAULT-VALUE}).")
  double learningRate;

  @Option(names = "--batch-size", defaultValue = "32", description = "MLP: mini-batch size (default ${DEFAULT-VALUE}).")
  int batchSize;

  @Option(names = "--patience", defaultValue = "25", description = "MLP: early-stopping patience in epochs (default ${DEFAULT-VALUE}).")
  int patience;

  @Option(names = "--cache-dir", paramLabel = "DIR", description = "MiniLM embedding cache directory (default: DATASET_DIR/.cache).")
  Path cacheDir;

  @Option(names = "--prices", paramLabel = "FILE", description = "Price file (default: DATASET_DIR/models.json when present).")
  Path prices;

  @Option(names = "--rationale", paramLabel = "TEXT", description = "Why these candidates; written to the card.")
  String rationale;

  @Option(names = "--semantics", paramLabel = "TEXT", description = "What the dataset's quality column means (judge, reference, scale); written to the card.")
  String semantics;

  @Option(names = "--out", required = true, paramLabel = "DIR", description = "Model directory to write, e.g. models/default.")
  Path out;

  @Override
  public Integer call() {
    PrintWriter o = spec.commandLine().getOut();
    PrintWriter err = spec.commandLine().getErr();
    for (Path d : datasets) {
      if (!Files.isRegularFile(d)) {
        err.println("error: dataset " + d + " not found");
        return BAD_INPUT;
      }
    }
    if (!(threshold >= 0 && threshold <= 1)) {
      err.println("error: --threshold must be in [0,1], got " + threshold);
      return BAD_INPUT;
    }
    if (folds < 2 || folds > 20) {
      err.println("error: --folds must be in [2, 20], got " + folds);
      return BAD_INPUT;
    }
    try {
      for (String e : encoder.split(",")) {
        Encoders.resolveId(e.trim());
      }
      List<Family> fams = new ArrayList<>();
      for (String f : families == null || families.isEmpty() ? java.util.Arrays.stream(Family.values()).map(Family::id).toList() : families) {
        try {
          fams.add(Family.fromId(f.trim()));
        } catch (IllegalArgumentException e) {
          err.println("error: --families: " + e.getMessage());
          return BAD_INPUT;
        }
      }
      TrainConfig mlp = new TrainConfig(hidden, l2, learningRate, batchSize, epochs, patience, seed, 1.0);
      RouterTrainer.Options opts = new RouterTrainer.Options(folds, seed, fams, mlp, 2);
      Path dir = datasets.get(0).toAbsolutePath().getParent();
      Path priceFile = prices != null ? prices : dir.resolve("models.json");
      ModelPrices priceTable = null;
      if (prices != null && !Files.isRegularFile(prices)) {
        err.println("error: price file " + prices + " not found");
        return BAD_INPUT;
      }
      if (Files.isRegularFile(priceFile)) {
        priceTable = ModelPrices.load(priceFile);
      }
      List<RoutingRow> rows = new ArrayList<>();
      for (Path d : datasets) {
        List<RoutingRow> r = RoutingDatasets.read(d);
        if (r.isEmpty()) {
          err.println("error: dataset " + d + " has no rows");
          return BAD_INPUT;
        }
        rows.addAll(r);
      }
      if (noCategories) {
        rows.replaceAll(r -> new RoutingRow(r.promptId(), r.prompt(), r.messagesJson(), null, r.split(), r.model(), r.quality(),
            r.inputTokens(), r.outputTokens(), r.costUsd(), r.source()));
      }
      if (excludeModels != null && !excludeModels.isEmpty()) {
        java.util.Set<String> ex = new java.util.HashSet<>(excludeModels);
        rows.removeIf(r -> ex.contains(r.model()));
      }
      TrainRequest req = new TrainRequest(datasets, rows, candidates, threshold, encoder, opts,
          cacheDir != null ? cacheDir : dir.resolve(".cache"), priceTable, out, rationale, semantics, commandLine());
      TrainPipeline.Result r = TrainPipeline.run(req, line -> {
        o.println(line);
        o.flush();
      });
      o.printf("done: %s, test score %.4f -> %s%n", r.router().chosen().name(), r.testScore(), out);
      o.flush();
      return OK;
    } catch (ClassifierException | IllegalArgumentException e) {
      err.println("error: " + e.getMessage());
      return BAD_INPUT;
    } catch (UncheckedIOException e) {
      err.println("error: " + e.getMessage() + (e.getCause() != null ? ": " + e.getCause().getMessage() : ""));
      return FAILURE;
    }
  }

  private String commandLine() {
    return dev.switchboard.cli.options.Invocation.of(spec);
  }
}
