package dev.switchboard.classifier;

import dev.switchboard.classifier.base.ClassifierException;
import dev.switchboard.classifier.base.Hashing;
import dev.switchboard.classifier.base.ScoringInput;
import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import dev.switchboard.classifier.encoder.Encoder;
import dev.switchboard.classifier.encoder.EncoderStore;
import dev.switchboard.classifier.encoder.Encoders;
import dev.switchboard.classifier.encoder.StaticEncoder;
import dev.switchboard.classifier.features.FeatureExtractor;
import dev.switchboard.classifier.features.PromptFeatures;
import dev.switchboard.classifier.onnx.HeadsRunner;
import dev.switchboard.classifier.text.PromptText;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;

/**
 * The classifier as used by the live router and the offline harness: loads a model directory
 * ({@code card.json} + {@code classifier.onnx}), embeds prompts with the encoder named in the card
 * (the static table or MiniLM) and runs the router graph: each candidate's probability of an
 * adequate answer, the prompt's difficulty and its IRT parameters.
 *
 * <p>Thread-safe: the encoder and the heads keep one DJL predictor per calling thread. Recent
 * prompts are cached by hash (Caffeine, LRU-like, {@link ClassifierOptions#cacheSize()}).
 */
public final class Classifier implements AutoCloseable {

  private final ClassifierCard card;
  private final Encoder encoder;
  private final HeadsRunner heads;
  private final FeatureExtractor features;
  private final Cache<String, Scores> cache;

  private Classifier(ClassifierCard card, Encoder encoder, HeadsRunner heads, int cacheSize) {
    this.card = card;
    this.encoder = encoder;
    this.heads = heads;
    this.features = new FeatureExtractor(card.features(), encoder::encode, encoder::encodeBatch);
    // Maintenance (eviction, LRU order) on the writing thread: Caffeine's default hands it to the
    // common ForkJoinPool, which woke a thread on every cache miss under load (~20 µs of park,
    // unpark and context switch per scored prompt, measured with async-profiler at 16 connections).
    this.cache = cacheSize == 0 ? null : Caffeine.newBuilder().maximumSize(cacheSize).executor(Runnable::run).build();
  }

  /**
   * Loads {@code modelDir}. Fails with {@link ClassifierException} naming the file/field when the
   * card is missing or invalid, the ONNX file is missing, corrupt or not the one the card hashes,
   * the card's candidates do not match the ONNX output width, or the card was trained on another
   * encoder or feature set than this build computes.
   */
  public static Classifier load(Path modelDir, ClassifierOptions opts) {
    ClassifierCard card = ClassifierCard.read(modelDir);
    Path onnxFile = modelDir.resolve(ClassifierCard.ONNX_FILE);
    if (!Files.isRegularFile(onnxFile)) {
      throw new ClassifierException("model directory " + modelDir + " has " + ClassifierCard.FILE + " but no " + ClassifierCard.ONNX_FILE
          + " (" + ModelDirectory.EXPECTED + "; copy both files together)");
    }
    byte[] onnx;
    try {
      onnx = Files.readAllBytes(onnxFile);
    } catch (IOException e) {
      throw new ClassifierException("cannot read " + onnxFile + ": " + e.getMessage(), e);
    }
    String sha = Hashing.sha256Hex(onnx);
    if (!sha.equals(card.onnxSha256())) {
      throw new ClassifierException(onnxFile + " has sha256 " + sha + " but " + ClassifierCard.FILE
          + " field 'onnx.sha256' says " + card.onnxSha256() + " (file replaced or corrupt)");
    }
    if (!card.features().cheapFeatures().equals(PromptFeatures.NAMES)) {
      throw new ClassifierException(modelDir.resolve(ClassifierCard.FILE) + ": field 'features.cheap_features' "
          + card.features().cheapFeatures() + " differs from this build's " + PromptFeatures.NAMES + " (retrain)");
    }
    boolean onnxRuntime = opts.runtime() == ClassifierOptions.GraphRuntime.ONNX_RUNTIME;
    Encoder encoder = Encoders.open(card.encoderId(), card.encoderSha256(), opts.intraOpThreads(),
        line -> org.slf4j.LoggerFactory.getLogger(Classifier.class).info(line), onnxRuntime);
    HeadsRunner heads = null;
    try {
      if (!encoder.sha256().equals(card.encoderSha256())) {
        throw new ClassifierException(modelDir.resolve(ClassifierCard.FILE) + ": field 'encoder.sha256' "
            + card.encoderSha256() + " differs from the encoder on the classpath (" + encoder.sha256() + ")");
      }
      if (card.features().embeddingDim() != encoder.dim()) {
        throw new ClassifierException(modelDir.resolve(ClassifierCard.FILE) + ": field 'features.embedding_dim' is "
            + card.features().embeddingDim() + ", encoder " + encoder.id() + " gives " + encoder.dim());
      }
      checkProbe(modelDir, card, encoder);
      heads = HeadsRunner.load(onnx, onnxFile.toString(), card.features().width(), opts.intraOpThreads(), onnxRuntime);
      if (heads.qualityWidth() != card.candidates().size()) {
        throw new ClassifierException(modelDir.resolve(ClassifierCard.FILE) + " lists " + card.candidates().size()
            + " candidates " + card.candidateNames() + " but " + onnxFile + " outputs " + heads.qualityWidth()
            + " quality columns");
      }
      return new Classifier(card, encoder, heads, opts.cacheSize());
    } catch (RuntimeException e) {
      if (heads != null) {
        heads.close();
      }
      encoder.close();
      throw e;
    }
  }

