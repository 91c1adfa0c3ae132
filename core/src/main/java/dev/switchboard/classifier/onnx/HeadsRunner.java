package dev.switchboard.classifier.onnx;

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
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.util.Map;
import java.util.concurrent.ConcurrentLinkedQueue;

/**
 * Runs a heads ONNX file (see {@code HeadsOnnx}) through DJL's OnnxRuntime engine. Thread-safe
 * via one predictor per calling thread.
 */
public final class HeadsRunner implements AutoCloseable {

  /**
   * Outputs for a batch: {@code difficulty[n]}, {@code quality[n][k]} and, when the graph has an
   * IRT head ({@code RouterOnnx}), each prompt's discrimination {@code irtA[n]} and difficulty
   * {@code irtB[n]} (null otherwise).
   */
  public record Output(double[] difficulty, double[][] quality, double[] irtA, double[] irtB) {}

  private final Model model;
  private final String source;
  private final int inputWidth;
  private final int qualityWidth;
  private final ConcurrentLinkedQueue<Predictor<float[][], Output>> all = new ConcurrentLinkedQueue<>();
  private final ThreadLocal<Predictor<float[][], Output>> perThread;

  private HeadsRunner(Model model, String source, int inputWidth) {
    this.model = model;
    this.source = source;
    this.inputWidth = inputWidth;
    this.perThread = ThreadLocal.withInitial(() -> {
      Predictor<float[][], Output> p = model.newPredictor(new HeadsTranslator());
      all.add(p);
      return p;
    });
    // A probe row tells us the real output widths; a card/onnx mismatch then fails at load time.
    Output probe = run(new float[][] {new float[inputWidth]});
    if (probe.difficulty().length != 1 || probe.quality().length != 1) {
      throw new ClassifierException(source + ": unexpected output shapes");
    }
    this.qualityWidth = probe.quality()[0].length;
  }

  /**
   * @param onnx the file's bytes
   * @param source file name for error messages
   * @param inputWidth D the caller will feed (from the card); a mismatch fails here
   */
  public static HeadsRunner load(byte[] onnx, String source, int inputWidth, int intraOpThreads) {
    Model model = Model.newInstance("heads", "OnnxRuntime");
    try {
      model.load(new ByteArrayInputStream(onnx), Map.of(
          "intraOpNumThreads", String.valueOf(intraOpThreads), "interOpNumThreads", "1"));
      return new HeadsRunner(model, source, inputWidth);
    } catch (IOException | MalformedModelException | RuntimeException e) {
      model.close();
      if (e instanceof ClassifierException ce) {
        throw ce;
      }
      throw new ClassifierException(source + " is not a loadable heads ONNX model (input width "
          + inputWidth + "): " + firstLine(e.getMessage()), e);
    }
  }

  private static String firstLine(String s) {
    if (s == null) {
      return "no detail";
    }
    int nl = s.indexOf('\n');
    return nl < 0 ? s : s.substring(0, nl);
  }

  public int qualityWidth() {
    return qualityWidth;
  }

  public int inputWidth() {
    return inputWidth;
  }

  public Output run(float[][] features) {
    for (float[] row : features) {
      if (row.length != inputWidth) {
        throw new ClassifierException(source + ": feature row has width " + row.length + ", model expects " + inputWidth);
      }
    }
    try {
      return perThread.get().predict(features);
    } catch (TranslateException | RuntimeException e) {
      throw new ClassifierException(source + ": inference failed: " + firstLine(e.getMessage()), e);
    }
  }

  @Override
  public void close() {
    Predictor<float[][], Output> p;
    while ((p = all.poll()) != null) {
      p.close();
    }
    model.close();
  }

  private final class HeadsTranslator implements NoBatchifyTranslator<float[][], Output> {

    @Override
    public NDList processInput(TranslatorContext ctx, float[][] rows) {
      float[] flat = new float[rows.length * inputWidth];
      for (int i = 0; i < rows.length; i++) {
        System.arraycopy(rows[i], 0, flat, i * inputWidth, inputWidth);
      }
      NDArray x = ctx.getNDManager().create(flat, new Shape(rows.length, inputWidth));
      x.setName(RouterGraph.INPUT);
      return new NDList(x);
    }

    @Override
    public Output processOutput(TranslatorContext ctx, NDList list) {
      NDArray d = byName(list, RouterGraph.DIFFICULTY, 0);
      NDArray q = byName(list, RouterGraph.QUALITY, 1);
      int n = (int) d.getShape().get(0);
      if (d.getShape().dimension() != 2 || d.getShape().get(1) != 1 || q.getShape().dimension() != 2
          || q.getShape().get(0) != n) {
        throw new ClassifierException(source + ": outputs have shapes " + d.getShape() + " and " + q.getShape()
            + ", expected [N,1] and [N,K]");
      }
      int k = (int) q.getShape().get(1);
      float[] df = d.toFloatArray();
      float[] qf = q.toFloatArray();
      double[] difficulty = new double[n];
      double[][] quality = new double[n][k];
      for (int i = 0; i < n; i++) {
        difficulty[i] = df[i];
        for (int j = 0; j < k; j++) {
          quality[i][j] = qf[i * k + j];
        }
      }
      return new Output(difficulty, quality, column(list, RouterGraph.IRT_A, n), column(list, RouterGraph.IRT_B, n));
    }

    /** An optional [N, 1] output as a column, or null when the graph has none. */
    private double[] column(NDList list, String name, int n) {
      for (NDArray a : list) {
        if (name.equals(a.getName())) {
          float[] f = a.toFloatArray();
          if (f.length != n) {
            throw new ClassifierException(source + ": output '" + name + "' has shape " + a.getShape() + ", expected [N,1]");
          }
          double[] out = new double[n];
          for (int i = 0; i < n; i++) {
            out[i] = f[i];
          }
          return out;
        }
      }
      return null;
    }

    private NDArray byName(NDList list, String name, int fallback) {
      for (NDArray a : list) {
        if (name.equals(a.getName())) {
          return a;
        }
      }
      if (list.size() <= fallback) {
        throw new ClassifierException(source + ": model has no output '" + name + "'");
      }
      return list.get(fallback);
    }
  }
}
