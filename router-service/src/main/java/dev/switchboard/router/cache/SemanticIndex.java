package dev.switchboard.router.cache;

import java.util.SplittableRandom;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Predicate;

/*
 * Index structure
 * ---------------
 * Entries are bucketed by their Fingerprint.bucketKey (tenant, route, system prompt, earlier turns, tools, sampling
 * parameters, numbers of the last turn): a lookup only ever compares prompts that could be served for each other, so a
 * bucket is usually small. A bucket can still hold everything one tenant asked one route (100,000 single-turn prompts
 * without numbers), and comparing a 256-float embedding with each of them is ~25M multiply-adds, several milliseconds.
 *
 * So each entry also carries a 256-bit SimHash: the signs of its embedding's projections on 256 fixed random
 * hyperplanes. Two unit vectors at angle t differ in each bit with probability t/pi, so the Hamming distance of their
 * signatures estimates the angle. A lookup first scans the signatures (4 XOR+popcount per entry, about a nanosecond)
 * and computes the exact cosine only for entries within maxHamming: the expected distance at the similarity
 * threshold plus five standard deviations, so an entry above the threshold is skipped with probability below 1e-6
 * (a skipped entry is a miss, never a wrong answer: the cosine and the guards decide every hit).
 */
/** In-process nearest-neighbour lookup of cached prompts' embeddings, bucketed by semantic context. */
final class SemanticIndex {
  static final int BITS = 256;
  private static final int WORDS = BITS / 64;

  private final int dim;
  /** BITS hyperplanes, each {@code dim} floats, row after row. */
  private final float[] planes;
  private final int maxHamming;
  private final ConcurrentHashMap<String, Bucket> buckets = new ConcurrentHashMap<>();

  /** A match: the entry and its cosine similarity. */
  record Match(CachedAnswer answer, double similarity) {}

  SemanticIndex(int dim, double threshold) {
    this.dim = dim;
    this.planes = new float[BITS * dim];
    SplittableRandom r = new SplittableRandom(0x5ca1ab1eL); // fixed: signatures mean the same in every process
    for (int i = 0; i < planes.length; i++) planes[i] = (float) gaussian(r);
    double p = Math.acos(Math.min(1, Math.max(-1, threshold))) / Math.PI;
    this.maxHamming = (int) Math.ceil(BITS * p + 5 * Math.sqrt(BITS * p * (1 - p)) + 2);
  }

  private static double gaussian(SplittableRandom r) {
    double u = r.nextDouble(), v = r.nextDouble();
    return Math.sqrt(-2 * Math.log(u == 0 ? 1e-12 : u)) * Math.cos(2 * Math.PI * v);
  }

  long[] signature(float[] v) {
    long[] sig = new long[WORDS];
    for (int b = 0; b < BITS; b++) {
      int off = b * dim;
      float s = 0;
      for (int j = 0; j < dim; j++) s += planes[off + j] * v[j];
      if (s >= 0) sig[b >>> 6] |= 1L << (b & 63);
    }
    return sig;
  }

  void add(CachedAnswer a) {
    buckets.computeIfAbsent(a.bucketKey(), k -> new Bucket(dim)).add(a, signature(a.embedding()));
  }

  void remove(CachedAnswer a) {
    Bucket b = buckets.get(a.bucketKey());
    if (b != null && b.remove(a) == 0) buckets.remove(a.bucketKey(), b);
  }

  /**
   * The most similar entry of {@code bucketKey} at or above {@code threshold} that {@code guard} accepts, or null.
   *
   * @param v the query embedding, L2-normalised
   */
  Match best(String bucketKey, float[] v, double threshold, Predicate<CachedAnswer> guard) {
    Bucket b = buckets.get(bucketKey);
    return b == null ? null : b.best(v, signature(v), threshold, maxHamming, guard);
  }

  int size() {
    int n = 0;
    for (Bucket b : buckets.values()) n += b.size();
    return n;
  }

  /** One bucket's entries in flat arrays (signatures and vectors contiguous for the scan); guarded by its monitor. */
  private static final class Bucket {
    private final int dim;
    private CachedAnswer[] entries = new CachedAnswer[4];
    private long[] sigs = new long[4 * WORDS];
    private float[] vecs;
    private int size;

    Bucket(int dim) {
      this.dim = dim;
      this.vecs = new float[4 * dim];
    }

    synchronized void add(CachedAnswer a, long[] sig) {
      for (int i = 0; i < size; i++) {
        if (entries[i].exactKey().equals(a.exactKey())) { // the same request answered again: replace
          set(i, a, sig);
          return;
        }
      }
      if (size == entries.length) {
        int cap = size * 2;
        entries = java.util.Arrays.copyOf(entries, cap);
        sigs = java.util.Arrays.copyOf(sigs, cap * WORDS);
        vecs = java.util.Arrays.copyOf(vecs, cap * dim);
      }
      set(size++, a, sig);
    }

    private void set(int i, CachedAnswer a, long[] sig) {
      entries[i] = a;
      System.arraycopy(sig, 0, sigs, i * WORDS, WORDS);
      System.arraycopy(a.embedding(), 0, vecs, i * dim, dim);
    }

    /** Removes {@code a} (by identity, so a replaced entry's eviction leaves its successor); returns the size left. */
    synchronized int remove(CachedAnswer a) {
      for (int i = 0; i < size; i++) {
        if (entries[i] == a) {
          int last = --size;
          if (i != last) {
            entries[i] = entries[last];
            System.arraycopy(sigs, last * WORDS, sigs, i * WORDS, WORDS);
            System.arraycopy(vecs, last * dim, vecs, i * dim, dim);
          }
          entries[last] = null;
          break;
        }
      }
      return size;
    }

    synchronized int size() {
      return size;
    }

    synchronized Match best(float[] v, long[] q, double threshold, int maxHamming, Predicate<CachedAnswer> guard) {
      CachedAnswer best = null;
      double bestSim = threshold;
      long q0 = q[0], q1 = q[1], q2 = q[2], q3 = q[3];
      for (int i = 0; i < size; i++) {
        int o = i * WORDS;
        int h = Long.bitCount(sigs[o] ^ q0) + Long.bitCount(sigs[o + 1] ^ q1) + Long.bitCount(sigs[o + 2] ^ q2)
            + Long.bitCount(sigs[o + 3] ^ q3);
        if (h > maxHamming) continue;
        double sim = dot(vecs, i * dim, v, dim);
        if (sim >= bestSim && guard.test(entries[i])) {
          best = entries[i];
          bestSim = sim;
        }
      }
      return best == null ? null : new Match(best, bestSim);
    }
  }

  static double dot(float[] a, int off, float[] b, int n) {
    float s0 = 0, s1 = 0, s2 = 0, s3 = 0;
    int j = 0;
    for (; j + 3 < n; j += 4) {
      s0 += a[off + j] * b[j];
      s1 += a[off + j + 1] * b[j + 1];
      s2 += a[off + j + 2] * b[j + 2];
      s3 += a[off + j + 3] * b[j + 3];
    }
    for (; j < n; j++) s0 += a[off + j] * b[j];
    return s0 + s1 + s2 + s3;
  }
}
