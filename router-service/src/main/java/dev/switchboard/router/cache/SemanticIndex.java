package dev.switchboard.router.cache;

import java.util.SplittableRandom;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Predicate;

/*
 * Index structure
 * ---------------
 * Entries are bucketed by their Fingerprint.bucketKey (tenant, route, system prompt, earlier turns, tools, sampling
 * parameters, numbers of the last turn): a lookup only ever compares prompts that could be served for each other, so a
 * bucket is usually small, and a small bucket (under CENTRE_AT entries) is simply scanned: a dot product per entry.
 * A bucket can still hold everything one tenant asked one route (100,000 single-turn prompts without numbers), and a
 * cosine with each of them is ~25M multiply-adds, several milliseconds.
 *
 * So a bucket that reaches CENTRE_AT entries takes their mean as its centre c, and each entry e gets a 256-bit SimHash
 * of e - c (the signs of its projections on 256 fixed random hyperplanes) and the norm |e - c|. Centring matters: the
 * static encoder's embeddings share a large common component, so uncentred they all lie within a narrow cone and their
 * signatures barely differ; centred, unrelated prompts are near-orthogonal. Two vectors at angle a differ in each bit
 * with probability a/pi. A query q qualifies an entry only within a Hamming distance that covers every entry it could
 * match: cos(q, e) >= t means |q - e|^2 <= 2 - 2t, the same for the centred vectors, so their angle a' satisfies
 * 1 - cos a' <= (2 - 2t) / (2 |q - c| |e - c|); the cut-off is the expected distance at that angle plus five standard
 * deviations (and everything when the bound says nothing), so an entry above the threshold is skipped with probability
 * below 1e-6 — a skipped entry is a miss, never a wrong answer: the exact cosine and the guards decide every hit.
 * Scanning the signatures costs 4 XOR+popcount per entry, about a nanosecond; the exact cosine runs for the few left.
 * The centre is kept once set (a stale centre only makes lookups slower, never wrong).
 */
/** In-process nearest-neighbour lookup of cached prompts' embeddings, bucketed by semantic context. */
final class SemanticIndex {
  static final int BITS = 256;
  private static final int WORDS = BITS / 64;
  /** A bucket is scanned entry by entry until it holds this many; then it is centred and signed. */
  static final int CENTRE_AT = 256;
  /** Resolution of the per-entry cut-off table, by the product |q - c| |e - c|. */
  private static final int BINS_PER_UNIT = 64, BINS = 4 * BINS_PER_UNIT;

  private final int dim;
  private final double threshold;
  /** BITS hyperplanes, each {@code dim} floats, row after row. */
  private final float[] planes;
  /** The largest Hamming distance a matching entry can have, by bin of |q - c| |e - c| (rounded down: conservative). */
  private final int[] maxHamming = new int[BINS];
  private final ConcurrentHashMap<String, Bucket> buckets = new ConcurrentHashMap<>();

  /** A match: the entry and its cosine similarity. */
  record Match(CachedAnswer answer, double similarity) {}

  SemanticIndex(int dim, double threshold) {
    this.dim = dim;
    this.threshold = threshold;
    this.planes = new float[BITS * dim];
    SplittableRandom r = new SplittableRandom(0x5ca1ab1eL);
    for (int i = 0; i < planes.length; i++) planes[i] = (float) gaussian(r);
    for (int k = 0; k < BINS; k++) {
      double prod = (double) k / BINS_PER_UNIT;
      double oneMinusCos = prod == 0 ? 2 : (2 - 2 * threshold) / (2 * prod);
      if (oneMinusCos >= 1) { // the bound allows 90 degrees or more: keep every entry
        maxHamming[k] = BITS;
        continue;
      }
      double p = Math.acos(1 - oneMinusCos) / Math.PI;
      maxHamming[k] = (int) Math.min(BITS, Math.ceil(BITS * p + 5 * Math.sqrt(BITS * p * (1 - p)) + 2));
    }
  }

  private static double gaussian(SplittableRandom r) {
    double u = r.nextDouble(), v = r.nextDouble();
    return Math.sqrt(-2 * Math.log(u == 0 ? 1e-12 : u)) * Math.cos(2 * Math.PI * v);
  }

  /** Signs of {@code v - c}'s projections into {@code sig} at {@code off}; returns |v - c|. */
  private float sign(float[] v, int voff, float[] c, long[] sig, int off, float[] scratch) {
    float norm = 0;
    for (int j = 0; j < dim; j++) {
      scratch[j] = v[voff + j] - c[j];
      norm += scratch[j] * scratch[j];
    }
    for (int w = 0; w < WORDS; w++) sig[off + w] = 0;
    for (int b = 0; b < BITS; b++) {
      if (dot(planes, b * dim, scratch, dim) >= 0) sig[off + (b >>> 6)] |= 1L << (b & 63);
    }
    return (float) Math.sqrt(norm);
  }

