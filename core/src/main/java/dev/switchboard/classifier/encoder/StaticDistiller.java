package dev.switchboard.classifier.encoder;

import dev.switchboard.classifier.base.Jackson;
import dev.switchboard.classifier.onnx.EncoderGraphs;
import ai.djl.MalformedModelException;
import ai.djl.Model;
import ai.djl.inference.Predictor;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.translate.NoBatchifyTranslator;
import ai.djl.translate.TranslateException;
import ai.djl.translate.TranslatorContext;
import com.fasterxml.jackson.databind.JsonNode;
import dev.switchboard.classifier.base.ClassifierException;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.util.Map;
import java.util.function.Consumer;
import org.apache.commons.math3.linear.Array2DRowRealMatrix;
import org.apache.commons.math3.linear.EigenDecomposition;

/**
 * Distils MiniLM into a static token table, the Model2Vec recipe done with what we ship, no
 * training data:
 *
 * <ol>
 *   <li>every vocabulary id {@code v} goes through the fp32 encoder alone, as {@code [CLS] v [SEP]};
 *       its vector is the mean of the three output positions (fp32, so a batch of equal-length
 *       inputs gives the same vectors as one at a time, and other CPUs the same up to rounding);
 *   <li>the {@code [unusedN]} rows (never produced by the tokenizer) are dropped, the rest centred
 *       and reduced by PCA to {@code dim} components (eigenvector signs fixed so that each one's
 *       largest component is positive: the table does not depend on the eigensolver's whims);
 *   <li>row {@code r} is weighted by {@code a / (a + p(r))} with {@code p(r)} proportional to
 *       {@code 1 / (r + 2)}, {@code a = 1e-4}: WordPiece ids are roughly frequency-ordered, so
 *       frequent, uninformative tokens count less (Zipf weighting; measured within noise of real
 *       token counts).
 * </ol>
 *
 * <p>Measured on this project's routing data: the table routes as well as MiniLM itself
 * (../README "Encoders"), at microseconds instead of milliseconds per prompt.
 */
final class StaticDistiller {

  /** The recipe, hashed into the encoder's identity: change it and every card notices. */
  public static final String RECIPE = "model2vec/v1: fp32 [CLS] v [SEP] mean of 3; drop [unusedN]; center; PCA; zipf a=1e-4 p~1/(r+2)";
  static final double ZIPF_A = 1e-4;
  private static final int BATCH = 256;

  /** What distillation produced. */
  public record Result(StaticTable table, double varianceKept, int droppedRows, double seconds) {}

  private StaticDistiller() {}

  /**
   * Distils the table.
   *
   * @param dim output width (at most 384)
   * @param threads ONNX Runtime intra-op threads
   */
  public static Result distill(int dim, int threads, Consumer<String> log) {
    if (dim < 8 || dim > MiniLmEncoder.DIM) {
      throw new ClassifierException("static encoder dims must be in [8, " + MiniLmEncoder.DIM + "], was " + dim);
    }
    long t0 = System.nanoTime();
    byte[] tokenizer = MiniLmEncoder.resource(EncoderVariant.FP32, EncoderVariant.FP32.tokenizerResource());
    String[] vocab = vocabulary(tokenizer);
    int rows = vocab.length;
    float[] raw = tokenVectors(rows, threads, log);
    boolean[] keep = new boolean[rows];
    int dropped = 0;
    for (int r = 0; r < rows; r++) {
      keep[r] = vocab[r] != null && !vocab[r].startsWith("[unused");
      dropped += keep[r] ? 0 : 1;
    }
    int h = MiniLmEncoder.DIM;
    double[] mean = new double[h];
    int kept = rows - dropped;
    for (int r = 0; r < rows; r++) {
      if (keep[r]) {
        for (int d = 0; d < h; d++) {
          mean[d] += raw[r * h + d];
        }
      }
    }
    for (int d = 0; d < h; d++) {
      mean[d] /= kept;
    }
    double[][] cov = new double[h][h];
    double[] x = new double[h];
    for (int r = 0; r < rows; r++) {
      if (!keep[r]) {
        continue;
      }
      for (int d = 0; d < h; d++) {
        x[d] = raw[r * h + d] - mean[d];
      }
      for (int i = 0; i < h; i++) {
        double xi = x[i];
        double[] ci = cov[i];
        for (int j = i; j < h; j++) {
          ci[j] += xi * x[j];
        }
      }
    }
    for (int i = 0; i < h; i++) {
      for (int j = i; j < h; j++) {
        cov[i][j] /= kept - 1;
        cov[j][i] = cov[i][j];
      }
    }
    log.accept("PCA of " + kept + " token vectors (" + dropped + " [unusedN] rows dropped)");
    EigenDecomposition eig = new EigenDecomposition(new Array2DRowRealMatrix(cov, false));
    double[] values = eig.getRealEigenvalues();
    Integer[] order = new Integer[h];
    for (int i = 0; i < h; i++) {
      order[i] = i;
    }
    java.util.Arrays.sort(order, (a, b) -> Double.compare(values[b], values[a]));
    double total = 0;
    double top = 0;
    for (int i = 0; i < h; i++) {
      total += Math.max(values[i], 0);
    }
    double[][] basis = new double[dim][];
    for (int k = 0; k < dim; k++) {
      double[] v = eig.getEigenvector(order[k]).toArray();
      int arg = 0;
      for (int d = 1; d < h; d++) {
        if (Math.abs(v[d]) > Math.abs(v[arg])) {
          arg = d;
        }
      }
      if (v[arg] < 0) {
        for (int d = 0; d < h; d++) {
          v[d] = -v[d];
        }
      }
      basis[k] = v;
      top += Math.max(values[order[k]], 0);
    }
    double[] p = new double[rows];
    double z = 0;
    for (int r = 0; r < rows; r++) {
      p[r] = 1.0 / (r + 2);
      z += p[r];
    }
    float[] table = new float[rows * dim];
    for (int r = 0; r < rows; r++) {
      if (!keep[r]) {
        continue; // stays zero
      }
      double w = ZIPF_A / (ZIPF_A + p[r] / z);
      for (int d = 0; d < h; d++) {
        x[d] = raw[r * h + d] - mean[d];
      }
      for (int k = 0; k < dim; k++) {
        double s = 0;
        double[] b = basis[k];
        for (int d = 0; d < h; d++) {
          s += x[d] * b[d];
        }
        table[r * dim + k] = (float) (s * w);
      }
    }
    double secs = (System.nanoTime() - t0) / 1e9;
    return new Result(new StaticTable(rows, dim, table), top / total, dropped, secs);
  }

