package dev.switchboard.classifier.encoder;

import dev.switchboard.classifier.onnx.EncoderGraphs;
import ai.djl.MalformedModelException;
import ai.djl.Model;
import ai.djl.huggingface.tokenizers.HuggingFaceTokenizer;
import ai.djl.inference.Predictor;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.translate.NoBatchifyTranslator;
import ai.djl.translate.TranslateException;
import ai.djl.translate.TranslatorContext;
import dev.switchboard.classifier.base.ClassifierException;
import dev.switchboard.classifier.base.Hashing;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentLinkedQueue;

/**
 * all-MiniLM-L6-v2 sentence embeddings through DJL's OnnxRuntime engine and HuggingFace
 * tokenizer, fully offline (weights and tokenizer come from the langchain4j jar on the
 * classpath). Head+tail truncation to {@link #MAX_TOKENS}, mean pooling over the attention mask,
 * L2 normalisation (the sentence-transformers recipe for this model). Every call encodes one
 * unpadded prompt, which lets the graph skip its attention-mask additions (bit-identical
 * embeddings, ~8 % faster at 256 tokens; see {@link EncoderGraphs}).
 *
 * <p>Thread-safe: DJL predictors and tokenizers are not, so each calling thread lazily gets its
 * own pair; all of them are closed by {@link #close()}.
 */
public final class MiniLmEncoder implements Encoder {

  public static final int MAX_TOKENS = 256;
  public static final int DIM = 384;
  /** BERT's special token ids in this vocabulary. */
  public static final int PAD = 0, UNK = 100, CLS = 101, SEP = 102, MASK = 103;

  private final EncoderVariant variant;
  private final Model model;
  private final byte[] tokenizerJson;
  private final String sha256;
  private final ConcurrentLinkedQueue<Worker> workers = new ConcurrentLinkedQueue<>();
  private final ThreadLocal<Worker> perThread = ThreadLocal.withInitial(this::newWorker);
  private volatile boolean closed;

  private MiniLmEncoder(EncoderVariant variant, Model model, byte[] tokenizerJson, String sha256) {
    this.variant = variant;
    this.model = model;
    this.tokenizerJson = tokenizerJson;
    this.sha256 = sha256;
  }

  /**
   * Loads the encoder from the classpath.
   *
   * @param intraOpThreads ONNX Runtime intra-op threads per session (1 is the most stable on a
   *     shared machine; parallelism comes from calling threads instead)
   */
  public static MiniLmEncoder load(EncoderVariant variant, int intraOpThreads) {
    // Everything we need is on the classpath; DJL must never try to download engines or models.
    // Respect an explicit setting, default to offline otherwise.
    if (System.getProperty("ai.djl.offline") == null) {
      System.setProperty("ai.djl.offline", "true");
    }
    byte[] onnx = resource(variant, variant.onnxResource());
    byte[] tokenizer = resource(variant, variant.tokenizerResource());
    // The hash names the embedding space: the jar's graph, which the rewrite below does not change.
    String sha = Hashing.sha256Hex(onnx, tokenizer);
    Model model = Model.newInstance(variant.id(), "OnnxRuntime");
    try {
      byte[] graph = EncoderGraphs.withoutPaddingMask(onnx, "attention_mask").model();
      model.load(new ByteArrayInputStream(graph), Map.of(
          "intraOpNumThreads", String.valueOf(intraOpThreads),
          "interOpNumThreads", "1"));
    } catch (IOException | MalformedModelException | RuntimeException e) {
      model.close();
      throw new ClassifierException("cannot load encoder " + variant.onnxResource() + ": " + e.getMessage(), e);
    }
    return new MiniLmEncoder(variant, model, tokenizer, sha);
  }

  static byte[] resource(EncoderVariant variant, String name) {
    try (InputStream in = MiniLmEncoder.class.getClassLoader().getResourceAsStream(name)) {
      if (in == null) {
        throw new ClassifierException("encoder resource '" + name + "' not on the classpath (add " + variant.artifact() + ")");
      }
      return in.readAllBytes();
    } catch (IOException e) {
      throw new ClassifierException("cannot read encoder resource '" + name + "': " + e.getMessage(), e);
    }
  }

  public EncoderVariant variant() {
    return variant;
  }

  /** sha256 over the encoder's ONNX bytes and tokenizer JSON: identifies the embedding space. */
  @Override
  public String sha256() {
    return sha256;
  }

  /** The ONNX graph's input names as ONNX Runtime reports them (checked by tests). */
  public List<String> inputNames() {
    return model.describeInput().keys();
  }

