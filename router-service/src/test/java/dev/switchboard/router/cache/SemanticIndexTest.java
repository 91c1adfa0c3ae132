package dev.switchboard.router.cache;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * The semantic index against brute force: in a bucket large enough to be centred and signed (vectors sharing a large
 * common component, as the static encoder's do), every lookup finds what comparing with every entry finds.
 */
class SemanticIndexTest {
  private static final int DIM = 256;

  private static float[] unit(float[] v) {
    double n = 0;
    for (float x : v) n += x * x;
    float s = (float) (1 / Math.sqrt(n));
    for (int i = 0; i < v.length; i++) v[i] *= s;
    return v;
  }

  private static float[] clustered(Random r, float[] common) {
    float[] v = new float[DIM];
    for (int i = 0; i < DIM; i++) v[i] = common[i] * 3 + (float) r.nextGaussian() * 0.15f;
    return unit(v);
  }

  private static float[] near(Random r, float[] base, double noise) {
    float[] v = base.clone();
    for (int i = 0; i < DIM; i++) v[i] += (float) (r.nextGaussian() * noise);
    return unit(v);
  }

  private static CachedAnswer entry(int i, float[] v) {
    return new CachedAnswer("t", "k" + i, "b", "p" + i, v, new byte[0], 0, 0, 0, "d", Long.MAX_VALUE);
  }

  @Test
  void best_centredBucket_sameAnswerAsBruteForce() {
    Random r = new Random(7);
    float[] common = unit(new float[DIM]);
    for (int i = 0; i < DIM; i++) common[i] = (float) r.nextGaussian();
    unit(common);
    SemanticIndex index = new SemanticIndex(DIM, 0.95);
    List<CachedAnswer> all = new ArrayList<>();
    for (int i = 0; i < 3000; i++) {
      CachedAnswer a = entry(i, clustered(r, common));
      all.add(a);
      index.add(a);
    }
    assertEquals(3000, index.size());
    int hits = 0;
    for (int q = 0; q < 400; q++) {
      float[] query = q % 2 == 0 ? near(r, all.get(r.nextInt(all.size())).embedding(), 0.004) : clustered(r, common);
      CachedAnswer expected = null;
      double best = 0.95;
      for (CachedAnswer a : all) {
        double s = SemanticIndex.dot(a.embedding(), 0, query, DIM);
        if (s >= best) {
          best = s;
          expected = a;
        }
      }
      SemanticIndex.Match m = index.best("b", query, a -> true);
      if (expected == null) {
        assertNull(m, "query " + q);
      } else {
        assertNotNull(m, "query " + q + ": brute force found " + expected.exactKey() + " at " + best);
        assertSame(expected, m.answer());
        hits++;
      }
    }
    assertEquals(200, hits, "every near-duplicate found");
    // removal keeps the index consistent
    for (CachedAnswer a : all.subList(0, 1500)) index.remove(a);
    assertEquals(1500, index.size());
    assertNull(index.best("b", all.get(0).embedding(), a -> a == all.get(0)));
    assertSame(all.get(2000), index.best("b", all.get(2000).embedding(), a -> true).answer());
  }
}