  void add(CachedAnswer a) {
    buckets.computeIfAbsent(a.bucketKey(), k -> new Bucket()).add(a);
  }

  void remove(CachedAnswer a) {
    Bucket b = buckets.get(a.bucketKey());
    if (b != null && b.remove(a) == 0) buckets.remove(a.bucketKey(), b);
  }

  /**
   * The most similar entry of {@code bucketKey} at or above the threshold that {@code guard} accepts, or null.
   *
   * @param v the query embedding, L2-normalised
   */
  Match best(String bucketKey, float[] v, Predicate<CachedAnswer> guard) {
    Bucket b = buckets.get(bucketKey);
    return b == null ? null : b.best(v, guard);
  }

  int size() {
    int n = 0;
    for (Bucket b : buckets.values()) n += b.size();
    return n;
  }

  /** One bucket's entries in flat arrays (signatures and vectors contiguous for the scan); guarded by its monitor. */
  private final class Bucket {
    private CachedAnswer[] entries = new CachedAnswer[4];
    private float[] vecs = new float[4 * dim];
    /** Null until the bucket reached CENTRE_AT entries; then the centre, and every entry's signature and norm. */
    private float[] centre;
    private long[] sigs;
    private float[] norms;
    private final float[] scratch = new float[dim];
    private int size;

    synchronized void add(CachedAnswer a) {
      for (int i = 0; i < size; i++) {
        if (entries[i].exactKey().equals(a.exactKey())) { // the same request answered again: replace
          set(i, a);
          return;
        }
      }
      if (size == entries.length) {
        int cap = size * 2;
        entries = java.util.Arrays.copyOf(entries, cap);
        vecs = java.util.Arrays.copyOf(vecs, cap * dim);
        if (centre != null) {
          sigs = java.util.Arrays.copyOf(sigs, cap * WORDS);
          norms = java.util.Arrays.copyOf(norms, cap);
        }
      }
      set(size++, a);
      if (centre == null && size >= CENTRE_AT) centre();
    }

    private void set(int i, CachedAnswer a) {
      entries[i] = a;
      System.arraycopy(a.embedding(), 0, vecs, i * dim, dim);
      if (centre != null) norms[i] = sign(vecs, i * dim, centre, sigs, i * WORDS, scratch);
    }

    private void centre() {
      float[] c = new float[dim];
      for (int i = 0; i < size; i++) for (int j = 0; j < dim; j++) c[j] += vecs[i * dim + j];
      for (int j = 0; j < dim; j++) c[j] /= size;
      centre = c;
      sigs = new long[entries.length * WORDS];
      norms = new float[entries.length];
      for (int i = 0; i < size; i++) norms[i] = sign(vecs, i * dim, centre, sigs, i * WORDS, scratch);
    }

    /** Removes {@code a} (by identity, so a replaced entry's eviction leaves its successor); returns the size left. */
    synchronized int remove(CachedAnswer a) {
      for (int i = 0; i < size; i++) {
        if (entries[i] == a) {
          int last = --size;
          if (i != last) {
            entries[i] = entries[last];
            System.arraycopy(vecs, last * dim, vecs, i * dim, dim);
            if (centre != null) {
              System.arraycopy(sigs, last * WORDS, sigs, i * WORDS, WORDS);
              norms[i] = norms[last];
            }
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

    synchronized Match best(float[] v, Predicate<CachedAnswer> guard) {
      CachedAnswer best = null;
      double bestSim = threshold;
      if (centre == null) {
        for (int i = 0; i < size; i++) {
          double sim = dot(vecs, i * dim, v, dim);
          if (sim >= bestSim && guard.test(entries[i])) {
            best = entries[i];
            bestSim = sim;
          }
        }
        return best == null ? null : new Match(best, bestSim);
      }
      long[] q = new long[WORDS];
      float rq = sign(v, 0, centre, q, 0, scratch);
      long q0 = q[0], q1 = q[1], q2 = q[2], q3 = q[3];
      for (int i = 0; i < size; i++) {
        int bin = (int) (rq * norms[i] * BINS_PER_UNIT);
        int o = i * WORDS;
        int h = Long.bitCount(sigs[o] ^ q0) + Long.bitCount(sigs[o + 1] ^ q1) + Long.bitCount(sigs[o + 2] ^ q2)
            + Long.bitCount(sigs[o + 3] ^ q3);
        if (h > maxHamming[Math.min(bin, BINS - 1)]) continue;
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
