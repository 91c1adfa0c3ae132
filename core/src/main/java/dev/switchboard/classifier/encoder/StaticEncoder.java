package dev.switchboard.classifier.encoder;

import dev.switchboard.classifier.onnx.StaticEncoderOnnx;
import ai.djl.MalformedModelException;
import ai.djl.Model;
import ai.djl.inference.Predictor;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.types.Shape;
import ai.djl.translate.NoBatchifyTranslator;
import ai.djl.translate.TranslateException;
import ai.djl.translate.TranslatorContext;
import dev.switchboard.classifier.base.ClassifierException;
import dev.switchboard.classifier.text.WordPieceTokenizer;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentLinkedQueue;

/**
 * The static encoder: WordPiece ids (plain Java, the MiniLM vocabulary) looked up in a table
 * distilled from MiniLM ({@link StaticDistiller}) and averaged, served as an ONNX graph through DJL
 * ({@link StaticEncoderOnnx}). Word order is lost, which measured routing quality does not miss;
 * what it buys is speed: no transformer per prompt, so a prompt costs its tokenisation plus one
 * table lookup per token. With a token budget ({@code minilm-static-256-t64}) only the first and
 * last halves of the budget are read: a mean of table rows is a bag of words, and a sample from
 * both ends of a prompt carries its topic and vocabulary as well as the whole (measured: routing
 * quality within noise on every shipped dataset), while scoring costs the same for 50 tokens or
 * 50,000. Without one every token counts, up to {@link dev.switchboard.classifier.text.PromptText}'s cap.
 *
 * <p>Opened in plain Java ({@code onnxRuntime = false}, what the gateway serves with) the graph is
 * not loaded at all and {@link StaticTable#embed} computes the embedding: the same numbers (tests
 * hold the two within 1e-5) without a native call, which costs more than the lookup itself.
 *
 * <p>Thread-safe: one DJL predictor per calling thread, the tokenizer is immutable.
 */
public final class StaticEncoder implements Encoder {

  /** Above this, a prompt's token count is estimated from its length rather than counted. */
  private static final double CHARS_PER_TOKEN = 4.0;

  private final StaticManifest manifest;
  /** Tokens read per prompt, [CLS]/[SEP] not counted; 0: every token. */
  private final int maxTokens;
  private final StaticTable table;
  private final WordPieceTokenizer tokenizer;
  /** Null when the encoder computes in plain Java. */
  private final Model model;
  private final ConcurrentLinkedQueue<Predictor<?, ?>> predictors = new ConcurrentLinkedQueue<>();
  private final ThreadLocal<Predictor<BagOfIds, float[]>> perThread;
  private final ThreadLocal<Predictor<BatchBag, float[][]>> perThreadBatch;
  private final ThreadLocal<BagOfIds> bags;
  private final ThreadLocal<BatchBag> batches;
  private volatile boolean closed;

  private StaticEncoder(StaticManifest manifest, int maxTokens, StaticTable table, WordPieceTokenizer tokenizer,
      Model model) {
    this.manifest = manifest;
    this.maxTokens = maxTokens;
    this.table = table;
    this.tokenizer = tokenizer;
    this.model = model;
    this.perThread = ThreadLocal.withInitial(() -> {
      Predictor<BagOfIds, float[]> p = model.newPredictor(new BagTranslator());
      predictors.add(p);
      return p;
    });
    this.perThreadBatch = ThreadLocal.withInitial(() -> {
      Predictor<BatchBag, float[][]> p = model.newPredictor(new BatchTranslator(table.dim()));
      predictors.add(p);
      return p;
    });
    this.bags = ThreadLocal.withInitial(() -> new BagOfIds(table.rows()));
    this.batches = ThreadLocal.withInitial(() -> new BatchBag(table.rows()));
  }

