package dev.switchboard.classifier.onnx;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.Model;
import ai.djl.inference.Predictor;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.translate.NoBatchifyTranslator;
import ai.djl.translate.TranslatorContext;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.switchboard.classifier.base.ClassifierException;
import dev.switchboard.classifier.features.FeatureSpec;
import dev.switchboard.classifier.heads.HeadsOnnx;
import dev.switchboard.classifier.heads.TrainConfig;
import dev.switchboard.classifier.learn.CategoryPrior;
import dev.switchboard.classifier.learn.Data;
import dev.switchboard.classifier.learn.Fitted;
import dev.switchboard.classifier.learn.Irt;
import dev.switchboard.classifier.learn.Knn;
import dev.switchboard.classifier.learn.Learner;
import dev.switchboard.classifier.learn.LogReg;
import dev.switchboard.classifier.learn.Mlp;
import dev.switchboard.classifier.learn.RouterOnnx;
import dev.switchboard.classifier.learn.Stack;
import java.io.ByteArrayInputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.Test;

/**
 * {@link JavaGraph} against ONNX Runtime (through DJL, not {@link HeadsRunner}, which may itself
 * run the Java evaluator) on every graph family the exporters write, and on hand-made graphs
 * with hand-computed answers.
 */
class JavaGraphTest {

  private static final double TOLERANCE = 1e-5;
  private static final int[] BATCHES = {1, 2, 17};

  // ------------------------------------------------------------ ONNX Runtime as the reference

  /** One ONNX Runtime session over a model; feeds and results by name. */
  static final class Ort implements AutoCloseable {
    private final Model model = Model.newInstance("reference", "OnnxRuntime");
    private final Predictor<Map<String, Tensor>, Map<String, Tensor>> predictor;

    Ort(byte[] onnx) {
      try {
        model.load(new ByteArrayInputStream(onnx), Map.of("intraOpNumThreads", "1", "interOpNumThreads", "1"));
      } catch (Exception e) {
        model.close();
        throw new IllegalStateException(e);
      }
      predictor = model.newPredictor(new NoBatchifyTranslator<>() {
        @Override
        public NDList processInput(TranslatorContext ctx, Map<String, Tensor> feeds) {
          NDManager m = ctx.getNDManager();
          NDList list = new NDList();
          feeds.forEach((name, t) -> {
            Shape shape = new Shape(java.util.Arrays.stream(t.shape()).asLongStream().toArray());
            NDArray a = t.isFloat() ? m.create(t.floats(), shape) : m.create(t.longs(), shape);
            a.setName(name);
            list.add(a);
          });
          return list;
        }

        @Override
        public Map<String, Tensor> processOutput(TranslatorContext ctx, NDList list) {
          Map<String, Tensor> out = new LinkedHashMap<>();
          for (NDArray a : list) {
            int[] shape = java.util.Arrays.stream(a.getShape().getShape()).mapToInt(Math::toIntExact).toArray();
            out.put(a.getName(), a.getDataType() == DataType.INT64
                ? Tensor.ofLongs(a.toLongArray(), shape) : Tensor.of(a.toFloatArray(), shape));
          }
          return out;
        }
      });
    }

    Map<String, Tensor> run(Map<String, Tensor> feeds) {
      try {
        return predictor.predict(feeds);
      } catch (Exception e) {
        throw new IllegalStateException(e);
      }
    }

    @Override
    public void close() {
      predictor.close();
      model.close();
    }
  }

  /** Largest absolute difference of two equally named and shaped result sets (fails on any other mismatch). */
  static double maxDiff(Map<String, Tensor> expected, Map<String, Tensor> actual, String what) {
    assertEquals(expected.keySet(), actual.keySet(), what + ": output names");
    double max = 0;
    for (String name : expected.keySet()) {
      Tensor e = expected.get(name);
      Tensor a = actual.get(name);
      assertArrayEquals(e.shape(), a.shape(), what + ": shape of " + name);
      assertEquals(e.isFloat(), a.isFloat(), what + ": type of " + name);
      if (e.isFloat()) {
        for (int i = 0; i < e.size(); i++) {
          float x = e.floats()[i];
          float y = a.floats()[i];
          assertTrue(Float.isNaN(x) == Float.isNaN(y), what + ": NaN at " + name + "[" + i + "]");
          max = Math.max(max, Float.isNaN(x) ? 0 : Math.abs(x - y));
        }
      } else {
        assertArrayEquals(e.longs(), a.longs(), what + ": " + name);
      }
    }
    return max;
  }

