package dev.switchboard.classifier.train;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.switchboard.classifier.ClassifierCard;
import dev.switchboard.classifier.ClassifierException;
import dev.switchboard.classifier.Hashing;
import dev.switchboard.classifier.encoder.MiniLmEncoder;
import dev.switchboard.classifier.features.FeatureExtractor;
import dev.switchboard.classifier.features.FeatureSpec;
import dev.switchboard.classifier.features.PromptFeatures;
import dev.switchboard.classifier.heads.Example;
import dev.switchboard.classifier.heads.HeadsModel;
import dev.switchboard.classifier.heads.HeadsTrainer;
import dev.switchboard.classifier.heads.TrainConfig;
import dev.switchboard.classifier.onnx.HeadsOnnx;
import dev.switchboard.classifier.onnx.HeadsRunner;
import dev.switchboard.classifier.text.PromptText;
import dev.switchboard.dataset.ModelPrices;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;
import java.util.function.Consumer;

/**
 * {@code switchboard train}: rows -> per-prompt examples -> features (embedding cache) ->
 * heads -> {@code classifier.onnx} + {@code card.json} with test-split metrics computed on the
 * exported ONNX file itself.
 */
public final class TrainPipeline {

  private static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

  /** What a run produced. */
  public record Result(Path onnxFile, Path cardFile, ObjectNode card, HeadsModel model, double testAuc) {}

  /** Features of one split, with labels. */
  private record SplitData(List<PromptExample> prompts, List<Example> examples) {}

  private TrainPipeline() {}