  /** Token ids the model sees for {@code text}: special tokens added, head+tail truncated. */
  public long[] tokenIds(String text) {
    return HeadTailTruncation.apply(worker().tokenizer.encode(text).getIds(), MAX_TOKENS);
  }

  /** Token count of {@code text} including [CLS]/[SEP], before truncation. */
  public int countTokens(String text) {
    return worker().tokenizer.encode(text).getIds().length;
  }

  @Override
  public int dim() {
    return DIM;
  }

  @Override
  public String id() {
    return variant.id();
  }

  @Override
  public Encoded encode(String text) {
    return encodeBatch(List.of(text)).get(0);
  }

  /**
   * Encodes several texts. Each text is its own ONNX call on purpose: the quantized model uses
   * dynamic quantization, whose per-tensor scale is computed over the whole batch, so a text's
   * embedding would depend on what else (and how much padding) shares its batch. One call per
   * text keeps embeddings identical between training, batch and single scoring.
   */
  public List<Encoded> encodeBatch(List<String> texts) {
    Worker w = worker();
    List<Encoded> out = new ArrayList<>(texts.size());
    for (String text : texts) {
      long[] full = w.tokenizer.encode(text).getIds();
      try {
        out.add(new Encoded(w.predictor.predict(HeadTailTruncation.apply(full, MAX_TOKENS)), full.length));
      } catch (TranslateException | RuntimeException e) {
        throw new ClassifierException("encoder inference failed: " + e.getMessage(), e);
      }
    }
    return out;
  }

  private Worker worker() {
    if (closed) {
      throw new ClassifierException("encoder is closed");
    }
    return perThread.get();
  }

  private Worker newWorker() {
    try {
      // The jar's tokenizer.json pads/truncates to 128; both are switched off here: truncation is
      // done head+tail by HeadTailTruncation, and a prompt is never padded (one per call).
      HuggingFaceTokenizer tokenizer = HuggingFaceTokenizer.newInstance(
          new ByteArrayInputStream(tokenizerJson),
          Map.of("addSpecialTokens", "true", "truncation", "false", "padding", "false",
              "maxLength", String.valueOf(Integer.MAX_VALUE / 2)));
      Worker w = new Worker(tokenizer, model.newPredictor(new EmbeddingTranslator()));
      workers.add(w);
      return w;
    } catch (IOException | RuntimeException e) {
      throw new ClassifierException("cannot create encoder worker: " + e.getMessage(), e);
    }
  }

  @Override
  public void close() {
    closed = true;
    Worker w;
    while ((w = workers.poll()) != null) {
      w.predictor.close();
      w.tokenizer.close();
    }
    model.close();
  }

  private record Worker(HuggingFaceTokenizer tokenizer, Predictor<long[], float[]> predictor) {}

  /**
   * Runs BERT on one unpadded id sequence, mean-pools over its tokens and L2-normalises. One
   * sequence per call by design: the graph has no attention mask any more (EncoderGraphs), so a
   * padded batch would be wrong.
   */
  private static final class EmbeddingTranslator implements NoBatchifyTranslator<long[], float[]> {

    @Override
    public NDList processInput(TranslatorContext ctx, long[] ids) {
      long[] mask = new long[ids.length];
      java.util.Arrays.fill(mask, 1);
      NDManager m = ctx.getNDManager();
      Shape shape = new Shape(1, ids.length);
      NDArray a = m.create(ids, shape);
      a.setName("input_ids");
      NDArray b = m.create(mask, shape);
      b.setName("attention_mask");
      NDArray c = m.zeros(shape, ai.djl.ndarray.types.DataType.INT64);
      c.setName("token_type_ids");
      return new NDList(a, b, c);
    }

    @Override
    public float[] processOutput(TranslatorContext ctx, NDList out) {
      float[] h = out.get(0).toFloatArray(); // last_hidden_state [1, L, 384]
      int len = h.length / DIM;
      double[] sum = new double[DIM];
      for (int t = 0; t < len; t++) {
        int base = t * DIM;
        for (int d = 0; d < DIM; d++) {
          sum[d] += h[base + d];
        }
      }
      double norm = 0;
      for (int d = 0; d < DIM; d++) {
        sum[d] /= Math.max(len, 1);
        norm += sum[d] * sum[d];
      }
      norm = Math.max(Math.sqrt(norm), 1e-12);
      float[] e = new float[DIM];
      for (int d = 0; d < DIM; d++) {
        e[d] = (float) (sum[d] / norm);
      }
      return e;
    }
  }
}