  /** Runs {@code onnx} both ways on each feed set and asserts equal outputs; returns the Java results. */
  static List<Map<String, Tensor>> assertSameAsOrt(byte[] onnx, List<Map<String, Tensor>> feeds, String what) {
    JavaGraph graph = JavaGraph.parse(onnx);
    List<Map<String, Tensor>> results = new ArrayList<>();
    try (Ort ort = new Ort(onnx)) {
      for (Map<String, Tensor> feed : feeds) {
        Map<String, Tensor> java = graph.run(feed);
        double d = maxDiff(ort.run(feed), java, what);
        assertTrue(d <= TOLERANCE, what + ": max abs difference " + d + " at " + feed);
        results.add(java);
      }
    }
    return results;
  }

  // ------------------------------------------------------------ every exported family

  /** Rows in the feature layout: unit-norm embedding, cheap features, a one-hot category (or none). */
  static float[][] rows(FeatureSpec spec, int n, Random r) {
    int e = spec.embeddingDim();
    int cheap = spec.cheapFeatures().size();
    int cats = spec.categories().size();
    float[][] x = new float[n][spec.width()];
    for (float[] row : x) {
      double norm = 0;
      for (int i = 0; i < e; i++) {
        row[i] = (float) r.nextGaussian();
        norm += row[i] * row[i];
      }
      for (int i = 0; i < e; i++) {
        row[i] /= (float) Math.sqrt(norm);
      }
      for (int i = 0; i < cheap; i++) {
        row[e + i] = (float) (r.nextGaussian() * 2);
      }
      int c = r.nextInt(cats + 1) - 1;
      if (c >= 0) {
        row[e + cheap + c] = 1f;
      }
    }
    return x;
  }

  /** Seeded training data whose qualities depend on the embedding, a cheap feature and the category. */
  static Data data(FeatureSpec spec, int n, int k, long seed) {
    Random r = new Random(seed);
    float[][] x = rows(spec, n, r);
    double[][] q = new double[n][k];
    double[][] cost = new double[n][k];
    int cats = spec.categories().size();
    int from = spec.embeddingDim() + spec.cheapFeatures().size();
    for (int i = 0; i < n; i++) {
      double cat = 0;
      for (int c = 0; c < cats; c++) {
        cat += x[i][from + c] * (c - 1) * 0.2;
      }
      for (int j = 0; j < k; j++) {
        double p = 0.5 + 0.3 * x[i][j % spec.embeddingDim()] + 0.05 * x[i][spec.embeddingDim()] + cat + 0.1 * j
            + 0.05 * r.nextGaussian();
        q[i][j] = Math.max(0, Math.min(1, p));
        cost[i][j] = 0.001 * (j + 1);
      }
    }
    return new Data(x, q, cost, spec);
  }

  static List<Map<String, Tensor>> featureFeeds(FeatureSpec spec, long seed) {
    Random r = new Random(seed);
    List<Map<String, Tensor>> feeds = new ArrayList<>();
    for (int n : BATCHES) {
      feeds.add(Map.of(RouterGraph.INPUT, Tensor.ofRows(rows(spec, n, r), spec.width())));
    }
    // off-layout rows too: the graph must agree on any input, not just plausible ones
    float[][] wild = new float[5][spec.width()];
    for (float[] row : wild) {
      for (int i = 0; i < row.length; i++) {
        row[i] = (float) (r.nextGaussian() * 3);
      }
    }
    feeds.add(Map.of(RouterGraph.INPUT, Tensor.ofRows(wild, spec.width())));
    return feeds;
  }

  static void assertRouterFamilies(FeatureSpec spec) {
    int k = 3;
    Data d = data(spec, 160, k, 5);
    Irt.Head irt = new Irt(1e-2).fit(d, 1);
    TrainConfig mlp = new TrainConfig(6, 1e-2, 3e-3, 16, 30, 8, 11, 1.0);
    Map<String, Learner> members = new LinkedHashMap<>();
    members.put("logreg", new LogReg(1e-2, false));
    members.put("logreg+cheap", new LogReg(1e-2, true));
    members.put("mlp", new Mlp(mlp));
    members.put("knn", new Knn(7));
    members.put("prior", new CategoryPrior(2));
    members.put("irt", new Irt(1e-2));
    members.put("stack", new Stack(List.of(new LogReg(1e-2, false), new Knn(3), new CategoryPrior(1)),
        new double[] {0.5, 0.3, 0.2}));
    for (Map.Entry<String, Learner> m : members.entrySet()) {
      Fitted f = m.getValue().fit(d, 3);
      byte[] onnx = RouterOnnx.export(f, irt, spec.width(), k, Map.of());
      String what = m.getKey() + " (" + spec.categories().size() + " categories)";
      JavaGraph g = JavaGraph.parse(onnx);
      assertEquals(List.of(RouterGraph.INPUT), g.inputNames(), what);
      assertEquals(List.of(RouterGraph.DIFFICULTY, RouterGraph.QUALITY, RouterGraph.IRT_A, RouterGraph.IRT_B),
          g.outputNames(), what);
      List<Map<String, Tensor>> out = assertSameAsOrt(onnx, featureFeeds(spec, 9), what);
      // and the graph computes what the member predicts (the exporters' contract, checked loosely)
      float[][] x = rows(spec, 17, new Random(9));
      double[][] p = f.predict(x);
      Tensor q = JavaGraph.parse(onnx).run(Map.of(RouterGraph.INPUT, Tensor.ofRows(x, spec.width()))).get(RouterGraph.QUALITY);
      for (int i = 0; i < x.length; i++) {
        assertArrayEquals(p[i], q.row(i), 1e-4, what + " row " + i);
      }
      assertEquals(17, out.get(2).get(RouterGraph.QUALITY).dim(0));
    }
  }