  /**
   * Loads a distilled encoder.
   *
   * @param onnx the encoder graph written by {@link StaticEncoderOnnx#export}
   * @param intraOpThreads ONNX Runtime intra-op threads
   * @param onnxRuntime run the graph in ONNX Runtime; false: compute the same in plain Java
   * @param maxTokens tokens read per prompt (its first and last halves); 0: every token
   */
  public static StaticEncoder load(StaticManifest manifest, byte[] onnx, int intraOpThreads, boolean onnxRuntime,
      int maxTokens) {
    if (maxTokens < 0) {
      throw new ClassifierException("static encoder token budget must be >= 0, was " + maxTokens);
    }
    StaticTable table;
    try {
      table = StaticTable.of(StaticEncoderOnnx.readTable(onnx));
    } catch (IllegalArgumentException e) {
      throw new ClassifierException("static encoder " + manifest.id() + ": " + e.getMessage(), e);
    }
    if (table.dim() != manifest.dim()) {
      throw new ClassifierException("static encoder " + manifest.id() + ": table has width " + table.dim()
          + " but encoder.json says " + manifest.dim());
    }
    WordPieceTokenizer tokenizer = tokenizer();
    if (tokenizer.vocabSize() != table.rows()) {
      throw new ClassifierException("static encoder " + manifest.id() + ": table has " + table.rows()
          + " rows but the tokenizer's vocabulary has " + tokenizer.vocabSize());
    }
    if (!onnxRuntime) {
      return new StaticEncoder(manifest, maxTokens, table, tokenizer, null);
    }
    Model model = Model.newInstance(manifest.id(), "OnnxRuntime");
    try {
      model.load(new ByteArrayInputStream(onnx), Map.of(
          "intraOpNumThreads", String.valueOf(intraOpThreads), "interOpNumThreads", "1"));
    } catch (IOException | MalformedModelException | RuntimeException e) {
      model.close();
      throw new ClassifierException("cannot load static encoder " + manifest.id() + ": " + e.getMessage(), e);
    }
    return new StaticEncoder(manifest, maxTokens, table, tokenizer, model);
  }

  /** The MiniLM vocabulary's tokenizer (the same file ships in both MiniLM jars). */
  static WordPieceTokenizer tokenizer() {
    try {
      return WordPieceTokenizer.fromClasspath(EncoderVariant.QUANTIZED.tokenizerResource());
    } catch (IllegalArgumentException e) {
      throw new ClassifierException("cannot load the MiniLM tokenizer: " + e.getMessage() + " (add "
          + EncoderVariant.QUANTIZED.artifact() + ")", e);
    }
  }

  public StaticManifest manifest() {
    return manifest;
  }

  public StaticTable table() {
    return table;
  }

  @Override
  public boolean inJava() {
    return model == null;
  }

  @Override
  public int dim() {
    return table.dim();
  }

  @Override
  public String id() {
    return StaticManifest.idFor(manifest.dim(), maxTokens);
  }

  /** Tokens read per prompt ([CLS]/[SEP] not counted); 0: every token. */
  public int maxTokens() {
    return maxTokens;
  }

  /**
   * The ids this encoder reads from {@code text}, [CLS] and [SEP] included, and the prompt's token
   * count for the features: exact when the whole text was tokenised, else estimated from its
   * length (a long prompt is tokenised only at both ends, which is the point of the budget).
   */
  private Ids ids(String text) {
    if (maxTokens == 0) {
      int[] ids = tokenizer.encode(text);
      return new Ids(ids, ids.length);
    }
    int budget = maxTokens + 2;
    if (text.length() <= 4L * budget) { // the tokenizer would tokenise it all anyway: count it
      int[] all = tokenizer.encode(text);
      return new Ids(HeadTailTruncation.apply(all, budget), all.length);
    }
    return new Ids(tokenizer.encode(text, budget), (int) Math.round(text.length() / CHARS_PER_TOKEN));
  }

  private record Ids(int[] ids, int count) {}

  @Override
  public String sha256() {
    return manifest.sha256();
  }

  @Override
  public Encoded encode(String text) {
    if (closed) {
      throw new ClassifierException("encoder is closed");
    }
    if (model == null) {
      return encodeInJava(text);
    }
    Ids read = ids(text);
    int n = contentIds(read.ids());
    if (n == 0) {
      return new Encoded(new float[table.dim()], read.count());
    }
    try {
      return new Encoded(perThread.get().predict(bags.get().of(read.ids(), n)), read.count());
    } catch (TranslateException | RuntimeException e) {
      throw new ClassifierException("static encoder inference failed: " + e.getMessage(), e);
    }
  }