  public static Result run(TrainRequest req, Consumer<String> log) {
    String dsName = req.datasetPath().toString();
    if (req.threshold() < 0 || req.threshold() > 1) {
      throw new ClassifierException("threshold must be in [0,1], was " + req.threshold());
    }
    TrainingSet set = TrainingSet.build(req.rows(), resolveAliases(req), dsName);
    List<String> cands = set.candidates();
    log.accept("dataset " + dsName + ": " + req.rows().size() + " rows, " + set.examples().size()
        + " prompts with all candidates (" + set.skippedPrompts() + " skipped)");
    log.accept("candidates (cheapest first): " + cands);
    List<PromptExample> trainP = set.split("train");
    List<PromptExample> valP = set.split("validation");
    List<PromptExample> testP = set.split("test");
    for (var s : List.of(Map.entry("train", trainP), Map.entry("validation", valP), Map.entry("test", testP))) {
      if (s.getValue().isEmpty()) {
        throw new ClassifierException("split '" + s.getKey() + "' of dataset " + dsName + " is empty for candidates " + cands);
      }
    }
    List<String> categories = new ArrayList<>(new TreeSet<>(trainP.stream()
        .map(p -> p.input().category()).filter(c -> c != null && !c.isBlank()).toList()));
    FeatureSpec spec = new FeatureSpec(MiniLmEncoder.DIM, PromptFeatures.NAMES, categories, PromptText.RULE);

    SplitData train;
    SplitData val;
    SplitData test;
    String encoderSha;
    Path cacheFile;
    try (MiniLmEncoder encoder = MiniLmEncoder.load(req.encoder(), 1)) {
      encoderSha = encoder.sha256();
      cacheFile = EmbeddingCache.fileFor(req.cacheDir(), encoderSha);
      EmbeddingCache cache = EmbeddingCache.open(cacheFile, encoder::encode);
      FeatureExtractor fx = new FeatureExtractor(spec, cache);
      long t0 = System.nanoTime();
      int[] done = {0};
      int total = trainP.size() + valP.size() + testP.size();
      Consumer<Integer> tick = n -> {
        if (n % 200 == 0 || n == total) {
          log.accept(String.format("features %d/%d (cache hits %d, encoded %d, %.1f s)", n, total,
              cache.hits(), cache.misses(), (System.nanoTime() - t0) / 1e9));
        }
      };
      try {
        train = features(trainP, fx, req, done, tick, log);
        val = features(valP, fx, req, done, tick, log);
        test = features(testP, fx, req, done, tick, log);
      } finally {
        cache.save();
      }
    }
    log.accept("train " + train.examples().size() + ", validation " + val.examples().size() + ", test "
        + test.examples().size() + " prompts; difficulty base rate (train) "
        + String.format("%.3f", train.examples().stream().mapToDouble(Example::difficulty).average().orElse(0)));

    TrainConfig cfg = req.config();
    HeadsTrainer.Result tr = HeadsTrainer.train(train.examples(), val.examples(), cfg,
        e -> log.accept(String.format("epoch %3d/%d  train_loss %.5f  val_loss %.5f  val_difficulty_loss %.5f",
            e.epoch(), cfg.maxEpochs(), e.trainLoss(), e.valLoss(), e.valDifficultyLoss())));
    log.accept("best epoch " + tr.bestEpoch() + " of " + tr.history().size());

    Map<String, String> meta = new LinkedHashMap<>();
    meta.put("switchboard.candidates", String.join(",", cands));
    meta.put("switchboard.threshold", String.valueOf(req.threshold()));
    meta.put("switchboard.encoder_sha256", encoderSha);
    byte[] onnx = HeadsOnnx.export(tr.model(), meta);

    ObjectNode metrics;
    double auc;
    try (HeadsRunner runner = HeadsRunner.load(onnx, ClassifierCard.ONNX_FILE, spec.width(), 1)) {
      HeadsRunner.Output out = runner.run(test.examples().stream().map(Example::x).toArray(float[][]::new));
      double baseRate = train.examples().stream().mapToDouble(Example::difficulty).average().orElse(0.5);
      metrics = testMetrics(test.examples(), out, cands, baseRate);
      auc = metrics.path("difficulty").path("auc").asDouble();
    }
    log.accept(String.format("test: difficulty AUC %.4f, Brier %.4f (constant %.4f)", auc,
        metrics.path("difficulty").path("brier").asDouble(), metrics.path("difficulty").path("brier_constant").asDouble()));

    ObjectNode card = card(req, set, spec, encoderSha, cacheFile, tr, cfg, onnx, metrics, train, val, test);
    try {
      Files.createDirectories(req.outDir());
      Path onnxFile = req.outDir().resolve(ClassifierCard.ONNX_FILE);
      Path cardFile = req.outDir().resolve(ClassifierCard.FILE);
      Files.write(onnxFile, onnx);
      JSON.writeValue(cardFile.toFile(), card);
      log.accept("wrote " + onnxFile + " and " + cardFile);
      return new Result(onnxFile, cardFile, card, tr.model(), auc);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot write model to " + req.outDir(), e);
    }
  }

  /**
   * Candidate names as given, except that a name absent from the dataset but known to the price
   * file as an alias (e.g. AlpacaEval's {@code gpt4_1106_preview}) is replaced by its canonical id.
   */
  static List<String> resolveAliases(TrainRequest req) {
    if (req.candidates() == null || req.prices() == null) {
      return req.candidates();
    }
    java.util.Set<String> models = new java.util.HashSet<>();
    req.rows().forEach(r -> models.add(r.model()));
    return req.candidates().stream()
        .map(c -> models.contains(c) ? c : req.prices().canonicalId(c).filter(models::contains).orElse(c))
        .toList();
  }

  private static SplitData features(List<PromptExample> prompts, FeatureExtractor fx, TrainRequest req, int[] done,
                                    Consumer<Integer> tick, Consumer<String> log) {
    List<PromptExample> kept = new ArrayList<>();
    List<Example> ex = new ArrayList<>();
    for (PromptExample p : prompts) {
      float[] x;
      try {
        x = fx.features(p.input());
      } catch (ClassifierException e) {
        log.accept("skipping prompt " + p.promptId() + ": " + e.getMessage());
        tick.accept(++done[0]);
        continue;
      }
      kept.add(p);
      ex.add(new Example(x, req.labelRule().label(p.quality(), req.threshold()), p.quality()));
      tick.accept(++done[0]);
    }
    return new SplitData(kept, ex);
  }