  @Test
  void routerGraphsOfEveryMemberMatchOnnxRuntime() {
    assertRouterFamilies(new FeatureSpec(12, List.of("a", "b"), List.of("x", "y", "z"), "test"));
  }

  @Test
  void routerGraphsWithoutCategoriesMatchOnnxRuntime() {
    // no categories: the IRT head's mean ability is a constant (Identity of an initializer), no Slice
    assertRouterFamilies(new FeatureSpec(12, List.of("a"), List.of(), "test"));
  }

  @Test
  void headsGraphsMatchOnnxRuntime() {
    for (int hidden : new int[] {0, 16}) {
      byte[] onnx = HeadsOnnx.export(HeadsOnnxRoundTripTest.randomModel(40, hidden, 4, hidden), Map.of());
      FeatureSpec spec = new FeatureSpec(30, List.of("a", "b"), List.of("x", "y", "z", "w", "v", "u", "t", "s"), "t");
      assertEquals(40, spec.width());
      assertSameAsOrt(onnx, featureFeeds(spec, hidden), "heads hidden=" + hidden);
    }
  }

  @Test
  void staticEncoderGraphMatchesOnnxRuntime() {
    Random r = new Random(3);
    int rows = 60;
    int dim = 24;
    float[] table = new float[rows * dim];
    for (int i = 0; i < table.length; i++) {
      table[i] = (float) r.nextGaussian();
    }
    byte[] onnx = StaticEncoderOnnx.export(new StaticEncoderOnnx.Table(rows, dim, table), Map.of("k", "v"));
    assertEquals(List.of(StaticEncoderOnnx.INPUT, StaticEncoderOnnx.WEIGHTS), JavaGraph.parse(onnx).inputNames());
    List<Map<String, Tensor>> feeds = new ArrayList<>();
    for (int b : BATCHES) {
      for (int u : new int[] {1, 7, 40}) {
        long[] ids = r.ints(0, rows).distinct().limit(u).asLongStream().toArray();
        float[] w = new float[b * u];
        for (int i = 0; i < w.length; i++) {
          w[i] = r.nextInt(3) == 0 ? 0 : r.nextFloat();
        }
        if (b > 1) {
          java.util.Arrays.fill(w, 0, u, 0f); // a prompt with none of the ids: a zero row, norm clamped to 1e-12
        }
        feeds.add(Map.of(StaticEncoderOnnx.INPUT, Tensor.ofLongs(ids, u), StaticEncoderOnnx.WEIGHTS, Tensor.of(w, b, u)));
      }
    }
    List<Map<String, Tensor>> out = assertSameAsOrt(onnx, feeds, "static encoder");
    Tensor e = out.get(out.size() - 1).get(StaticEncoderOnnx.OUTPUT);
    assertEquals(0f, e.floats()[0], "the empty prompt embeds to zeros");
    double norm = 0;
    for (int i = dim; i < 2 * dim; i++) {
      norm += e.floats()[i] * e.floats()[i];
    }
    assertEquals(1, norm, 1e-5, "rows are unit length");
  }

  static Path defaultModel() {
    return Path.of(System.getProperty("switchboard.repo.root", "..")).toAbsolutePath().normalize().resolve("models/default");
  }

  @Test
  void shippedDefaultModelMatchesOnnxRuntime() throws Exception {
    byte[] onnx = Files.readAllBytes(defaultModel().resolve("classifier.onnx"));
    int width = new ObjectMapper().readTree(defaultModel().resolve("card.json").toFile()).path("features").path("width").asInt();
    assertTrue(width > 0);
    Random r = new Random(11);
    List<Map<String, Tensor>> feeds = new ArrayList<>();
    for (int n : new int[] {1, 2, 17, 64}) {
      float[] x = new float[n * width];
      for (int i = 0; i < x.length; i++) {
        x[i] = (float) (r.nextGaussian() * (i % width < 256 ? 0.07 : 1.5));
      }
      feeds.add(Map.of(RouterGraph.INPUT, Tensor.of(x, n, width)));
    }
    List<Map<String, Tensor>> out = assertSameAsOrt(onnx, feeds, "models/default");
    assertEquals(4, out.get(0).size(), "quality, difficulty, irt_a, irt_b");
  }

