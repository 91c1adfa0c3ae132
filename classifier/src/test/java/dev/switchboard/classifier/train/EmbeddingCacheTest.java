package dev.switchboard.classifier.train;

import dev.switchboard.classifier.encoder.Encoded;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.switchboard.classifier.encoder.MiniLmEncoder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Function;
import org.junit.jupiter.api.Test;

class EmbeddingCacheTest {

  /** A fake encoder for the cache's bookkeeping only (no model involved). */
  static Function<String, Encoded> counting(AtomicInteger calls) {
    return text -> {
      calls.incrementAndGet();
      float[] e = new float[MiniLmEncoder.DIM];
      Arrays.fill(e, text.length());
      return new Encoded(e, text.length() + 2);
    };
  }

  @Test
  void entriesSurviveReopenAndTornTailIsIgnored() throws Exception {
    Path file = Files.createTempDirectory("sb-cache").resolve("sub/emb.bin");
    AtomicInteger calls = new AtomicInteger();
    EmbeddingCache c1 = EmbeddingCache.open(file, MiniLmEncoder.DIM, counting(calls));
    c1.apply("one");
    c1.apply("three");
    c1.apply("one");
    assertEquals(2, calls.get());
    assertEquals(1, c1.hits());
    c1.save();

    EmbeddingCache c2 = EmbeddingCache.open(file, MiniLmEncoder.DIM, counting(calls));
    Encoded three = c2.apply("three");
    assertEquals(2, calls.get(), "read from file, not re-encoded");
    assertEquals(7, three.tokenCount());
    c2.apply("fourteen chars");
    c2.save(); // appends
    long size = Files.size(file);
    Files.write(file, Arrays.copyOf(Files.readAllBytes(file), (int) size - 10)); // crash mid-append

    AtomicInteger calls3 = new AtomicInteger();
    EmbeddingCache c3 = EmbeddingCache.open(file, MiniLmEncoder.DIM, counting(calls3));
    c3.apply("one");
    c3.apply("three");
    assertEquals(0, calls3.get());
    float[] expected = new float[MiniLmEncoder.DIM];
    Arrays.fill(expected, 14);
    assertArrayEquals(expected, c3.apply("fourteen chars").embedding());
    assertEquals(1, calls3.get(), "the torn record is recomputed");
    c3.apply("new after crash");
    c3.save(); // must rewrite, not append after the torn bytes

    AtomicInteger calls4 = new AtomicInteger();
    EmbeddingCache c4 = EmbeddingCache.open(file, MiniLmEncoder.DIM, counting(calls4));
    for (String t : new String[] {"one", "three", "fourteen chars", "new after crash"}) {
      assertEquals(t.length() + 2, c4.apply(t).tokenCount());
    }
    assertEquals(0, calls4.get(), "every entry readable after the rewrite");
  }
}
