package dev.switchboard.classifier.train;

import dev.switchboard.classifier.base.Jackson;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.switchboard.classifier.ClassifierCard;
import dev.switchboard.classifier.base.ClassifierException;
import dev.switchboard.classifier.base.Hashing;
import dev.switchboard.classifier.encoder.Encoded;
import dev.switchboard.classifier.encoder.Encoder;
import dev.switchboard.classifier.encoder.EncoderStore;
import dev.switchboard.classifier.encoder.Encoders;
import dev.switchboard.classifier.encoder.MiniLmEncoder;
import dev.switchboard.classifier.encoder.StaticEncoder;
import dev.switchboard.classifier.features.FeatureExtractor;
import dev.switchboard.classifier.features.FeatureSpec;
import dev.switchboard.classifier.features.PromptFeatures;
import dev.switchboard.classifier.learn.Data;
import dev.switchboard.classifier.learn.RouterTrainer;
import dev.switchboard.classifier.learn.RoutingScore;
import dev.switchboard.classifier.onnx.HeadsRunner;
import dev.switchboard.classifier.learn.RouterOnnx;
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
import java.util.function.Function;

/**
 * {@code switchboard train}: rows -> per-prompt examples -> features (static or MiniLM embedding,
 * cheap features, category one-hot) -> the model family fitted and chosen by cross-validation
 * ({@link RouterTrainer}) -> one ONNX graph ({@link RouterOnnx}) -> {@code classifier.onnx} +
 * {@code card.json}, with every candidate's scores and test metrics computed on the exported file.
 */
public final class TrainPipeline {

  private static final ObjectMapper JSON = Jackson.PRETTY;
  public static final String FORMAT = "switchboard-classifier/2";

  /** What a run produced. */
  public record Result(Path onnxFile, Path cardFile, ObjectNode card, RouterTrainer.Result router, double testScore) {}

  /** Features of one split. */
  record SplitData(List<PromptExample> prompts, Data data) {}

  private TrainPipeline() {}