  @Test
  void concurrentRunsGiveTheSingleThreadedResults() throws Exception {
    JavaGraph g = JavaGraph.parse(Files.readAllBytes(defaultModel().resolve("classifier.onnx")));
    Random r = new Random(4);
    List<Map<String, Tensor>> feeds = new ArrayList<>();
    for (int n : BATCHES) {
      float[] x = new float[n * 276];
      for (int i = 0; i < x.length; i++) {
        x[i] = (float) r.nextGaussian();
      }
      feeds.add(Map.of(RouterGraph.INPUT, Tensor.of(x, n, 276)));
    }
    List<Map<String, Tensor>> expected = feeds.stream().map(g::run).toList();
    ExecutorService pool = Executors.newFixedThreadPool(4);
    try {
      List<Future<Double>> futures = new ArrayList<>();
      for (int t = 0; t < 8; t++) {
        futures.add(pool.submit(() -> {
          double max = 0;
          for (int rep = 0; rep < 200; rep++) {
            for (int i = 0; i < feeds.size(); i++) {
              max = Math.max(max, maxDiff(expected.get(i), g.run(feeds.get(i)), "concurrent"));
            }
          }
          return max;
        }));
      }
      for (Future<Double> f : futures) {
        assertEquals(0.0, f.get());
      }
    } finally {
      pool.shutdown();
    }
  }

  // ------------------------------------------------------------ hand-made graphs, hand-computed answers

  private static final long[] ANY2 = {-1, -1};

  private static Map<String, Tensor> feedX(float[] x, int... shape) {
    return Map.of("x", Tensor.of(x, shape));
  }

  /** Java's results, after checking that ONNX Runtime gives the same. */
  private static Map<String, Tensor> both(OnnxGraphBuilder g, Map<String, Tensor> feed) {
    return assertSameAsOrt(g.toBytes("test", "0"), List.of(feed), "hand-made").get(0);
  }

  private static void assertTensor(Tensor t, int[] shape, float... values) {
    assertArrayEquals(shape, t.shape(), t.toString());
    assertArrayEquals(values, t.floats(), 1e-6f, t.toString());
  }

  @Test
  void broadcasting() {
    OnnxGraphBuilder g = new OnnxGraphBuilder("bc");
    g.input("x", new long[] {2, 3}, "N");
    g.initializer("b", new long[] {3}, new float[] {10, 20, 30});
    g.initializer("c", new long[] {2, 1}, new float[] {1, 2});
    g.initializer("s", new long[0], new float[] {2});
    g.initializer("d", new long[] {2, 1, 3}, new float[] {0, 1, 2, 3, 4, 5});
    g.node("Add", List.of("x", "b"), "add");
    g.node("Mul", List.of("c", "b"), "mul");
    g.node("Sub", List.of("x", "s"), "sub");
    g.node("Div", List.of("s", "c"), "div");
    g.node("Max", List.of("x", "b", "c"), "max");
    g.node("Sum", List.of("x", "b", "c"), "sum");
    g.node("Add", List.of("d", "c"), "add3");
    for (String o : List.of("add", "mul", "sub", "div", "max", "sum")) {
      g.output(o, ANY2, "N");
    }
    g.output("add3", new long[] {-1, -1, -1}, "N");
    Map<String, Tensor> out = both(g, feedX(new float[] {1, 2, 3, 4, 5, 6}, 2, 3));
    assertTensor(out.get("add"), new int[] {2, 3}, 11, 22, 33, 14, 25, 36);
    assertTensor(out.get("mul"), new int[] {2, 3}, 10, 20, 30, 20, 40, 60);
    assertTensor(out.get("sub"), new int[] {2, 3}, -1, 0, 1, 2, 3, 4);
    assertTensor(out.get("div"), new int[] {2, 1}, 2, 1);
    assertTensor(out.get("max"), new int[] {2, 3}, 10, 20, 30, 10, 20, 30);
    assertTensor(out.get("sum"), new int[] {2, 3}, 12, 23, 34, 16, 27, 38);
    assertTensor(out.get("add3"), new int[] {2, 2, 3}, 1, 2, 3, 2, 3, 4, 4, 5, 6, 5, 6, 7);

    OnnxGraphBuilder bad = new OnnxGraphBuilder("bad");
    bad.input("x", new long[] {-1, -1}, "N");
    bad.initializer("b", new long[] {2}, new float[] {1, 2});
    bad.node("Add", List.of("x", "b"), "y");
    bad.output("y", ANY2, "N");
    ClassifierException e = assertThrows(ClassifierException.class,
        () -> JavaGraph.parse(bad.toBytes("t", "0")).run(feedX(new float[6], 2, 3)));
    assertTrue(e.getMessage().contains("Add") && e.getMessage().contains("broadcast"), e.getMessage());
  }