  static ObjectNode testMetrics(List<Example> test, HeadsRunner.Output out, List<String> cands, double trainBaseRate) {
    int n = test.size();
    double[] y = new double[n];
    double[] constant = new double[n];
    for (int i = 0; i < n; i++) {
      y[i] = test.get(i).difficulty();
      constant[i] = trainBaseRate;
    }
    ObjectNode m = JSON.createObjectNode();
    m.put("split", "test");
    m.put("prompts", n);
    ObjectNode d = m.putObject("difficulty");
    d.put("auc", round(Metrics.auc(out.difficulty(), y)));
    d.put("brier", round(Metrics.brier(out.difficulty(), y)));
    d.put("brier_constant", round(Metrics.brier(constant, y)));
    d.put("base_rate", round(Metrics.mean(y)));
    d.put("mean_predicted", round(Metrics.mean(out.difficulty())));
    ObjectNode q = m.putObject("quality");
    for (int k = 0; k < cands.size(); k++) {
      double[] pred = new double[n];
      double[] obs = new double[n];
      for (int i = 0; i < n; i++) {
        pred[i] = out.quality()[i][k];
        obs[i] = test.get(i).quality()[k];
      }
      double[] meanPred = new double[n];
      java.util.Arrays.fill(meanPred, Metrics.mean(obs));
      ObjectNode qm = q.putObject(cands.get(k));
      qm.put("mae", round(Metrics.mae(pred, obs)));
      qm.put("rmse", round(Metrics.rmse(pred, obs)));
      qm.put("rmse_of_test_mean", round(Metrics.rmse(meanPred, obs)));
      qm.put("mean_observed", round(Metrics.mean(obs)));
      qm.put("mean_predicted", round(Metrics.mean(pred)));
    }
    ArrayNode cal = m.putArray("calibration");
    for (Metrics.Bin b : Metrics.calibration(out.difficulty(), y, 10)) {
      ObjectNode bn = cal.addObject();
      bn.put("lo", round(b.lo()));
      bn.put("hi", round(b.hi()));
      if (b.count() > 0) {
        bn.put("mean_predicted", round(b.meanPredicted()));
        bn.put("observed", round(b.observed()));
      } else {
        bn.putNull("mean_predicted");
        bn.putNull("observed");
      }
      bn.put("count", b.count());
    }
    return m;
  }

