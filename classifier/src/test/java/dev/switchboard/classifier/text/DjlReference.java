package dev.switchboard.classifier.text;

import static org.junit.jupiter.api.Assertions.fail;

import ai.djl.huggingface.tokenizers.HuggingFaceTokenizer;
import dev.switchboard.classifier.encoder.EncoderVariant;
import dev.switchboard.classifier.encoder.HeadTailTruncation;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.Arrays;
import java.util.Map;

/**
 * The reference {@link WordPieceTokenizer} must match: DJL's HuggingFaceTokenizer on the MiniLM
 * tokenizer.json, created exactly as MiniLmEncoder creates it. Not thread-safe (one per thread).
 */
final class DjlReference implements AutoCloseable {

  static final String RESOURCE = EncoderVariant.QUANTIZED.tokenizerResource();

  private final HuggingFaceTokenizer djl;

  DjlReference() {
    try (InputStream in = DjlReference.class.getClassLoader().getResourceAsStream(RESOURCE)) {
      djl = HuggingFaceTokenizer.newInstance(new ByteArrayInputStream(in.readAllBytes()),
          Map.of("addSpecialTokens", "true", "truncation", "false", "padding", "false",
              "maxLength", String.valueOf(Integer.MAX_VALUE / 2)));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  int[] encode(String text) {
    return Arrays.stream(djl.encode(text).getIds()).mapToInt(id -> (int) id).toArray();
  }

  /** What MiniLmEncoder feeds the model: DJL's ids cut by HeadTailTruncation. */
  int[] encode(String text, int maxTokens) {
    long[] ids = HeadTailTruncation.apply(djl.encode(text).getIds(), maxTokens);
    return Arrays.stream(ids).mapToInt(id -> (int) id).toArray();
  }

  /** Fails with the input and both id lists when they differ. */
  static void assertSame(String what, String text, int[] expected, int[] actual) {
    if (!Arrays.equals(expected, actual)) {
      int i = Arrays.mismatch(expected, actual);
      fail(what + " differs at index " + i + " for input \"" + escape(text) + "\" (" + text.length() + " chars)"
          + "\n  djl:  " + Arrays.toString(expected) + "\n  ours: " + Arrays.toString(actual));
    }
  }

  /** Java-escapes everything outside printable ASCII so mismatching inputs can be pasted into a test. */
  static String escape(String s) {
    StringBuilder b = new StringBuilder(s.length() + 16);
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      if (c == '"' || c == '\\') {
        b.append('\\').append(c);
      } else if (c >= 0x20 && c < 0x7F) {
        b.append(c);
      } else {
        b.append(String.format("\\u%04X", (int) c));
      }
    }
    return b.toString();
  }

  @Override
  public void close() {
    djl.close();
  }
}