  @Test
  void gatherOnAxisOneWithNegativeIndices() {
    OnnxGraphBuilder g = new OnnxGraphBuilder("gather");
    g.input("x", new long[] {2, 3}, "N");
    g.initializer("idx", new long[] {2, 2}, new long[] {2, 0, -1, 1});
    g.initializer("last", new long[0], new long[] {-1});
    g.node("Gather", List.of("x", "idx"), "g1", OnnxGraphBuilder.Attr.i("axis", 1));
    g.node("Gather", List.of("x", "last"), "g0", OnnxGraphBuilder.Attr.i("axis", 0));
    g.output("g1", new long[] {-1, -1, -1}, "N");
    g.output("g0", new long[] {-1}, "N");
    Map<String, Tensor> out = both(g, feedX(new float[] {1, 2, 3, 4, 5, 6}, 2, 3));
    assertTensor(out.get("g1"), new int[] {2, 2, 2}, 3, 1, 3, 2, 6, 4, 6, 5);
    assertTensor(out.get("g0"), new int[] {3}, 4, 5, 6);

    OnnxGraphBuilder far = new OnnxGraphBuilder("far");
    far.input("x", new long[] {2, 3}, "N");
    far.initializer("idx", new long[] {1}, new long[] {3});
    far.node("Gather", List.of("x", "idx"), "y", OnnxGraphBuilder.Attr.i("axis", 1));
    far.output("y", ANY2, "N");
    ClassifierException e = assertThrows(ClassifierException.class,
        () -> JavaGraph.parse(far.toBytes("t", "0")).run(feedX(new float[6], 2, 3)));
    assertTrue(e.getMessage().contains("out of range"), e.getMessage());
  }

  @Test
  void sliceWithNegativeAndClampedBounds() {
    OnnxGraphBuilder g = new OnnxGraphBuilder("slice");
    g.input("x", new long[] {2, 5}, "N");
    long max = Long.MAX_VALUE;
    long min = Long.MIN_VALUE;
    Object[][] cases = { // name, starts, ends, axes (null: none), steps (null: none)
        {"tail", new long[] {-3}, new long[] {max}, new long[] {1}, null},
        {"head", new long[] {-100}, new long[] {-1}, new long[] {-1}, null},
        {"back", new long[] {-1}, new long[] {min}, new long[] {1}, new long[] {-2}},
        {"empty", new long[] {0, 10}, new long[] {1, 20}, new long[] {0, 1}, null},
        {"rows", new long[] {1}, new long[] {1000}, null, null},
        {"every2", new long[] {0}, new long[] {5}, new long[] {1}, new long[] {2}},
        {"past", new long[] {7}, new long[] {-9}, new long[] {1}, new long[] {-1}},
    };
    for (Object[] c : cases) {
      String n = (String) c[0];
      List<String> in = new ArrayList<>(List.of("x", n + "_s", n + "_e"));
      g.initializer(n + "_s", new long[] {((long[]) c[1]).length}, (long[]) c[1]);
      g.initializer(n + "_e", new long[] {((long[]) c[2]).length}, (long[]) c[2]);
      if (c[3] != null || c[4] != null) {
        long[] axes = c[3] != null ? (long[]) c[3] : new long[] {0};
        g.initializer(n + "_a", new long[] {axes.length}, axes);
        in.add(n + "_a");
      }
      if (c[4] != null) {
        g.initializer(n + "_t", new long[] {((long[]) c[4]).length}, (long[]) c[4]);
        in.add(n + "_t");
      }
      g.node("Slice", in, n);
      g.output(n, ANY2, "N");
    }
    Map<String, Tensor> out = both(g, feedX(new float[] {0, 1, 2, 3, 4, 5, 6, 7, 8, 9}, 2, 5));
    assertTensor(out.get("tail"), new int[] {2, 3}, 2, 3, 4, 7, 8, 9);
    assertTensor(out.get("head"), new int[] {2, 4}, 0, 1, 2, 3, 5, 6, 7, 8);
    assertTensor(out.get("back"), new int[] {2, 3}, 4, 2, 0, 9, 7, 5);
    assertTensor(out.get("empty"), new int[] {1, 0});
    assertTensor(out.get("rows"), new int[] {1, 5}, 5, 6, 7, 8, 9);
    assertTensor(out.get("every2"), new int[] {2, 3}, 0, 2, 4, 5, 7, 9);
    assertTensor(out.get("past"), new int[] {2, 5}, 4, 3, 2, 1, 0, 9, 8, 7, 6, 5);
  }

