package dev.switchboard.classifier.text;

import java.util.Arrays;

/**
 * The mutable state of one {@link WordPieceTokenizer} call: it streams a text once, char by
 * char, through added-token matching, BERT normalisation, pre-tokenisation and WordPiece,
 * appending ids to a growing array. One instance per call (or per thread); never shared.
 *
 * <h2>Why streaming is exact</h2>
 * HF normalises the whole text, then splits it into words, then runs WordPiece per word. Every
 * normalisation step but one works code point by code point, and a word is a run of normalised
 * code points between white space, punctuation and CJK ideographs; so a word can be finished as
 * soon as its end is seen. The exception is NFD's canonical ordering, which sorts runs of
 * nonzero-combining-class marks. Stripping Mn afterwards keeps the survivors' relative order, so
 * {@link #letter} sorts the (rare) surviving nonzero-class code points into the current run.
 *
 * <h2>DJL's string quirk</h2>
 * DJL hands the Java string to Rust through JNI's modified UTF-8; when the string contains a lone
 * surrogate that conversion fails and DJL falls back to a lossy UTF-8 decoding, which turns every
 * surrogate code unit (also those of valid pairs, i.e. every astral code point) into U+FFFD, and
 * BERT's clean_text drops U+FFFD. {@link #lossy} reproduces that: all surrogates are dropped.
 */
final class EncodeRun implements BertUnicode.Sink {

  private final WordPieceTokenizer tok;
  private final VocabTrie trie;
  private final byte[] kinds;
  private final int maxChars;
  private final boolean lossy;

  /** The current word's normalised code points (at most maxChars; see {@link #overlong}). */
  private final int[] word;
  private int len;
  private boolean overlong;
  /** Start of the current canonical-ordering run in {@link #word}. */
  private int runStart;

  int[] out;
  int count;

  EncodeRun(WordPieceTokenizer tok, VocabTrie trie, byte[] kinds, int maxChars, boolean lossy, int capacity) {
    this.tok = tok;
    this.trie = trie;
    this.kinds = kinds;
    this.maxChars = maxChars;
    this.lossy = lossy;
    this.word = new int[maxChars + 1];
    this.out = new int[Math.max(capacity, 4)];
  }

  /**
   * Tokenises {@code text[from, to)}, which must start and end at word boundaries, appending ids.
   * Stops early, at a word boundary, once {@code limit} ids are out.
   *
   * @return the index after the last char consumed ({@code to} unless stopped early), or -1 when
   *     a lone surrogate was met and the run is not {@link #lossy} (the caller restarts lossy)
   */
  int run(String text, int from, int to, int limit) {
    byte[] kinds = this.kinds;
    int i = from;
    while (i < to) {
      char c = text.charAt(i++);
      switch (kinds[c]) {
        case BertUnicode.WORD -> {
          if (len < maxChars) {
            word[len++] = BertUnicode.mapped(c);
            runStart = len;
          } else {
            overlong = true;
          }
          continue; // a word never ends here: no limit check needed
        }
        case BertUnicode.SPACE -> endWord();
        case BertUnicode.ISOLATE -> {
          endWord();
          emitSingle(BertUnicode.mapped(c));
        }
        case BertUnicode.DROP -> {
          continue;
        }
        case WordPieceTokenizer.ADDED_START -> {
          int at = tok.matchAdded(text, i - 1, to);
          if (at >= 0) {
            endWord();
            emit(tok.addedId(at));
            i += tok.addedLength(at) - 1;
          } else {
            BertUnicode.normalize(c, this);
          }
        }
        default -> {
          if (!Character.isSurrogate(c)) {
            BertUnicode.replay(c, this);
          } else {
            int cp = c;
            if (Character.isHighSurrogate(c) && i < to && Character.isLowSurrogate(text.charAt(i))) {
              cp = Character.toCodePoint(c, text.charAt(i++));
              if (lossy) {
                continue;
              }
            } else if (lossy) {
              continue;
            } else {
              return -1;
            }
            BertUnicode.normalize(cp, this);
          }
        }
      }
      if (count >= limit && len == 0 && !overlong) {
        return i;
      }
    }
    endWord();
    return to;
  }

  /** Appends ids verbatim (special tokens of the post-processor). */
  void emitAll(int[] ids) {
    for (int id : ids) {
      emit(id);
    }
  }

  int[] ids() {
    return Arrays.copyOf(out, count);
  }

  // ---------------------------------------------------------------- BertUnicode.Sink

  @Override
  public void endWord() {
    if (len == 0 && !overlong) {
      return;
    }
    if (overlong) {
      emit(tok.unkId());
    } else {
      wordPiece();
    }
    len = 0;
    runStart = 0;
    overlong = false;
  }

  @Override
  public void letter(int cp, int ccc) {
    if (len >= maxChars) {
      overlong = true;
      return;
    }
    if (ccc == 0) {
      word[len++] = cp;
      runStart = len;
      return;
    }
    // Canonical ordering: a stable insertion by combining class into the current run.
    int k = len;
    while (k > runStart && BertUnicode.combiningClass(word[k - 1]) > ccc) {
      word[k] = word[k - 1];
      k--;
    }
    word[k] = cp;
    len++;
  }

  @Override
  public void starterMark() {
    runStart = len;
  }

  // ---------------------------------------------------------------- WordPiece

  private void emitSingle(int cp) {
    int node = trie.child(VocabTrie.INITIAL_ROOT, cp);
    int id = node < 0 ? -1 : trie.tokenId(node);
    emit(id < 0 ? tok.unkId() : id);
  }

  /** Greedy longest-match-first over the current word; any unmatched rest makes it one [UNK]. */
  private void wordPiece() {
    int whole = tok.wholeWords().id(word, len); // a word that is a token is its own longest match
    if (whole >= 0) {
      emit(whole);
      return;
    }
    int mark = count;
    int start = 0;
    int root = VocabTrie.INITIAL_ROOT;
    while (start < len) {
      int node = root;
      int end = -1;
      int id = -1;
      for (int i = start; i < len; i++) {
        node = trie.child(node, word[i]);
        if (node < 0) {
          break;
        }
        int t = trie.tokenId(node);
        if (t >= 0) {
          end = i + 1;
          id = t;
        }
      }
      if (end < 0) {
        count = mark;
        emit(tok.unkId());
        return;
      }
      emit(id);
      start = end;
      root = VocabTrie.CONTINUATION_ROOT;
    }
  }

  private void emit(int id) {
    if (count == out.length) {
      out = Arrays.copyOf(out, out.length + (out.length >> 1) + 8);
    }
    out[count++] = id;
  }
}
