package dev.switchboard.classifier.text;

import java.util.Arrays;
import java.util.Map;

/**
 * Two code-point tries over a WordPiece vocabulary: one for word-initial pieces (every token as
 * is) and one for continuation pieces (tokens starting with the prefix, prefix removed). Walking
 * a trie from a word position finds the longest vocabulary piece there in one pass, which is
 * what WordPiece's "try the whole rest, then one char shorter, ..." loop computes with many
 * hash lookups and substring copies.
 *
 * <p>Edges live in one open-addressing table keyed by (node, code point), so a step is one
 * multiply, usually one probe, and no allocation. Immutable after construction.
 */
final class VocabTrie {

  static final int INITIAL_ROOT = 0;
  static final int CONTINUATION_ROOT = 1;

  private static final long EMPTY = -1L;

  private final long[] keys;
  private final int[] children;
  private final int shift;
  private final int[] tokenIds;

  VocabTrie(Map<String, Integer> vocab, String continuationPrefix) {
    // Build in a table sized for the worst case (no shared prefixes), then move the edges into
    // one sized for the real count.
    int bound = 2;
    for (String token : vocab.keySet()) {
      bound += 2 * token.length();
    }
    VocabTrie build = new VocabTrie(tableSize(bound), bound);
    int nodes = 2;
    for (Map.Entry<String, Integer> e : vocab.entrySet()) {
      String token = e.getKey();
      nodes = build.insert(INITIAL_ROOT, token, 0, e.getValue(), nodes);
      if (!continuationPrefix.isEmpty() && token.startsWith(continuationPrefix) && token.length() > continuationPrefix.length()) {
        nodes = build.insert(CONTINUATION_ROOT, token, continuationPrefix.length(), e.getValue(), nodes);
      }
    }
    int capacity = tableSize(nodes);
    keys = new long[capacity];
    Arrays.fill(keys, EMPTY);
    children = new int[capacity];
    shift = 64 - Integer.numberOfTrailingZeros(capacity);
    for (int slot = 0; slot < build.keys.length; slot++) {
      if (build.keys[slot] != EMPTY) {
        put(build.keys[slot], build.children[slot]);
      }
    }
    tokenIds = Arrays.copyOf(build.tokenIds, nodes);
  }

  private VocabTrie(int capacity, int maxNodes) {
    keys = new long[capacity];
    Arrays.fill(keys, EMPTY);
    children = new int[capacity];
    shift = 64 - Integer.numberOfTrailingZeros(capacity);
    tokenIds = new int[maxNodes];
    Arrays.fill(tokenIds, -1);
  }

  /** A power of two at least twice {@code entries} (load factor at most 1/2). */
  private static int tableSize(int entries) {
    return Integer.highestOneBit(Math.max(8, entries) * 2 - 1) << 1;
  }

  /** The child of {@code node} along {@code cp}, or -1. */
  int child(int node, int cp) {
    long key = key(node, cp);
    int slot = (int) ((key * 0x9E3779B97F4A7C15L) >>> shift);
    int mask = keys.length - 1;
    while (true) {
      long k = keys[slot];
      if (k == key) {
        return children[slot];
      }
      if (k == EMPTY) {
        return -1;
      }
      slot = (slot + 1) & mask;
    }
  }

  /** The token id ending at {@code node}, or -1 when no vocabulary entry ends there. */
  int tokenId(int node) {
    return tokenIds[node];
  }

  private int insert(int root, String token, int from, int id, int nodes) {
    int node = root;
    for (int i = from; i < token.length(); ) {
      int cp = token.codePointAt(i);
      i += Character.charCount(cp);
      int next = child(node, cp);
      if (next < 0) {
        next = nodes++;
        put(key(node, cp), next);
      }
      node = next;
    }
    tokenIds[node] = id;
    return nodes;
  }

  private static long key(int node, int cp) {
    return ((long) node << 21) | cp;
  }

  private void put(long key, int child) {
    int slot = (int) ((key * 0x9E3779B97F4A7C15L) >>> shift);
    int mask = keys.length - 1;
    while (keys[slot] != EMPTY) {
      slot = (slot + 1) & mask;
    }
    keys[slot] = key;
    children[slot] = child;
  }
}