  @Test
  void topKBreaksTiesByLowerIndex() {
    OnnxGraphBuilder g = new OnnxGraphBuilder("topk");
    g.input("x", new long[] {2, 5}, "N");
    g.initializer("k3", new long[] {1}, new long[] {3});
    g.initializer("k2", new long[] {1}, new long[] {2});
    g.initializer("k1", new long[] {1}, new long[] {1});
    // indices come out as float through a Gather of 0..4, so ONNX Runtime's can be compared too
    g.initializer("arange", new long[] {5}, new float[] {0, 1, 2, 3, 4});
    g.node("TopK", List.of("x", "k3"), List.of("big", "big_i"), OnnxGraphBuilder.Attr.i("axis", -1));
    g.node("TopK", List.of("x", "k2"), List.of("small", "small_i"), OnnxGraphBuilder.Attr.i("largest", 0));
    g.node("TopK", List.of("x", "k1"), List.of("col", "col_i"), OnnxGraphBuilder.Attr.i("axis", 0));
    for (String o : List.of("big", "small", "col")) {
      g.node("Gather", List.of("arange", o + "_i"), o + "_f", OnnxGraphBuilder.Attr.i("axis", 0));
      g.output(o, ANY2, "N");
      g.output(o + "_f", ANY2, "N");
    }
    Map<String, Tensor> out = both(g, feedX(new float[] {3, 1, 3, 2, 3, 0, 0, 1, 1, 0}, 2, 5));
    assertTensor(out.get("big"), new int[] {2, 3}, 3, 3, 3, 1, 1, 0);
    assertTensor(out.get("big_f"), new int[] {2, 3}, 0, 2, 4, 2, 3, 0);
    assertTensor(out.get("small"), new int[] {2, 2}, 1, 2, 0, 0);
    assertTensor(out.get("small_f"), new int[] {2, 2}, 1, 3, 0, 1);
    assertTensor(out.get("col"), new int[] {1, 5}, 3, 1, 3, 2, 3);
    assertTensor(out.get("col_f"), new int[] {1, 5}, 0, 0, 0, 0, 0);
    // the int64 indices themselves, on all-equal rows (declared float outputs, which ONNX Runtime
    // would refuse; JavaGraph does not check output types)
    g.output("big_i", ANY2, "N");
    g.output("col_i", ANY2, "N");
    Map<String, Tensor> raw = JavaGraph.parse(g.toBytes("t", "0")).run(feedX(new float[] {0, 0, 0, 0, 0, 1, 1, 1, 1, 1}, 2, 5));
    assertArrayEquals(new long[] {0, 1, 2, 0, 1, 2}, raw.get("big_i").longs());
    assertArrayEquals(new long[] {1, 1, 1, 1, 1}, raw.get("col_i").longs());
  }

  @Test
  void reductionsAndReduceSumWithEmptyAxes() {
    OnnxGraphBuilder g = new OnnxGraphBuilder("reduce");
    g.input("x", new long[] {2, 3}, "N");
    g.initializer("none", new long[] {0}, new long[0]);
    g.initializer("last", new long[] {1}, new long[] {-1});
    g.initializer("first", new long[] {1}, new long[] {0});
    g.node("ReduceSum", List.of("x"), "all");
    g.node("ReduceSum", List.of("x"), "all0", OnnxGraphBuilder.Attr.i("keepdims", 0));
    g.node("ReduceSum", List.of("x", "none"), "empty");
    g.node("ReduceSum", List.of("x", "none"), "noop", OnnxGraphBuilder.Attr.i("noop_with_empty_axes", 1));
    g.node("ReduceSum", List.of("x", "last"), "rows", OnnxGraphBuilder.Attr.i("keepdims", 0));
    g.node("ReduceSum", List.of("x", "first"), "cols");
    g.node("ReduceMean", List.of("x"), "mean_all");
    g.node("ReduceMean", List.of("x"), "mean0", OnnxGraphBuilder.Attr.ints("axes", 0), OnnxGraphBuilder.Attr.i("keepdims", 0));
    g.node("ReduceL2", List.of("x"), "l2", OnnxGraphBuilder.Attr.ints("axes", 1));
    g.node("ReduceL2", List.of("x"), "l2_both", OnnxGraphBuilder.Attr.ints("axes", -1, 0), OnnxGraphBuilder.Attr.i("keepdims", 0));
    for (String o : List.of("all", "empty", "noop", "cols", "mean_all", "l2")) {
      g.output(o, ANY2, "N");
    }
    g.output("all0", new long[0], "N");
    g.output("rows", new long[] {-1}, "N");
    g.output("mean0", new long[] {-1}, "N");
    g.output("l2_both", new long[0], "N");
    Map<String, Tensor> out = both(g, feedX(new float[] {1, 2, 3, 4, 5, 6}, 2, 3));
    assertTensor(out.get("all"), new int[] {1, 1}, 21);
    assertTensor(out.get("all0"), new int[0], 21);
    assertTensor(out.get("empty"), new int[] {1, 1}, 21);
    assertTensor(out.get("noop"), new int[] {2, 3}, 1, 2, 3, 4, 5, 6);
    assertTensor(out.get("rows"), new int[] {2}, 6, 15);
    assertTensor(out.get("cols"), new int[] {1, 3}, 5, 7, 9);
    assertTensor(out.get("mean_all"), new int[] {1, 1}, 3.5f);
    assertTensor(out.get("mean0"), new int[] {3}, 2.5f, 3.5f, 4.5f);
    assertTensor(out.get("l2"), new int[] {2, 1}, (float) Math.sqrt(14), (float) Math.sqrt(77));
    assertTensor(out.get("l2_both"), new int[0], (float) Math.sqrt(91));
  }

