package dev.switchboard.eval.train;

import dev.switchboard.classifier.ClassifierException;
import dev.switchboard.classifier.encoder.EncoderVariant;
import dev.switchboard.classifier.heads.TrainConfig;
import dev.switchboard.classifier.train.DifficultyLabel;
import dev.switchboard.classifier.train.TrainPipeline;
import dev.switchboard.classifier.train.TrainRequest;
import dev.switchboard.dataset.ModelPrices;
import dev.switchboard.dataset.RoutingDatasets;
import dev.switchboard.dataset.RoutingRow;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code switchboard train}: trains the difficulty/quality heads on a routing dataset and writes
 * {@code classifier.onnx} + {@code card.json} into {@code --out}.
 */
@Command(
    name = "train",
    header = "Train the difficulty classifier (MiniLM embedding + heads) on a routing dataset.",
    description = "Writes OUT/classifier.onnx and OUT/card.json (candidates, prices, label definitions, feature spec,"
        + " test-split AUC/Brier/MAE/RMSE and a calibration table). Embeddings are cached next to the dataset.",
    mixinStandardHelpOptions = true)
public final class TrainCommand implements Callable<Integer> {

  static final int OK = 0;
  static final int FAILURE = 1;
  static final int BAD_INPUT = 2;

  @Spec CommandSpec spec;

  @Option(names = "--dataset", required = true, paramLabel = "FILE", description = "Routing dataset (Parquet).")
  Path dataset;

  @Option(names = "--candidates", split = ",", paramLabel = "MODEL",
      description = "Candidate models (any order; sorted cheapest first). Default: all models if at most 8.")
  List<String> candidates;

  @Option(names = "--threshold", defaultValue = "0.5", description = "Quality bar in [0,1] (default ${DEFAULT-VALUE}).")
  double threshold;

  @Option(names = "--seed", defaultValue = "42", description = "Random seed (default ${DEFAULT-VALUE}).")
  long seed;

  @Option(names = "--epochs", defaultValue = "200", description = "Maximum epochs; early stopping on validation (default ${DEFAULT-VALUE}).")
  int epochs;

  @Option(names = "--hidden", defaultValue = "32", description = "Hidden units, 0 = logistic regression (default ${DEFAULT-VALUE}).")
  int hidden;

  @Option(names = "--l2", defaultValue = "0.3", description = "L2 penalty on weights (default ${DEFAULT-VALUE}).")
  double l2;

  @Option(names = "--lr", defaultValue = "0.001", description = "Adam learning rate (default ${DEFAULT-VALUE}).")
  double learningRate;

  @Option(names = "--batch-size", defaultValue = "32", description = "Mini-batch size (default ${DEFAULT-VALUE}).")
  int batchSize;

  @Option(names = "--patience", defaultValue = "25", description = "Early-stopping patience in epochs (default ${DEFAULT-VALUE}).")
  int patience;

  @Option(names = "--label", defaultValue = "beats",
      description = "Difficulty label: beats (strongest candidate beats every cheaper one) or below-threshold (default ${DEFAULT-VALUE}).")
  String label;

  @Option(names = "--fp32", description = "Use the fp32 MiniLM encoder (needs its jar on the classpath) instead of the quantized one.")
  boolean fp32;

  @Option(names = "--cache-dir", paramLabel = "DIR", description = "Embedding cache directory (default: DATASET_DIR/.cache).")
  Path cacheDir;

  @Option(names = "--prices", paramLabel = "FILE", description = "Price file (default: DATASET_DIR/models.json when present).")
  Path prices;

  @Option(names = "--rationale", paramLabel = "TEXT", description = "Why these candidates; written to the card.")
  String rationale;

  @Option(names = "--out", required = true, paramLabel = "DIR", description = "Model directory to write, e.g. models/default.")
  Path out;

  @Override
  public Integer call() {
    PrintWriter o = spec.commandLine().getOut();
    PrintWriter err = spec.commandLine().getErr();
    if (!Files.isRegularFile(dataset)) {
      err.println("error: dataset " + dataset + " not found");
      return BAD_INPUT;
    }
    if (!(threshold >= 0 && threshold <= 1)) {
      err.println("error: --threshold must be in [0,1], got " + threshold);
      return BAD_INPUT;
    }
    try {
      DifficultyLabel rule = DifficultyLabel.parse(label);
      TrainConfig cfg = new TrainConfig(hidden, l2, learningRate, batchSize, epochs, patience, seed, 1.0);
      Path dir = dataset.toAbsolutePath().getParent();
      Path priceFile = prices != null ? prices : dir.resolve("models.json");
      ModelPrices priceTable = null;
      if (prices != null && !Files.isRegularFile(prices)) {
        err.println("error: price file " + prices + " not found");
        return BAD_INPUT;
      }
      if (Files.isRegularFile(priceFile)) {
        priceTable = ModelPrices.load(priceFile);
      }
      List<RoutingRow> rows = RoutingDatasets.read(dataset);
      TrainRequest req = new TrainRequest(dataset, rows, candidates, threshold, rule, cfg,
          fp32 ? EncoderVariant.FP32 : EncoderVariant.QUANTIZED, cacheDir != null ? cacheDir : dir.resolve(".cache"),
          priceTable, out, rationale, commandLine());
      TrainPipeline.Result r = TrainPipeline.run(req, line -> {
        o.println(line);
        o.flush();
      });
      o.printf("done: test AUC %.4f -> %s%n", r.testAuc(), out);
      o.flush();
      return OK;
    } catch (ClassifierException | IllegalArgumentException e) {
      err.println("error: " + e.getMessage());
      return BAD_INPUT;
    } catch (UncheckedIOException e) {
      err.println("error: " + e.getMessage() + (e.getCause() != null ? ": " + e.getCause().getMessage() : ""));
      return FAILURE;
    } catch (RuntimeException e) {
      err.println("error: " + e.getClass().getSimpleName() + ": " + e.getMessage());
      return FAILURE;
    }
  }

  private String commandLine() {
    return dev.switchboard.eval.cli.Invocation.of(spec);
  }

}