  /**
   * A static table distilled on another CPU may differ in its last bits, never more: the card keeps
   * the first components of a probe text's embedding, and a table that misses them by more than
   * 1e-3 is not the one the heads were trained on.
   */
  private static void checkProbe(Path modelDir, ClassifierCard card, Encoder encoder) {
    if (!(encoder instanceof StaticEncoder se) || card.encoderProbe() == null) {
      return;
    }
    float[] now = EncoderStore.probe(se.table());
    double[] want = card.encoderProbe();
    for (int i = 0; i < Math.min(now.length, want.length); i++) {
      if (Math.abs(now[i] - want[i]) > 1e-3) {
        throw new ClassifierException(modelDir.resolve(ClassifierCard.FILE) + ": field 'encoder.probe' does not match"
            + " the static encoder in " + EncoderStore.defaults().dir() + " (component " + i + ": " + now[i] + " vs "
            + want[i] + "); delete that encoder folder and let it be distilled again");
      }
    }
  }

  public ClassifierCard card() {
    return card;
  }

  /**
   * True when scoring makes no native call (static encoder and router graph in plain Java): a short
   * prompt then costs tens of microseconds in all, cheap enough to score on the calling thread.
   */
  public boolean inJava() {
    return encoder.inJava() && heads.inJava();
  }

  public Scores score(ScoringInput input) {
    return scoreBatch(List.of(input)).get(0);
  }

  /**
   * The scores of {@code input} if it was scored recently (the cache), else null; never runs the
   * encoder. Costs one sha256 of the prompt, so callers on latency-critical threads can try it
   * before handing the prompt to a scoring worker.
   */
  public Scores cached(ScoringInput input) {
    return cache == null || input == null ? null : cache.getIfPresent(cacheKey(input));
  }

  /**
   * Scores several inputs; the heads run as one batch, cached inputs are not recomputed.
   * Any invalid input fails the whole call with a {@link ClassifierException} naming its index.
   */
  public List<Scores> scoreBatch(List<ScoringInput> inputs) {
    return scoreBatch(inputs, null);
  }

  /**
   * As {@link #scoreBatch(List)}, with the inputs' {@link PromptText} views where the caller already
   * made them ({@code views.get(i)} is {@code PromptText.of(inputs.get(i))}, or null to make it here):
   * a scoring queue that priced each prompt by its text need not parse it twice.
   */
  public List<Scores> scoreBatch(List<ScoringInput> inputs, List<PromptText.View> given) {
    Scores[] out = new Scores[inputs.size()];
    String[] keys = new String[inputs.size()];
    List<Integer> todo = new ArrayList<>();
    List<ScoringInput> todoInputs = new ArrayList<>();
    List<PromptText.View> views = new ArrayList<>();
    for (int i = 0; i < inputs.size(); i++) {
      ScoringInput in = inputs.get(i);
      if (in == null) {
        throw new ClassifierException("inputs[" + i + "] is null");
      }
      if (cache != null) {
        keys[i] = cacheKey(in);
        Scores hit = cache.getIfPresent(keys[i]);
        if (hit != null) {
          out[i] = hit;
          continue;
        }
      }
      try {
        PromptText.View v = given == null ? null : given.get(i);
        views.add(v != null ? v : PromptText.of(in));
      } catch (ClassifierException e) {
        throw inputs.size() == 1 ? e : new ClassifierException("inputs[" + i + "]: " + e.getMessage(), e);
      }
      todo.add(i);
      todoInputs.add(in);
    }
    // One encoder call for every prompt not cached (the static encoder runs them as one graph call).
    List<float[]> rows = todo.isEmpty() ? List.of() : features.features(todoInputs, views);
    if (!todo.isEmpty()) {
      HeadsRunner.Output o = heads.run(rows.toArray(new float[0][]));
      List<String> names = card.candidateNames();
      for (int j = 0; j < todo.size(); j++) {
        int i = todo.get(j);
        Scores s = new Scores(o.difficulty()[j], o.quality()[j], names,
            o.irtA() == null ? Double.NaN : o.irtA()[j], o.irtB() == null ? Double.NaN : o.irtB()[j]);
        out[i] = s;
        if (cache != null) {
          cache.put(keys[i], s);
        }
      }
    }
    return List.of(out);
  }

  /**
   * The last input hashed on each thread, and its key: the router checks the cache, then scores the
   * same input on the same thread, and a prompt is hashed once (an input is immutable, so the same
   * instance has the same key). Holds one prompt per thread.
   */
  private static final ThreadLocal<Object[]> LAST_KEY = ThreadLocal.withInitial(() -> new Object[2]);

  /** sha256 of the input's kind, text and category: distinct inputs never share a key. */
  private static String cacheKey(ScoringInput in) {
    Object[] last = LAST_KEY.get();
    if (last[0] == in) {
      return (String) last[1];
    }
    String key = sha256Key(in);
    last[0] = in;
    last[1] = key;
    return key;
  }

  private static String sha256Key(ScoringInput in) {
    MessageDigest md = Hashing.sha256();
    md.update(in.isConversation() ? (byte) 'm' : (byte) 't');
    md.update((in.isConversation() ? in.messagesJson() : in.text()).getBytes(StandardCharsets.UTF_8));
    md.update((byte) 0);
    if (in.category() != null) {
      md.update(in.category().getBytes(StandardCharsets.UTF_8));
    }
    return HexFormat.of().formatHex(md.digest());
  }

  @Override
  public void close() {
    heads.close();
    encoder.close();
  }
}