  @Test
  void activationsAtTheExtremes() {
    OnnxGraphBuilder g = new OnnxGraphBuilder("act");
    g.input("x", new long[] {1, -1}, "N");
    g.node("Relu", List.of("x"), "relu");
    g.node("Sigmoid", List.of("x"), "sigmoid");
    g.node("Softplus", List.of("x"), "softplus");
    g.node("Identity", List.of("x"), "id");
    for (String o : List.of("relu", "sigmoid", "softplus", "id")) {
      g.output(o, ANY2, "N");
    }
    float[] x = {-1000, -90, -20, -1, -0f, 0, 0.5f, 3, 20, 90, 1000};
    Map<String, Tensor> out = both(g, feedX(x, 1, x.length));
    for (int i = 0; i < x.length; i++) {
      assertEquals(Math.max(0, x[i]), out.get("relu").floats()[i]);
      assertEquals(1 / (1 + Math.exp(-x[i])), out.get("sigmoid").floats()[i], 1e-7);
      assertEquals(x[i] > 30 ? x[i] : Math.log1p(Math.exp(x[i])), out.get("softplus").floats()[i], 1e-6 * Math.max(1, x[i]));
    }
  }

  // ------------------------------------------------------------ what it refuses

  @Test
  void unsupportedOpFailsParseNamingIt() {
    OnnxGraphBuilder g = new OnnxGraphBuilder("conv");
    g.input("x", new long[] {1, 1, 4, 4}, "N");
    g.initializer("w", new long[] {1, 1, 3, 3}, new float[9]);
    g.node("Conv", List.of("x", "w"), "y");
    g.output("y", new long[] {1, 1, 2, 2}, "N");
    ClassifierException e = assertThrows(ClassifierException.class, () -> JavaGraph.parse(g.toBytes("t", "0")));
    assertTrue(e.getMessage().contains("Conv"), e.getMessage());
  }

  @Test
  void staticallyUnsupportedShapesAndTypesFailParse() {
    OnnxGraphBuilder batched = new OnnxGraphBuilder("bmm");
    batched.input("x", new long[] {-1, 3, 4}, "N");
    batched.initializer("w", new long[] {4, 2}, new float[8]);
    batched.node("MatMul", List.of("x", "w"), "y");
    batched.output("y", new long[] {-1, 3, 2}, "N");
    ClassifierException e = assertThrows(ClassifierException.class, () -> JavaGraph.parse(batched.toBytes("t", "0")));
    assertTrue(e.getMessage().contains("MatMul"), e.getMessage());

    OnnxGraphBuilder axis = new OnnxGraphBuilder("axis");
    axis.input("x", new long[] {-1, 3}, "N");
    axis.node("ReduceMean", List.of("x"), "y", OnnxGraphBuilder.Attr.ints("axes", 2));
    axis.output("y", ANY2, "N");
    e = assertThrows(ClassifierException.class, () -> JavaGraph.parse(axis.toBytes("t", "0")));
    assertTrue(e.getMessage().contains("ReduceMean") && e.getMessage().contains("axis 2"), e.getMessage());

    OnnxGraphBuilder ints = new OnnxGraphBuilder("ints");
    ints.input("x", new long[] {-1}, "N", OnnxGraphBuilder.INT64);
    ints.node("Add", List.of("x", "x"), "y");
    ints.output("y", new long[] {-1}, "N");
    e = assertThrows(ClassifierException.class, () -> JavaGraph.parse(ints.toBytes("t", "0")));
    assertTrue(e.getMessage().contains("Add") && e.getMessage().contains("int64"), e.getMessage());

    OnnxGraphBuilder attr = new OnnxGraphBuilder("attr");
    attr.input("x", new long[] {-1, 3}, "N");
    attr.node("Sigmoid", List.of("x"), "y", OnnxGraphBuilder.Attr.f("alpha", 0.5f));
    attr.output("y", ANY2, "N");
    e = assertThrows(ClassifierException.class, () -> JavaGraph.parse(attr.toBytes("t", "0")));
    assertTrue(e.getMessage().contains("alpha"), e.getMessage());

    OnnxGraphBuilder order = new OnnxGraphBuilder("order");
    order.input("x", new long[] {-1, 3}, "N");
    order.node("Relu", List.of("later"), "y");
    order.node("Sigmoid", List.of("x"), "later");
    order.output("y", ANY2, "N");
    e = assertThrows(ClassifierException.class, () -> JavaGraph.parse(order.toBytes("t", "0")));
    assertTrue(e.getMessage().contains("later"), e.getMessage());

    assertThrows(ClassifierException.class, () -> JavaGraph.parse(new byte[] {8, 8, 58, 3, 1}));
  }

