package dev.switchboard.classifier.onnx;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtSession;
import java.io.InputStream;
import java.nio.LongBuffer;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The encoder graph without its attention-mask additions: same bits out, fewer operations. */
class EncoderGraphsTest {
  private static byte[] original;
  private static EncoderGraphs.Rewrite rewrite;
  private static OrtEnvironment env;
  private static OrtSession before;
  private static OrtSession after;

  @BeforeAll
  static void load() throws Exception {
    try (InputStream in = EncoderGraphsTest.class.getClassLoader().getResourceAsStream("all-minilm-l6-v2-q.onnx")) {
      original = in.readAllBytes();
    }
    rewrite = EncoderGraphs.withoutPaddingMask(original, "attention_mask");
    // DJL's engine creates the process-wide ORT environment with its own settings; let it go first
    // (ORT refuses a second, differently configured one), then share it.
    ai.djl.engine.Engine.getEngine("OnnxRuntime");
    env = OrtEnvironment.getEnvironment();
    OrtSession.SessionOptions so = new OrtSession.SessionOptions();
    so.setIntraOpNumThreads(1);
    before = env.createSession(original, so);
    after = env.createSession(rewrite.model(), so);
  }

  @AfterAll
  static void close() throws Exception {
    before.close();
    after.close();
  }

  @Test
  void theSixLayersLoseTheirMaskAdditionsAndNothingElse() {
    assertEquals(6, rewrite.removedMaskAdds(), "one per transformer layer");
    List<ProtoFields.Field> graphBefore = graph(original);
    List<ProtoFields.Field> graphAfter = graph(rewrite.model());
    assertEquals(graphBefore.size(), graphAfter.size(), "same number of fields: nodes are replaced, not dropped");
    int changed = 0;
    for (int i = 0; i < graphBefore.size(); i++) {
      if (!Arrays.equals(graphBefore.get(i).raw(), graphAfter.get(i).raw())) {
        changed++;
        String node = new String(graphAfter.get(i).bytes(), StandardCharsets.ISO_8859_1);
        assertTrue(node.contains("Identity") && node.contains("attention/self"), "only the attention mask Adds change: " + node);
      }
    }
    assertEquals(6, changed);
  }

  @Test
  void embeddingsAreBitIdenticalForUnpaddedPromptsOfAnyLength() throws Exception {
    Random r = new Random(11);
    for (int len : new int[] {2, 7, 20, 128, 256}) {
      long[] ids = new long[len];
      for (int i = 0; i < len; i++) ids[i] = 1000 + r.nextInt(28000);
      ids[0] = 101;
      ids[len - 1] = 102;
      float[] a = hidden(before, ids);
      float[] b = hidden(after, ids);
      assertEquals(len * 384, a.length);
      for (int i = 0; i < a.length; i++) {
        if (Float.floatToRawIntBits(a[i]) != Float.floatToRawIntBits(b[i])) {
          throw new AssertionError("length " + len + ": value " + i + " differs: " + a[i] + " vs " + b[i]);
        }
      }
    }
  }

  @Test
  void aGraphWithoutThatMaskInputComesBackUnchangedAndGarbageIsRefused() {
    EncoderGraphs.Rewrite none = EncoderGraphs.withoutPaddingMask(original, "no_such_input");
    assertEquals(0, none.removedMaskAdds());
    assertArrayEquals(original, none.model());
    byte[] truncated = Arrays.copyOf(original, 1000);
    assertThrows(IllegalArgumentException.class, () -> EncoderGraphs.withoutPaddingMask(truncated, "attention_mask"));
    assertThrows(IllegalArgumentException.class, () -> EncoderGraphs.withoutPaddingMask(new byte[] {(byte) 0xFF}, "attention_mask"));
  }

  private static List<ProtoFields.Field> graph(byte[] model) {
    return ProtoFields.parse(model).stream().filter(f -> f.number() == 7).findFirst().orElseThrow().message();
  }

  private static float[] hidden(OrtSession s, long[] ids) throws Exception {
    long[] shape = {1, ids.length};
    long[] mask = new long[ids.length];
    Arrays.fill(mask, 1);
    try (OnnxTensor x = OnnxTensor.createTensor(env, LongBuffer.wrap(ids), shape);
         OnnxTensor m = OnnxTensor.createTensor(env, LongBuffer.wrap(mask), shape);
         OnnxTensor t = OnnxTensor.createTensor(env, LongBuffer.wrap(new long[ids.length]), shape);
         OrtSession.Result res = s.run(Map.of("input_ids", x, "attention_mask", m, "token_type_ids", t))) {
      float[][][] h = (float[][][]) res.get(0).getValue();
      float[] flat = new float[ids.length * 384];
      for (int i = 0; i < ids.length; i++) System.arraycopy(h[0][i], 0, flat, i * 384, 384);
      return flat;
    }
  }
}
