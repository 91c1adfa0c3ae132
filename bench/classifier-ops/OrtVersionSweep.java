import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtSession;
import java.io.InputStream;
import java.nio.LongBuffer;
import java.util.Arrays;
import java.util.Map;

/**
 * One row of bench/classifier-ort-versions.sh: the encoder graph as the classifier serves it
 * (attention-mask additions removed), timed on whichever ONNX Runtime jar is on the classpath,
 * 1 intra-op thread, batch 1. Picks the runtime version the product pins.
 *
 * <p>Usage: java -cp CLASSPATH OrtVersionSweep.java ONNX_RESOURCE RUNS
 */
public final class OrtVersionSweep {
  public static void main(String[] args) throws Exception {
    byte[] onnx;
    try (InputStream in = OrtVersionSweep.class.getClassLoader().getResourceAsStream(args[0])) {
      if (in == null) throw new IllegalArgumentException(args[0] + " not on the classpath");
      onnx = in.readAllBytes();
    }
    int runs = Integer.parseInt(args[1]);
    byte[] served = dev.switchboard.classifier.onnx.EncoderGraphs.withoutPaddingMask(onnx, "attention_mask").model();
    OrtEnvironment env = OrtEnvironment.getEnvironment();
    StringBuilder row = new StringBuilder("| " + OrtEnvironment.class.getPackage().getImplementationVersion());
    try (OrtSession.SessionOptions so = new OrtSession.SessionOptions()) {
      so.setIntraOpNumThreads(1);
      so.setInterOpNumThreads(1);
      so.setOptimizationLevel(OrtSession.SessionOptions.OptLevel.ALL_OPT);
      try (OrtSession s = env.createSession(served, so)) {
        for (int len : new int[] {20, 256}) {
          long[] ids = new long[len];
          Arrays.fill(ids, 2000); // token values do not change the work done; only the length does
          long[] ones = new long[len];
          Arrays.fill(ones, 1);
          long[] shape = {1, len};
          double[] t = new double[runs];
          for (int i = -runs / 5; i < runs; i++) { // the first fifth warms up
            long t0 = System.nanoTime();
            try (OnnxTensor a = OnnxTensor.createTensor(env, LongBuffer.wrap(ids), shape);
                 OnnxTensor b = OnnxTensor.createTensor(env, LongBuffer.wrap(ones), shape);
                 OnnxTensor c = OnnxTensor.createTensor(env, LongBuffer.wrap(new long[len]), shape);
                 OrtSession.Result r = s.run(Map.of("input_ids", a, "attention_mask", b, "token_type_ids", c))) {
              r.get(0);
            }
            if (i >= 0) t[i] = (System.nanoTime() - t0) / 1e6;
          }
          Arrays.sort(t);
          row.append(String.format(" | %.2f / %.2f", t[runs / 2], t[(int) (runs * 0.99)]));
        }
      }
    }
    System.out.println(row.append(" |"));
  }
}
