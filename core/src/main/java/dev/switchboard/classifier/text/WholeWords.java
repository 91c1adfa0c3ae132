package dev.switchboard.classifier.text;

import java.util.Map;

/**
 * The vocabulary's entries as whole words: one hash probe answers "is this word a token?", which
 * in English text it usually is. WordPiece's greedy longest match from a word's start then takes
 * the whole word, so the answer is the word's only id and {@link VocabTrie}'s walk is skipped.
 *
 * <p>Why: the trie costs a random memory access per character (its table is megabytes), and on
 * the router's scoring path the static encoder's table rows evict it between prompts; measured
 * there, tokenising was the largest part of a 256-token score. This table is a quarter of the
 * size and costs two accesses per word: the slot and the word's characters in one pool.
 *
 * <p>Entries with characters outside the BMP are left out (the trie still finds them). Immutable.
 */
final class WholeWords {

  /** Per slot: hash (0 = empty), token id, offset in {@link #pool}, length. */
  private final int[] slots;
  private final char[] pool;
  private final int mask;

  WholeWords(Map<String, Integer> vocab) {
    int entries = 0;
    int chars = 0;
    for (String token : vocab.keySet()) {
      if (bmpOnly(token)) {
        entries++;
        chars += token.length();
      }
    }
    int capacity = Integer.highestOneBit(Math.max(8, entries) * 2 - 1) << 1; // load factor at most 1/2
    slots = new int[4 * capacity];
    pool = new char[chars];
    mask = capacity - 1;
    int at = 0;
    for (Map.Entry<String, Integer> e : vocab.entrySet()) {
      String token = e.getKey();
      if (!bmpOnly(token)) {
        continue;
      }
      token.getChars(0, token.length(), pool, at);
      int h = hash(token);
      int slot = h & mask;
      while (slots[4 * slot] != 0) {
        slot = (slot + 1) & mask;
      }
      slots[4 * slot] = h;
      slots[4 * slot + 1] = e.getValue();
      slots[4 * slot + 2] = at;
      slots[4 * slot + 3] = token.length();
      at += token.length();
    }
  }

  /** The id of the vocabulary entry equal to {@code word[0, len)} (code points), or -1. */
  int id(int[] word, int len) {
    int h = 0x811C9DC5;
    for (int i = 0; i < len; i++) {
      h = (h ^ word[i]) * 0x01000193;
    }
    h = finish(h);
    for (int slot = h & mask; ; slot = (slot + 1) & mask) {
      int s = slots[4 * slot];
      if (s == 0) {
        return -1;
      }
      if (s == h && slots[4 * slot + 3] == len && equal(word, len, slots[4 * slot + 2])) {
        return slots[4 * slot + 1];
      }
    }
  }

  private boolean equal(int[] word, int len, int at) {
    for (int i = 0; i < len; i++) {
      if (word[i] != pool[at + i]) {
        return false;
      }
    }
    return true;
  }

  /** The same hash as {@link #id} over a BMP-only string's chars (each char is its code point). */
  private static int hash(String token) {
    int h = 0x811C9DC5;
    for (int i = 0; i < token.length(); i++) {
      h = (h ^ token.charAt(i)) * 0x01000193;
    }
    return finish(h);
  }

  /** Mixes the high bits into the slot bits; never 0, which marks an empty slot. */
  private static int finish(int h) {
    h ^= h >>> 16;
    h *= 0x85EBCA6B;
    h ^= h >>> 13;
    return h == 0 ? 1 : h;
  }

  private static boolean bmpOnly(String token) {
    if (token.isEmpty()) {
      return false;
    }
    for (int i = 0; i < token.length(); i++) {
      if (Character.isSurrogate(token.charAt(i))) {
        return false;
      }
    }
    return true;
  }
}