  @Test
  void badFeedsFailRun() {
    OnnxGraphBuilder g = new OnnxGraphBuilder("feeds");
    g.input("x", new long[] {-1, 3}, "N");
    g.node("Relu", List.of("x"), "y");
    g.output("y", ANY2, "N");
    JavaGraph graph = JavaGraph.parse(g.toBytes("t", "0"));
    assertThrows(ClassifierException.class, () -> graph.run(Map.of()));
    assertThrows(ClassifierException.class, () -> graph.run(feedX(new float[8], 2, 4)));
    assertThrows(ClassifierException.class, () -> graph.run(Map.of("x", Tensor.ofLongs(new long[3], 1, 3))));
    assertThrows(ClassifierException.class, () -> graph.run(Map.of("x", Tensor.of(new float[3], 1, 3), "z", Tensor.of(new float[1]))));
    assertTensor(graph.run(feedX(new float[] {-1, 0, 2}, 1, 3)).get("y"), new int[] {1, 3}, 0, 0, 2);
  }

  // ------------------------------------------------------------ TensorProto encodings the builder does not write

  @Test
  void readsTypedDataFieldsAndUnpackedDims() {
    // y = Gather(x * w, i): w as float_data (one packed run, one unpacked value), i as unpacked int64_data
    ProtoWriter w = new ProtoWriter().bytes(1, new byte[] {2}) // dims, packed: [2]
        .varint(2, OnnxGraphBuilder.FLOAT).string(8, "w")
        .bytes(4, java.nio.ByteBuffer.allocate(4).order(java.nio.ByteOrder.LITTLE_ENDIAN).putFloat(1.5f).array())
        .fixed32(4, -2f);
    ProtoWriter i = new ProtoWriter().varint(1, 2).varint(2, OnnxGraphBuilder.INT64).string(8, "i")
        .varint(7, -1).varint(7, 0);
    ProtoWriter mul = new ProtoWriter().string(1, "x").string(1, "w").string(2, "xw").string(3, "m").string(4, "Mul");
    ProtoWriter gather = new ProtoWriter().string(1, "xw").string(1, "i").string(2, "y").string(3, "g").string(4, "Gather");
    ProtoWriter dim = new ProtoWriter().varint(1, 2);
    ProtoWriter type = new ProtoWriter().message(1, new ProtoWriter().varint(1, 1).message(2, new ProtoWriter().message(1, dim)));
    ProtoWriter graph = new ProtoWriter().message(1, mul).message(1, gather).string(2, "g")
        .message(5, w).message(5, i)
        .message(11, new ProtoWriter().string(1, "x").message(2, type))
        .message(12, new ProtoWriter().string(1, "y"));
    byte[] model = new ProtoWriter().varint(1, 8).message(7, graph)
        .message(8, new ProtoWriter().string(1, "").varint(2, 17)).toByteArray();
    Tensor y = JavaGraph.parse(model).run(Map.of("x", Tensor.of(new float[] {2, 3}, 2))).get("y");
    assertTensor(y, new int[] {2}, -6, 3);
  }

  // ------------------------------------------------------------ cost (informational)

  @Test
  void timesTheDefaultGraph() throws Exception {
    byte[] onnx = Files.readAllBytes(defaultModel().resolve("classifier.onnx"));
    JavaGraph g = JavaGraph.parse(onnx);
    try (Ort ort = new Ort(onnx)) {
      for (int rows : new int[] {1, 17}) {
        Map<String, Tensor> feed = Map.of(RouterGraph.INPUT, Tensor.of(new float[rows * 276], rows, 276));
        System.out.printf("models/default, %d rows: JavaGraph %.2f us, ONNX Runtime via DJL %.2f us per run%n", rows,
            microseconds(() -> g.run(feed), 50_000), microseconds(() -> ort.run(feed), 5_000));
      }
    }
  }

  private static double microseconds(Runnable r, int n) {
    for (int i = 0; i < n / 2; i++) {
      r.run();
    }
    long t0 = System.nanoTime();
    for (int i = 0; i < n; i++) {
      r.run();
    }
    return (System.nanoTime() - t0) / 1e3 / n;
  }
}
