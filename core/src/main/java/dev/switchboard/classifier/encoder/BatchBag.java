package dev.switchboard.classifier.encoder;

import java.util.Arrays;

/**
 * Several prompts' bags as one encoder input: the union of their distinct ids (first-seen order)
 * and, per prompt, each of its ids' share of its tokens, laid out as the dense {@code [prompts, U]}
 * weights of the static encoder graph. Reusable per thread: {@link #clear} costs the previous
 * batch's distinct ids, not the vocabulary.
 */
final class BatchBag {
  private final int[] slot; // id -> column in the union, or -1
  private int[] ids = new int[1024];
  private int distinct;
  private int[] entryColumn = new int[4096];
  private float[] entryWeight = new float[4096];
  private int entries;
  private int[] rowEnd = new int[16];
  private int rows;

  BatchBag(int vocabulary) {
    slot = new int[vocabulary];
    Arrays.fill(slot, -1);
  }

  BatchBag clear() {
    for (int u = 0; u < distinct; u++) {
      slot[ids[u]] = -1;
    }
    distinct = 0;
    entries = 0;
    rows = 0;
    return this;
  }

  /** Adds one prompt's bag as the next row; its weights are count / total, as for a single prompt. */
  void add(BagOfIds bag) {
    for (int u = 0; u < bag.distinct(); u++) {
      int id = bag.id(u);
      int column = slot[id];
      if (column < 0) {
        if (distinct == ids.length) {
          ids = Arrays.copyOf(ids, distinct * 2);
        }
        column = slot[id] = distinct;
        ids[distinct++] = id;
      }
      if (entries == entryColumn.length) {
        entryColumn = Arrays.copyOf(entryColumn, entries * 2);
        entryWeight = Arrays.copyOf(entryWeight, entries * 2);
      }
      entryColumn[entries] = column;
      entryWeight[entries++] = bag.count(u) / (float) bag.total();
    }
    if (rows == rowEnd.length) {
      rowEnd = Arrays.copyOf(rowEnd, rows * 2);
    }
    rowEnd[rows++] = entries;
  }

  int rows() {
    return rows;
  }

  int distinct() {
    return distinct;
  }

  long[] unionIds() {
    long[] out = new long[distinct];
    for (int u = 0; u < distinct; u++) {
      out[u] = ids[u];
    }
    return out;
  }

  /** Row-major {@code [rows, distinct]}. */
  float[] weights() {
    float[] w = new float[rows * distinct];
    int e = 0;
    for (int r = 0; r < rows; r++) {
      for (; e < rowEnd[r]; e++) {
        w[r * distinct + entryColumn[e]] = entryWeight[e];
      }
    }
    return w;
  }
}