  /** Token strings by id from a HuggingFace tokenizer.json (WordPiece vocab). */
  static String[] vocabulary(byte[] tokenizerJson) {
    try {
      JsonNode vocab = Jackson.JSON.readTree(tokenizerJson).path("model").path("vocab");
      if (!vocab.isObject() || vocab.isEmpty()) {
        throw new ClassifierException("tokenizer.json has no model.vocab object");
      }
      String[] out = new String[vocab.size()];
      vocab.fields().forEachRemaining(e -> {
        int id = e.getValue().asInt(-1);
        if (id < 0 || id >= out.length) {
          throw new ClassifierException("tokenizer.json: vocab id " + id + " out of range for token " + e.getKey());
        }
        out[id] = e.getKey();
      });
      return out;
    } catch (IOException e) {
      throw new ClassifierException("cannot read tokenizer.json: " + e.getMessage(), e);
    }
  }

  /** Every id through the fp32 encoder as [CLS] id [SEP]; the mean of the three outputs, row-major. */
  private static float[] tokenVectors(int rows, int threads, Consumer<String> log) {
    byte[] onnx = MiniLmEncoder.resource(EncoderVariant.FP32, EncoderVariant.FP32.onnxResource());
    int h = MiniLmEncoder.DIM;
    float[] out = new float[rows * h];
    try (Model model = Model.newInstance("minilm-fp32-distill", "OnnxRuntime")) {
      // All sequences are three real tokens: the mask is all ones, so the mask-free graph is exact.
      model.load(new ByteArrayInputStream(EncoderGraphs.withoutPaddingMask(onnx, "attention_mask").model()),
          Map.of("intraOpNumThreads", String.valueOf(threads), "interOpNumThreads", "1"));
      try (Predictor<long[][], float[]> predictor = model.newPredictor(new TripleTranslator())) {
        long t0 = System.nanoTime();
        for (int start = 0; start < rows; start += BATCH) {
          int n = Math.min(BATCH, rows - start);
          long[][] batch = new long[n][];
          for (int i = 0; i < n; i++) {
            batch[i] = new long[] {MiniLmEncoder.CLS, start + i, MiniLmEncoder.SEP};
          }
          float[] means = predictor.predict(batch);
          System.arraycopy(means, 0, out, start * h, n * h);
          if ((start / BATCH) % 20 == 0) {
            log.accept(String.format("encoded %d/%d vocabulary ids (%.1f s)", start + n, rows, (System.nanoTime() - t0) / 1e9));
          }
        }
      }
    } catch (IOException | MalformedModelException | TranslateException e) {
      throw new ClassifierException("static encoder distillation failed: " + e.getMessage(), e);
    }
    return out;
  }

  /** {@code long[B][3]} ids in, the mean of each sequence's three output vectors out ({@code [B * 384]}). */
  private static final class TripleTranslator implements NoBatchifyTranslator<long[][], float[]> {
    @Override
    public NDList processInput(TranslatorContext ctx, long[][] ids) {
      int b = ids.length;
      long[] flat = new long[b * 3];
      for (int i = 0; i < b; i++) {
        System.arraycopy(ids[i], 0, flat, i * 3, 3);
      }
      long[] ones = new long[flat.length];
      java.util.Arrays.fill(ones, 1);
      NDManager m = ctx.getNDManager();
      Shape shape = new Shape(b, 3);
      var a = m.create(flat, shape);
      a.setName("input_ids");
      var mask = m.create(ones, shape);
      mask.setName("attention_mask");
      var types = m.zeros(shape, DataType.INT64);
      types.setName("token_type_ids");
      return new NDList(a, mask, types);
    }

    @Override
    public float[] processOutput(TranslatorContext ctx, NDList out) {
      float[] hs = out.get(0).toFloatArray(); // [B, 3, 384]
      int h = MiniLmEncoder.DIM;
      int b = hs.length / (3 * h);
      float[] means = new float[b * h];
      for (int i = 0; i < b; i++) {
        for (int d = 0; d < h; d++) {
          int base = i * 3 * h + d;
          means[i * h + d] = (hs[base] + hs[base + h] + hs[base + 2 * h]) / 3f;
        }
      }
      return means;
    }
  }
}
