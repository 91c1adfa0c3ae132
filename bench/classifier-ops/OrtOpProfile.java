import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtSession;
import java.io.InputStream;
import java.nio.LongBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Map;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Where the encoder's time goes: runs the MiniLM ONNX graph from the langchain4j jar straight on
 * ONNX Runtime (no DJL, no tokenizer, no heads) at each graph optimisation level, 1 intra-op
 * thread, for a sequence length, then the graph as the classifier serves it (attention-mask
 * additions removed), profiled per operator type. Separates what the model itself costs on this
 * CPU from what our scoring path adds around it.
 *
 * <p>Usage: java -cp CLASSPATH OrtOpProfile.java ONNX_RESOURCE SEQ_LEN RUNS
 */
public final class OrtOpProfile {
  public static void main(String[] args) throws Exception {
    String resource = args[0];
    int len = Integer.parseInt(args[1]);
    int runs = Integer.parseInt(args[2]);
    byte[] onnx;
    try (InputStream in = OrtOpProfile.class.getClassLoader().getResourceAsStream(resource)) {
      if (in == null) throw new IllegalArgumentException(resource + " not on the classpath");
      onnx = in.readAllBytes();
    }
    OrtEnvironment env = OrtEnvironment.getEnvironment();
    long[] ids = new long[len];
    Arrays.fill(ids, 2000); // token values do not change the work done; only the length does
    ids[0] = 101;
    ids[len - 1] = 102;
    long[] mask = new long[len];
    Arrays.fill(mask, 1);
    long[] types = new long[len];
    long[] shape = {1, len};
    System.out.println("| optimisation level | p50 ms | p90 ms | p99 ms | n |");
    System.out.println("|---|---:|---:|---:|---:|");
    for (OrtSession.SessionOptions.OptLevel level : OrtSession.SessionOptions.OptLevel.values()) {
      try (OrtSession.SessionOptions so = options(level); OrtSession s = env.createSession(onnx, so)) {
        double[] t = time(env, s, ids, mask, types, shape, runs);
        System.out.printf("| %s | %.2f | %.2f | %.2f | %d |%n", level, t[runs / 2], t[runs * 9 / 10], t[(int) (runs * 0.99)], runs);
      }
    }
    // What the classifier serves: the same graph without its attention-mask additions (bit-identical
    // output for one unpadded prompt; dev.switchboard.classifier.onnx.EncoderGraphs).
    byte[] served = dev.switchboard.classifier.onnx.EncoderGraphs.withoutPaddingMask(onnx, "attention_mask").model();
    try (OrtSession.SessionOptions so = options(OrtSession.SessionOptions.OptLevel.ALL_OPT); OrtSession s = env.createSession(served, so)) {
      double[] t = time(env, s, ids, mask, types, shape, runs);
      System.out.printf("| ALL_OPT, mask additions removed (as served) | %.2f | %.2f | %.2f | %d |%n", t[runs / 2], t[runs * 9 / 10], t[(int) (runs * 0.99)], runs);
    }
    Path dir = Files.createTempDirectory("ortprof");
    String file;
    try (OrtSession.SessionOptions so = options(OrtSession.SessionOptions.OptLevel.ALL_OPT)) {
      so.enableProfiling(dir.resolve("p").toString());
      try (OrtSession s = env.createSession(served, so)) {
        time(env, s, ids, mask, types, shape, runs);
        file = s.endProfiling();
      }
    }
    // The profile is Chrome trace JSON; a regex over its node events avoids a JSON dependency here.
    Pattern ev = Pattern.compile("\"dur\"\\s*:\\s*(\\d+).*?\"name\"\\s*:\\s*\"[^\"]*_kernel_time\".*?\"op_name\"\\s*:\\s*\"([^\"]+)\"");
    Map<String, long[]> byOp = new TreeMap<>();
    long total = 0;
    for (String line : Files.readAllLines(Path.of(file))) {
      Matcher m = ev.matcher(line);
      if (m.find()) {
        long dur = Long.parseLong(m.group(1));
        long[] a = byOp.computeIfAbsent(m.group(2), k -> new long[2]);
        a[0] += dur;
        a[1]++;
        total += dur;
      }
    }
    System.out.println();
    System.out.println("| operator (ALL_OPT, as served) | ms per run | share | nodes |");
    System.out.println("|---|---:|---:|---:|");
    long all = total;
    int profiled = runs + runs / 5; // the profile holds the warm-up runs too
    byOp.entrySet().stream().sorted((x, y) -> Long.compare(y.getValue()[0], x.getValue()[0])).forEach(e ->
        System.out.printf("| %s | %.2f | %.1f%% | %d |%n", e.getKey(), e.getValue()[0] / 1000.0 / profiled,
            100.0 * e.getValue()[0] / all, e.getValue()[1] / profiled));
    System.out.printf("| **all operators** | **%.2f** | | |%n", all / 1000.0 / profiled);
  }

  private static OrtSession.SessionOptions options(OrtSession.SessionOptions.OptLevel level) throws Exception {
    OrtSession.SessionOptions so = new OrtSession.SessionOptions();
    so.setIntraOpNumThreads(1);
    so.setInterOpNumThreads(1);
    so.setOptimizationLevel(level);
    return so;
  }

  private static double[] time(OrtEnvironment env, OrtSession s, long[] ids, long[] mask, long[] types, long[] shape, int runs)
      throws Exception {
    double[] t = new double[runs];
    for (int i = -runs / 5; i < runs; i++) { // the first fifth warms up
      long t0 = System.nanoTime();
      try (OnnxTensor a = OnnxTensor.createTensor(env, LongBuffer.wrap(ids), shape);
           OnnxTensor b = OnnxTensor.createTensor(env, LongBuffer.wrap(mask), shape);
           OnnxTensor c = OnnxTensor.createTensor(env, LongBuffer.wrap(types), shape);
           OrtSession.Result r = s.run(Map.of("input_ids", a, "attention_mask", b, "token_type_ids", c))) {
        r.get(0);
      }
      if (i >= 0) t[i] = (System.nanoTime() - t0) / 1e6;
    }
    Arrays.sort(t);
    return t;
  }
}
