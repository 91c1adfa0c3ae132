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
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentLinkedQueue;

/**
 * Runs a router graph ({@code classifier.onnx}, see {@code HeadsOnnx}/{@code RouterOnnx}): in plain
 * Java ({@link JavaGraph}) unless told to use ONNX Runtime or the graph has an operator the Java
 * evaluator lacks, then through DJL's OnnxRuntime engine. Both give the same numbers (tests hold
 * them within 1e-5); Java saves the native call, ~20 µs however small the graph. Thread-safe: the
 * Java graph is immutable, ONNX Runtime gets one predictor per calling thread.
 */
public final class HeadsRunner implements AutoCloseable {

  /**
   * Outputs for a batch: {@code difficulty[n]}, {@code quality[n][k]} and, when the graph has an
   * IRT head ({@code RouterOnnx}), each prompt's discrimination {@code irtA[n]} and difficulty
   * {@code irtB[n]} (null otherwise).
   */
  public record Output(double[] difficulty, double[][] quality, double[] irtA, double[] irtB) {}

  /** One output as both runtimes give it: its values row-major and its shape. */
  private record Named(float[] values, long[] shape) {}

  /** Exactly one of the two is set. */
  private final JavaGraph graph;
  private final Model model;
  private final String source;
  private final int inputWidth;
  private final int qualityWidth;
  private final ConcurrentLinkedQueue<Predictor<float[][], Output>> all = new ConcurrentLinkedQueue<>();
  private final ThreadLocal<Predictor<float[][], Output>> perThread;