  /**
   * One graph call for all the texts: the union of their distinct ids and a row of weights per
   * text ({@link BatchBag}). Empty texts get zeros without a call, as in {@link #encode}.
   */
  @Override
  public List<Encoded> encodeBatch(List<String> texts) {
    if (model == null) {
      return texts.stream().map(this::encodeInJava).toList();
    }
    if (texts.size() == 1) {
      return List.of(encode(texts.get(0)));
    }
    if (closed) {
      throw new ClassifierException("encoder is closed");
    }
    Encoded[] out = new Encoded[texts.size()];
    int[] tokenCounts = new int[texts.size()];
    int[] row = new int[texts.size()];
    BagOfIds bag = bags.get();
    BatchBag batch = batches.get().clear();
    for (int i = 0; i < texts.size(); i++) {
      Ids read = ids(texts.get(i));
      tokenCounts[i] = read.count();
      int n = contentIds(read.ids());
      if (n == 0) {
        out[i] = new Encoded(new float[table.dim()], read.count());
        row[i] = -1;
      } else {
        row[i] = batch.rows();
        batch.add(bag.of(read.ids(), n));
      }
    }
    if (batch.rows() > 0) {
      float[][] embeddings;
      try {
        embeddings = perThreadBatch.get().predict(batch);
      } catch (TranslateException | RuntimeException e) {
        throw new ClassifierException("static encoder inference failed: " + e.getMessage(), e);
      }
      for (int i = 0; i < out.length; i++) {
        if (row[i] >= 0) {
          out[i] = new Encoded(embeddings[row[i]], tokenCounts[i]);
        }
      }
    }
    return List.of(out);
  }

  /** The same embedding computed in plain Java ({@link StaticTable#embed}); training uses this. */
  public Encoded encodeInJava(String text) {
    if (closed) {
      throw new ClassifierException("encoder is closed");
    }
    Ids read = ids(text);
    int n = contentIds(read.ids());
    return new Encoded(table.embed(bags.get().of(read.ids(), n)), read.count());
  }

  /**
   * Moves the ids that carry content to the front of {@code ids} and returns their count: the
   * special tokens ([PAD], [UNK], [CLS], [SEP], [MASK]) say nothing about the prompt.
   */
  public static int contentIds(int[] ids) {
    int n = 0;
    for (int id : ids) {
      if (id != MiniLmEncoder.PAD && id != MiniLmEncoder.UNK && id != MiniLmEncoder.CLS
          && id != MiniLmEncoder.SEP && id != MiniLmEncoder.MASK) {
        ids[n++] = id;
      }
    }
    return n;
  }

  @Override
  public void close() {
    closed = true;
    Predictor<?, ?> p;
    while ((p = predictors.poll()) != null) {
      p.close();
    }
    if (model != null) {
      model.close();
    }
  }

  /** A prompt's distinct ids and their shares in, the embedding out. */
  private static final class BagTranslator implements NoBatchifyTranslator<BagOfIds, float[]> {
    @Override
    public NDList processInput(TranslatorContext ctx, BagOfIds bag) {
      int u = bag.distinct();
      long[] ids = new long[u];
      float[] w = new float[u];
      for (int i = 0; i < u; i++) {
        ids[i] = bag.id(i);
        w[i] = bag.count(i) / (float) bag.total();
      }
      NDArray a = ctx.getNDManager().create(ids, new Shape(u));
      a.setName(StaticEncoderOnnx.INPUT);
      NDArray b = ctx.getNDManager().create(w, new Shape(1, u));
      b.setName(StaticEncoderOnnx.WEIGHTS);
      return new NDList(a, b);
    }

    @Override
    public float[] processOutput(TranslatorContext ctx, NDList out) {
      return out.get(0).toFloatArray();
    }
  }

  /** Several prompts' union of ids and their [prompts, U] weights in, one embedding per prompt out. */
  private static final class BatchTranslator implements NoBatchifyTranslator<BatchBag, float[][]> {
    private final int dim;

    BatchTranslator(int dim) {
      this.dim = dim;
    }

    @Override
    public NDList processInput(TranslatorContext ctx, BatchBag batch) {
      NDArray a = ctx.getNDManager().create(batch.unionIds(), new Shape(batch.distinct()));
      a.setName(StaticEncoderOnnx.INPUT);
      NDArray b = ctx.getNDManager().create(batch.weights(), new Shape(batch.rows(), batch.distinct()));
      b.setName(StaticEncoderOnnx.WEIGHTS);
      return new NDList(a, b);
    }

    @Override
    public float[][] processOutput(TranslatorContext ctx, NDList out) {
      float[] flat = out.get(0).toFloatArray();
      float[][] rows = new float[flat.length / dim][];
      for (int r = 0; r < rows.length; r++) {
        rows[r] = java.util.Arrays.copyOfRange(flat, r * dim, (r + 1) * dim);
      }
      return rows;
    }
  }
}