  private static ObjectNode card(TrainRequest req, TrainingSet set, FeatureSpec spec, String encoderSha, Path cacheFile,
                                 HeadsTrainer.Result tr, TrainConfig cfg, byte[] onnx, ObjectNode metrics,
                                 SplitData train, SplitData val, SplitData test) {
    ObjectNode c = JSON.createObjectNode();
    c.put("format", "switchboard-classifier/1");
    if (req.command() != null) {
      c.put("command", req.command());
    }
    ObjectNode ds = c.putObject("dataset");
    ds.put("path", req.datasetPath().toString().replace('\\', '/'));
    try {
      ds.put("sha256", Hashing.sha256Hex(req.datasetPath()));
    } catch (IOException e) {
      throw new UncheckedIOException("cannot hash dataset " + req.datasetPath(), e);
    }
    ds.put("rows", req.rows().size());
    ds.put("prompts_used", set.examples().size());
    ds.put("prompts_skipped_missing_candidate", set.skippedPrompts());
    ObjectNode splits = ds.putObject("split_prompts");
    splits.put("train", train.examples().size());
    splits.put("validation", val.examples().size());
    splits.put("test", test.examples().size());

    List<String> cands = set.candidates();
    ArrayNode ca = c.putArray("candidates");
    for (int k = 0; k < cands.size(); k++) {
      ObjectNode o = ca.addObject();
      o.put("model", cands.get(k));
      var price = req.prices() == null ? java.util.Optional.<ModelPrices.Price>empty() : req.prices().find(cands.get(k));
      if (price.isPresent()) {
        o.put("input_usd_per_mtok", price.get().inputPerMTok());
        o.put("output_usd_per_mtok", price.get().outputPerMTok());
        o.put("price_is_proxy", price.get().isProxy());
        o.put("price_source", price.get().source());
      } else {
        o.putNull("input_usd_per_mtok");
        o.putNull("output_usd_per_mtok");
      }
      o.put("mean_cost_usd", round(set.meanCost()[k]));
      final int kk = k;
      o.put("mean_quality_train", round(train.prompts().stream().mapToDouble(p -> p.quality()[kk]).average().orElse(Double.NaN)));
      o.put("adequate_rate_train", round(train.prompts().stream().mapToDouble(p -> p.quality()[kk] >= req.threshold() ? 1 : 0)
          .average().orElse(Double.NaN)));
    }
    c.put("candidates_order", "cheapest first by mean cost_usd per prompt in the dataset; the last is the strong reference");
    if (req.candidatesRationale() != null) {
      c.put("candidates_rationale", req.candidatesRationale());
    }
    c.put("threshold", req.threshold());
    c.put("seed", cfg.seed());

    ObjectNode labels = c.putObject("labels");
    labels.put("rule", req.labelRule().name().toLowerCase(java.util.Locale.ROOT).replace('_', '-'));
    labels.put("difficulty", req.labelRule().definition(cands, req.threshold()));
    labels.put("quality", "quality[k] = predicted quality in [0,1] of candidate k on the prompt, trained on the dataset's"
        + " quality column (cross-entropy on the soft target); adequate means quality >= threshold");

    ObjectNode enc = c.putObject("encoder");
    enc.put("id", req.encoder().id());
    enc.put("artifact", req.encoder().artifact());
    enc.put("sha256", encoderSha);
    enc.put("max_tokens", MiniLmEncoder.MAX_TOKENS);
    enc.put("truncation", "head 128 + tail 128 token ids, [CLS]/[SEP] included");
    enc.put("pooling", "mean over attention mask, then L2 normalisation");
    enc.put("embedding_cache_file", cacheFile.getFileName().toString());

    ObjectNode f = c.putObject("features");
    f.put("embedding_dim", spec.embeddingDim());
    f.put("embedding_rule", spec.embeddingRule());
    spec.cheapFeatures().forEach(f.putArray("cheap_features")::add);
    spec.categories().forEach(f.putArray("categories")::add);
    f.put("width", spec.width());
    f.put("layout", "[embedding | cheap_features | one-hot of categories (unknown/missing category = all zeros)]");
    f.put("standardisation", "folded into classifier.onnx: (x - mean) / std with train-split mean/std (std 1 for constant columns)");

    ObjectNode o = c.putObject("onnx");
    o.put("file", ClassifierCard.ONNX_FILE);
    o.put("sha256", Hashing.sha256Hex(onnx));
    o.put("ir_version", 8);
    o.put("opset", 17);
    o.put("input", "features float32 [N, " + spec.width() + "]");
    o.put("outputs", "difficulty float32 [N, 1]; quality float32 [N, " + cands.size() + "] (candidates order)");
    o.put("architecture", cfg.hidden() == 0 ? "standardise -> sigmoid(linear)"
        : "standardise -> ReLU(" + cfg.hidden() + " hidden) -> sigmoid heads (difficulty, quality per candidate)");

    ObjectNode t = c.putObject("training");
    t.put("hidden", cfg.hidden());
    t.put("l2", cfg.l2());
    t.put("learning_rate", cfg.learningRate());
    t.put("optimizer", "Adam");
    t.put("batch_size", cfg.batchSize());
    t.put("max_epochs", cfg.maxEpochs());
    t.put("patience", cfg.patience());
    t.put("quality_loss_weight", cfg.qualityWeight());
    t.put("epochs_run", tr.history().size());
    t.put("best_epoch", tr.bestEpoch());
    var best = tr.history().get(tr.bestEpoch() - 1);
    t.put("best_val_loss", round(best.valLoss()));
    t.put("best_val_difficulty_loss", round(best.valDifficultyLoss()));
    c.set("metrics", metrics);
    return c;
  }

  static double round(double v) {
    if (!Double.isFinite(v)) {
      return v;
    }
    return Math.round(v * 1e6) / 1e6;
  }
}