  public static Result run(TrainRequest req, Consumer<String> log) {
    String dsName = String.join(", ", req.datasetPaths().stream().map(Path::toString).toList());
    if (!(req.threshold() >= 0 && req.threshold() <= 1)) {
      throw new ClassifierException("threshold must be in [0,1], was " + req.threshold());
    }
    for (String e : req.encoder().split(",")) {
      Encoders.resolveId(e.trim()); // an unknown encoder fails before any work
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

    List<String> encoderIds = new ArrayList<>();
    for (String e : req.encoder().split(",")) {
      String id = Encoders.resolveId(e.trim());
      if (!encoderIds.contains(id)) {
        encoderIds.add(id);
      }
    }
    List<Attempt> attempts = new ArrayList<>();
    for (String id : encoderIds) {
      attempts.add(attempt(id, req, set, trainP, valP, testP, categories, log));
    }
    Attempt chosen = chooseEncoder(attempts, log);
    String encoderId = chosen.encoderId();
    SplitData train = chosen.train();
    SplitData val = chosen.val();
    SplitData test = chosen.test();
    SplitData aux = chosen.aux();
    FeatureSpec spec = chosen.spec();
    ObjectNode encoderCard = chosen.encoderCard();
    RouterTrainer.Result rt = chosen.router();
    if (attempts.size() > 1) {
      encoderCard.set("selection", encoderSelection(attempts, chosen));
    }

    Map<String, String> meta = new LinkedHashMap<>();
    meta.put("switchboard.candidates", String.join(",", cands));
    meta.put("switchboard.threshold", String.valueOf(req.threshold()));
    meta.put("switchboard.encoder_id", encoderId);
    meta.put("switchboard.router", rt.chosen().name());
    byte[] onnx = RouterOnnx.export(rt.router(), rt.irt(), spec.width(), cands.size(), meta);

    ObjectNode metrics;
    double testScore;
    HeadsRunner loaded;
    try {
      loaded = HeadsRunner.load(onnx, ClassifierCard.ONNX_FILE, spec.width(), 1);
    } catch (ClassifierException e) {
      throw new ClassifierException("the exported router graph does not load (an exporter bug; nothing was written): "
          + e.getMessage(), e);
    }
    try (HeadsRunner runner = loaded) {
      HeadsRunner.Output out = runner.run(test.data().x());
      checkExport(rt, out, test.data(), log);
      testScore = RoutingScore.of(out.quality(), test.data().q(), test.data().cost());
      metrics = TestMetrics.of(test.data(), out, cands, req.threshold(), rt);
    }
    log.accept(String.format("test: %s %.4f (n=%d)", rt.chosen().name(), testScore, test.data().size()));

    ObjectNode card = CardWriter.card(req, set, spec, encoderCard, rt, onnx, metrics, train, val, test, aux);
    try {
      Files.createDirectories(req.outDir());
      Path onnxFile = req.outDir().resolve(ClassifierCard.ONNX_FILE);
      Path cardFile = req.outDir().resolve(ClassifierCard.FILE);
      Files.write(onnxFile, onnx);
      JSON.writeValue(cardFile.toFile(), card);
      log.accept("wrote " + onnxFile + " and " + cardFile);
      return new Result(onnxFile, cardFile, card, rt, testScore);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot write model to " + req.outDir(), e);
    }
  }

  /** One encoder's features and fitted family. */
  record Attempt(String encoderId, FeatureSpec spec, ObjectNode encoderCard, SplitData train, SplitData val,
                 SplitData test, SplitData aux, RouterTrainer.Result router) {}

  private static Attempt attempt(String encoderId, TrainRequest req, TrainingSet set, List<PromptExample> trainP,
                                 List<PromptExample> valP, List<PromptExample> testP, List<String> categories,
                                 Consumer<String> log) {
    int k = set.candidates().size();
    long t0 = System.nanoTime();
    SplitData train;
    SplitData val;
    SplitData test;
    SplitData aux;
    FeatureSpec spec;
    ObjectNode encoderCard;
    try (Encoder encoder = Encoders.open(encoderId, null, 1, log)) {
      spec = new FeatureSpec(encoder.dim(), PromptFeatures.NAMES, categories, PromptText.RULE);
      EmbeddingCache cache = null;
      Function<String, Encoded> embed;
      if (encoder instanceof StaticEncoder se) {
        embed = se::encodeInJava; // microseconds: no cache needed; equal to the served graph (tests)
      } else {
        cache = EmbeddingCache.open(EmbeddingCache.fileFor(req.cacheDir(), encoder.sha256()), encoder.dim(), encoder::encode);
        embed = cache;
      }
      FeatureExtractor fx = new FeatureExtractor(spec, embed);
      try {
        train = features(trainP, fx, k, log);
        val = features(valP, fx, k, log);
        test = features(testP, fx, k, log);
        aux = features(set.auxiliary().stream().filter(p -> p.split().equals("train")).toList(), fx, k, log);
      } finally {
        if (cache != null) {
          cache.save();
        }
      }
      encoderCard = encoderCard(encoder, cache == null ? null : cache.file());
    }
    log.accept(String.format("features of %d prompts in %.1f s (encoder %s)", train.data().size() + val.data().size()
        + test.data().size(), (System.nanoTime() - t0) / 1e9, encoderId));
    log.accept("cross-validating the model family (" + req.options().folds() + " folds on " + train.data().size()
        + " train prompts; score: " + RoutingScore.describe(train.data().cost()) + ")");
    if (aux.data().size() > 0 || set.extraModels().size() > 0) {
      log.accept("the IRT head also learns from " + set.extraModels().size() + " other models and " + aux.data().size()
          + " train prompts no candidate answered");
    }
    RouterTrainer.Result rt = RouterTrainer.train(train.data(), val.data(), req.options().withAux(aux.data()), log);
    log.accept("chosen with " + encoderId + ": " + rt.chosen().name());
    return new Attempt(encoderId, spec, encoderCard, train, val, test, aux, rt);
  }

  /**
   * With several encoders, the one whose chosen router has the best cross-validated score, unless
   * an earlier-listed one is within one standard error of it (paired per-fold differences; the
   * folds are the same rows for every encoder): then the earlier one, so that listing the cheap
   * encoder first ({@code static,minilm}) means "MiniLM only where it measurably routes better".
   */
  static Attempt chooseEncoder(List<Attempt> attempts, Consumer<String> log) {
    Attempt best = attempts.get(0);
    for (Attempt a : attempts) {
      if (a.router().chosenCvScore() > best.router().chosenCvScore()) {
        best = a;
      }
    }
    for (Attempt a : attempts) {
      if (a == best) {
        break;
      }
      double[] d = new double[a.router().chosenPerFold().length];
      for (int f = 0; f < d.length; f++) {
        d[f] = best.router().chosenPerFold()[f] - a.router().chosenPerFold()[f];
      }
      double mean = java.util.Arrays.stream(d).average().orElse(0);
      double se = RouterTrainer.standardError(d);
      if (mean <= se) {
        log.accept(String.format("encoder %s is within one standard error of %s (%.4f <= %.4f): %s, listed first",
            a.encoderId(), best.encoderId(), mean, se, a.encoderId()));
        best = a;
        break;
      }
    }
    log.accept("encoder: " + best.encoderId());
    return best;
  }

  private static ArrayNode encoderSelection(List<Attempt> attempts, Attempt chosen) {
    ArrayNode a = JSON.createArrayNode();
    for (Attempt t : attempts) {
      ObjectNode o = a.addObject();
      o.put("encoder", t.encoderId());
      o.put("router", t.router().chosen().name());
      o.put("cv_score", round(t.router().chosenCvScore()));
      RouterTrainer.Scored s = t.router().candidates().stream().filter(RouterTrainer.Scored::chosen).findFirst().orElseThrow();
      o.put("validation_score", round(s.validationScore()));
      o.put("test_score", round(RoutingScore.of(s.fitted().predict(t.test().data().x()), t.test().data().q(),
          t.test().data().cost())));
      ArrayNode pf = o.putArray("cv_per_fold");
      for (double v : t.router().chosenPerFold()) {
        pf.add(round(v));
      }
      o.put("chosen", t == chosen);
    }
    return a;
  }

  /** The exported graph must compute what the Java members computed (float rounding aside). */
  static void checkExport(RouterTrainer.Result rt, HeadsRunner.Output out, Data test, Consumer<String> log) {
    double[][] java = rt.router().predict(test.x());
    double[] difficulty = rt.irt().difficulty(test.x());
    double max = 0;
    for (int i = 0; i < java.length; i++) {
      for (int j = 0; j < java[i].length; j++) {
        max = Math.max(max, Math.abs(java[i][j] - out.quality()[i][j]));
      }
      max = Math.max(max, Math.abs(difficulty[i] - out.difficulty()[i]));
    }
    if (max > 1e-3) {
      throw new ClassifierException("the exported ONNX graph disagrees with the trained model by " + max
          + " on the test split (an exporter bug; nothing was written)");
    }
    log.accept(String.format("exported graph matches the trained model (max |diff| %.2e on the test split)", max));
  }

  private static ObjectNode encoderCard(Encoder encoder, Path cacheFile) {
    ObjectNode enc = JSON.createObjectNode();
    enc.put("id", encoder.id());
    enc.put("sha256", encoder.sha256());
    enc.put("dim", encoder.dim());
    if (encoder instanceof StaticEncoder se) {
      enc.put("kind", "static");
      enc.put("recipe", se.manifest().json().path("recipe").asText());
      enc.set("source", se.manifest().json().path("source"));
      enc.put("tokens", se.maxTokens() == 0
          ? "every token of the prompt text (WordPiece, MiniLM vocabulary); [CLS]/[SEP]/[UNK] dropped"
          : "the first " + se.maxTokens() / 2 + " and last " + (se.maxTokens() - se.maxTokens() / 2) + " tokens of the"
              + " prompt text (WordPiece, MiniLM vocabulary); [CLS]/[SEP]/[UNK] dropped; the token-count feature is"
              + " exact up to " + 4 * (se.maxTokens() + 2) + " chars, chars/4 above");
      enc.put("pooling", "mean of the tokens' rows, then L2 normalisation");
      ObjectNode probe = enc.putObject("probe");
      probe.put("text", EncoderStore.PROBE_TEXT);
      ArrayNode pe = probe.putArray("embedding");
      for (float f : EncoderStore.probe(se.table())) {
        pe.add(f);
      }
      enc.put("distill", "./switchboard distill --dims " + encoder.dim());
    } else {
      MiniLmEncoder m = (MiniLmEncoder) encoder;
      enc.put("kind", "minilm");
      enc.put("artifact", m.variant().artifact());
      enc.put("max_tokens", MiniLmEncoder.MAX_TOKENS);
      enc.put("truncation", "head 128 + tail 128 token ids, [CLS]/[SEP] included");
      enc.put("pooling", "mean over attention mask, then L2 normalisation");
      if (cacheFile != null) {
        enc.put("embedding_cache_file", cacheFile.getFileName().toString());
      }
    }
    return enc;
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

  private static SplitData features(List<PromptExample> prompts, FeatureExtractor fx, int k, Consumer<String> log) {
    List<PromptExample> kept = new ArrayList<>();
    List<float[]> xs = new ArrayList<>();
    for (PromptExample p : prompts) {
      try {
        xs.add(fx.features(p.input()));
        kept.add(p);
      } catch (ClassifierException e) {
        log.accept("skipping prompt " + p.promptId() + ": " + e.getMessage());
      }
    }
    float[][] x = xs.toArray(new float[0][]);
    double[][] q = new double[kept.size()][];
    double[][] c = new double[kept.size()][];
    double[][] e = new double[kept.size()][];
    for (int i = 0; i < kept.size(); i++) {
      q[i] = kept.get(i).quality();
      c[i] = kept.get(i).costUsd();
      e[i] = kept.get(i).extra();
    }
    return new SplitData(kept, new Data(x, q, c, fx.spec(), e));
  }

  static double round(double v) {
    if (!Double.isFinite(v)) {
      return v;
    }
    return Math.round(v * 1e6) / 1e6;
  }

  /** sha256 of each dataset file, for the card. */
  static List<String> hashes(List<Path> files) {
    List<String> out = new ArrayList<>();
    for (Path p : files) {
      try {
        out.add(Hashing.sha256Hex(p));
      } catch (IOException e) {
        throw new UncheckedIOException("cannot hash dataset " + p, e);
      }
    }
    return out;
  }

  /** Prices for the card. */
  static java.util.Optional<ModelPrices.Price> price(TrainRequest req, String model) {
    return req.prices() == null ? java.util.Optional.empty() : req.prices().find(model);
  }
}
