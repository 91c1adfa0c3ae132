package dev.switchboard.classifier.encoder;

/**
 * A prompt's content ids as distinct ids with counts, in first-seen order. Reusable per thread:
 * {@link #of} resets it in time proportional to the previous prompt's distinct ids, not the
 * vocabulary.
 */
final class BagOfIds {
  private final int[] slot; // id -> index into ids/counts, or -1
  private int[] ids = new int[256];
  private int[] counts = new int[256];
  private int distinct;
  private int total;

  public BagOfIds(int vocabulary) {
    slot = new int[vocabulary];
    java.util.Arrays.fill(slot, -1);
  }

  /** Fills the bag with {@code tokens[0..n)}; returns this. */
  public BagOfIds of(int[] tokens, int n) {
    for (int u = 0; u < distinct; u++) {
      slot[ids[u]] = -1;
    }
    distinct = 0;
    total = n;
    for (int t = 0; t < n; t++) {
      int id = tokens[t];
      int s = slot[id];
      if (s < 0) {
        if (distinct == ids.length) {
          ids = java.util.Arrays.copyOf(ids, distinct * 2);
          counts = java.util.Arrays.copyOf(counts, distinct * 2);
        }
        slot[id] = distinct;
        ids[distinct] = id;
        counts[distinct++] = 1;
      } else {
        counts[s]++;
      }
    }
    return this;
  }

  public int distinct() {
    return distinct;
  }

  public int total() {
    return total;
  }

  public int id(int u) {
    return ids[u];
  }

  public int count(int u) {
    return counts[u];
  }
}
