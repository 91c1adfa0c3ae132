package dev.switchboard.classifier.encoder;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

class MiniLmEncoderTest {

  static MiniLmEncoder encoder;

  @BeforeAll
  static void load() {
    encoder = MiniLmEncoder.load(EncoderVariant.QUANTIZED, 1);
  }

  @AfterAll
  static void close() {
    encoder.close();
  }

  static double dot(float[] a, float[] b) {
    double s = 0;
    for (int i = 0; i < a.length; i++) {
      s += a[i] * b[i];
    }
    return s;
  }

  @Test
  void embeddingsAreUnitLengthAndSemantic() {
    float[] cat = encoder.encode("A cat sits on the mat.").embedding();
    float[] kitten = encoder.encode("A kitten is sitting on a rug.").embedding();
    float[] tax = encoder.encode("How do I file my quarterly corporate tax return?").embedding();
    assertEquals(MiniLmEncoder.DIM, cat.length);
    assertEquals(1.0, dot(cat, cat), 1e-4);
    assertTrue(dot(cat, kitten) > 0.5, "paraphrases are close: " + dot(cat, kitten));
    assertTrue(dot(cat, kitten) > dot(cat, tax) + 0.3, "unrelated text is far: " + dot(cat, tax));
  }

  @Test
  void fp32EncoderAgreesWithQuantizedAndHasItsOwnHash() {
    try (MiniLmEncoder fp32 = MiniLmEncoder.load(EncoderVariant.FP32, 1)) {
      String text = "Explain how a hash map handles collisions.";
      double cos = dot(fp32.encode(text).embedding(), encoder.encode(text).embedding());
      assertTrue(cos > 0.95, "quantisation keeps the direction: cos " + cos);
      assertTrue(!fp32.sha256().equals(encoder.sha256()), "cards can tell the two apart");
    }
  }

  @Test
  void modelInputsAreTheOnesTheTranslatorNames() {
    assertEquals(java.util.Set.of("input_ids", "attention_mask", "token_type_ids"), new java.util.HashSet<>(encoder.inputNames()));
  }

  @Test
  void batchEqualsSingle() {
    String a = "short";
    String b = "a considerably longer sentence that forces the short one to be padded in the batch";
    List<Encoded> batch = encoder.encodeBatch(List.of(a, b));
    float[] single = encoder.encode(a).embedding();
    for (int i = 0; i < single.length; i++) {
      assertEquals(single[i], batch.get(0).embedding()[i], 0.0);
    }
  }

  @Test
  void longPromptKeepsHeadAndTailAt256Tokens() {
    StringBuilder sb = new StringBuilder("alpha ");
    for (int i = 0; i < 600; i++) {
      sb.append("filler ");
    }
    sb.append("omega");
    String text = sb.toString();
    long[] full = new long[encoder.countTokens(text)];
    long[] ids = encoder.tokenIds(text);
    assertTrue(full.length > 600);
    assertEquals(MiniLmEncoder.MAX_TOKENS, ids.length);
    long[] alpha = encoder.tokenIds("alpha");
    long[] omega = encoder.tokenIds("omega");
    assertEquals(101L, ids[0], "[CLS] kept");
    assertEquals(alpha[1], ids[1], "head token kept");
    assertEquals(omega[1], ids[ids.length - 2], "tail token kept");
    assertEquals(102L, ids[ids.length - 1], "[SEP] kept");
    assertEquals(full.length, encoder.encode(text).tokenCount());
  }

  @Test
  void shortPromptIsNotPaddedOrTruncated() {
    long[] ids = encoder.tokenIds("hello world");
    assertArrayEquals(new long[] {101, 7592, 2088, 102}, ids);
  }

  @Test
  void headTailTruncationIsExact() {
    long[] ids = new long[300];
    Arrays.setAll(ids, i -> i);
    long[] cut = HeadTailTruncation.apply(ids, 256);
    assertEquals(256, cut.length);
    assertEquals(127, cut[127]);
    assertEquals(300 - 128, cut[128]);
    assertEquals(299, cut[255]);
  }
}