  private HeadsRunner(JavaGraph graph, Model model, String source, int inputWidth) {
    this.graph = graph;
    this.model = model;
    this.source = source;
    this.inputWidth = inputWidth;
    this.perThread = model == null ? null : ThreadLocal.withInitial(() -> {
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

  /** As {@link #load(byte[], String, int, int, boolean)} in plain Java where the graph allows. */
  public static HeadsRunner load(byte[] onnx, String source, int inputWidth, int intraOpThreads) {
    return load(onnx, source, inputWidth, intraOpThreads, false);
  }

  /**
   * @param onnx the file's bytes
   * @param source file name for error messages
   * @param inputWidth D the caller will feed (from the card); a mismatch fails here
   * @param onnxRuntime run the graph in ONNX Runtime even when the Java evaluator could
   */
  public static HeadsRunner load(byte[] onnx, String source, int inputWidth, int intraOpThreads, boolean onnxRuntime) {
    if (!onnxRuntime) {
      JavaGraph graph = null;
      try {
        graph = JavaGraph.parse(onnx);
      } catch (ClassifierException unsupported) { // parse wraps unreadable bytes as ClassifierException too
        // An operator the Java evaluator lacks (or bytes it cannot read): ONNX Runtime decides below.
      }
      if (graph != null) {
        try {
          return new HeadsRunner(graph, null, source, inputWidth);
        } catch (RuntimeException e) {
          throw e instanceof ClassifierException ce ? ce : new ClassifierException(source
              + " is not a loadable heads ONNX model (input width " + inputWidth + "): " + firstLine(e.getMessage()), e);
        }
      }
    }
    Model model = Model.newInstance("heads", "OnnxRuntime");
    try {
      model.load(new ByteArrayInputStream(onnx), Map.of(
          "intraOpNumThreads", String.valueOf(intraOpThreads), "interOpNumThreads", "1"));
      return new HeadsRunner(null, model, source, inputWidth);
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

  /** True when the graph runs in plain Java (no native call per batch). */
  public boolean inJava() {
    return graph != null;
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
      if (graph != null) {
        return runInJava(features);
      }
      return perThread.get().predict(features);
    } catch (TranslateException | RuntimeException e) {
      throw new ClassifierException(source + ": inference failed: " + firstLine(e.getMessage()), e);
    }
  }

  private Output runInJava(float[][] rows) {
    Map<String, Tensor> out = graph.run(Map.of(RouterGraph.INPUT, Tensor.of(flatten(rows), rows.length, inputWidth)));
    Map<String, Named> named = new java.util.HashMap<>();
    out.forEach((name, t) -> {
      long[] shape = new long[t.shape().length];
      for (int i = 0; i < shape.length; i++) shape[i] = t.shape()[i];
      named.put(name, new Named(t.floats(), shape));
    });
    return output(named, graph.outputNames());
  }

  private float[] flatten(float[][] rows) {
    float[] flat = new float[rows.length * inputWidth];
    for (int i = 0; i < rows.length; i++) {
      System.arraycopy(rows[i], 0, flat, i * inputWidth, inputWidth);
    }
    return flat;
  }

  /**
   * The outputs by name ({@code order}: the graph's output order, the fallback for a graph whose
   * difficulty and quality are unnamed), checked for shape.
   */
  private Output output(Map<String, Named> named, List<String> order) {
    Named d = byName(named, order, RouterGraph.DIFFICULTY, 0);
    Named q = byName(named, order, RouterGraph.QUALITY, 1);
    int n = (int) d.shape()[0];
    if (d.shape().length != 2 || d.shape()[1] != 1 || q.shape().length != 2 || q.shape()[0] != n) {
      throw new ClassifierException(source + ": outputs have shapes " + java.util.Arrays.toString(d.shape()) + " and "
          + java.util.Arrays.toString(q.shape()) + ", expected [N,1] and [N,K]");
    }
    int k = (int) q.shape()[1];
    double[] difficulty = new double[n];
    double[][] quality = new double[n][k];
    for (int i = 0; i < n; i++) {
      difficulty[i] = d.values()[i];
      for (int j = 0; j < k; j++) {
        quality[i][j] = q.values()[i * k + j];
      }
    }
    return new Output(difficulty, quality, column(named, RouterGraph.IRT_A, n), column(named, RouterGraph.IRT_B, n));
  }

  /** An optional [N, 1] output as a column, or null when the graph has none. */
  private double[] column(Map<String, Named> named, String name, int n) {
    Named a = named.get(name);
    if (a == null) {
      return null;
    }
    if (a.values().length != n) {
      throw new ClassifierException(source + ": output '" + name + "' has shape " + java.util.Arrays.toString(a.shape())
          + ", expected [N,1]");
    }
    double[] out = new double[n];
    for (int i = 0; i < n; i++) {
      out[i] = a.values()[i];
    }
    return out;
  }

  private Named byName(Map<String, Named> named, List<String> order, String name, int fallback) {
    Named a = named.get(name);
    if (a != null) {
      return a;
    }
    if (order.size() <= fallback) {
      throw new ClassifierException(source + ": model has no output '" + name + "'");
    }
    return named.get(order.get(fallback));
  }

  @Override
  public void close() {
    Predictor<float[][], Output> p;
    while ((p = all.poll()) != null) {
      p.close();
    }
    if (model != null) {
      model.close();
    }
  }

  private final class HeadsTranslator implements NoBatchifyTranslator<float[][], Output> {

    @Override
    public NDList processInput(TranslatorContext ctx, float[][] rows) {
      NDArray x = ctx.getNDManager().create(flatten(rows), new Shape(rows.length, inputWidth));
      x.setName(RouterGraph.INPUT);
      return new NDList(x);
    }

    @Override
    public Output processOutput(TranslatorContext ctx, NDList list) {
      Map<String, Named> named = new java.util.HashMap<>();
      List<String> order = new java.util.ArrayList<>();
      for (int i = 0; i < list.size(); i++) {
        NDArray a = list.get(i);
        String name = a.getName() != null ? a.getName() : "#" + i;
        order.add(name);
        named.put(name, new Named(a.toFloatArray(), a.getShape().getShape()));
      }
      return output(named, order);
    }
  }
}
