package dev.switchboard.classifier.text;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.Arrays;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * A pure-Java BERT WordPiece tokenizer that returns exactly the ids of HF tokenizers (as DJL's
 * {@code HuggingFaceTokenizer} runs it with special tokens on, no truncation, no padding) for an
 * uncased BERT {@code tokenizer.json}: added tokens matched in the raw text, BertNormalizer
 * (clean text, CJK spacing, NFD accent stripping, lowercase), BertPreTokenizer, WordPiece, and
 * a [CLS] ... [SEP] template. See {@link BertUnicode} for the Unicode details and
 * {@link EncodeRun} for how one pass over the text does all of it without regexes or per-char
 * allocation.
 *
 * <p>Immutable after loading, so one instance serves all threads.
 *
 * <pre>{@code
 * WordPieceTokenizer tok = WordPieceTokenizer.fromClasspath("all-minilm-l6-v2-q-tokenizer.json");
 * int[] ids = tok.encode("Hello, world!");   // [101, 7592, 1010, 2088, 999, 102]
 * }</pre>
 */
public final class WordPieceTokenizer {

  /** Fast-path class (beyond {@link BertUnicode}'s) of a char that may start an added token. */
  static final byte ADDED_START = 5;

  private final String[] tokens;
  private final Map<String, Integer> ids;
  private final VocabTrie trie;
  private final WholeWords wholeWords;
  private final byte[] kinds;
  private final boolean[] safeStart;
  private final String[] added;
  private final int[] addedIds;
  private final int unkId;
  private final int maxChars;
  private final int[] before;
  private final int[] after;

  private WordPieceTokenizer(TokenizerJson.Spec spec) {
    trie = new VocabTrie(spec.vocab(), spec.prefix());
    wholeWords = new WholeWords(spec.vocab());
    unkId = spec.unkId();
    maxChars = spec.maxInputCharsPerWord();
    before = spec.before();
    after = spec.after();
    ids = new HashMap<>(spec.vocab());
    List<TokenizerJson.AddedToken> sorted = spec.added().stream()
        .sorted(Comparator.comparingInt((TokenizerJson.AddedToken t) -> t.content().length()).reversed())
        .toList();
    added = sorted.stream().map(TokenizerJson.AddedToken::content).toArray(String[]::new);
    addedIds = sorted.stream().mapToInt(TokenizerJson.AddedToken::id).toArray();
    for (TokenizerJson.AddedToken t : sorted) {
      ids.putIfAbsent(t.content(), t.id());
    }
    int size = ids.values().stream().mapToInt(Integer::intValue).max().orElse(-1) + 1;
    tokens = new String[size];
    ids.forEach((token, id) -> {
      if (tokens[id] == null || spec.vocab().containsKey(token)) {
        tokens[id] = token;
      }
    });
    kinds = new byte[0x10000];
    safeStart = new boolean[0x10000];
    for (int c = 0; c < 0x10000; c++) {
      kinds[c] = BertUnicode.kind((char) c);
      safeStart[c] = kinds[c] == BertUnicode.SPACE || kinds[c] == BertUnicode.ISOLATE;
    }
    for (String t : added) {
      kinds[t.charAt(0)] = ADDED_START;
      t.chars().forEach(c -> safeStart[c] = false);
    }
  }

  /**
   * Loads a tokenizer from a {@code tokenizer.json} stream (not closed).
   *
   * @param json the file's bytes
   * @return the tokenizer
   * @throws IllegalArgumentException naming the field when the JSON lacks the vocabulary or uses
   *     a model, normaliser, pre-tokenizer, post-processor or added-token option not implemented here
   * @throws UncheckedIOException when the stream cannot be read or is not JSON
   */
  public static WordPieceTokenizer load(InputStream json) {
    return new WordPieceTokenizer(TokenizerJson.read(Objects.requireNonNull(json, "json"), "(stream)"));
  }

  /**
   * Loads a tokenizer from a classpath resource, e.g. {@code all-minilm-l6-v2-q-tokenizer.json}.
   *
   * @param resource resource name, resolved by this class's class loader (no leading slash)
   * @return the tokenizer
   * @throws IllegalArgumentException when the resource is missing or unsupported (see {@link #load})
   */
  public static WordPieceTokenizer fromClasspath(String resource) {
    try (InputStream in = WordPieceTokenizer.class.getClassLoader().getResourceAsStream(resource)) {
      if (in == null) {
        throw new IllegalArgumentException("tokenizer resource '" + resource + "' is not on the classpath");
      }
      return new WordPieceTokenizer(TokenizerJson.read(in, "'" + resource + "'"));
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read tokenizer resource '" + resource + "'", e);
    }
  }

  /**
   * Tokenises {@code text} the way DJL's {@code HuggingFaceTokenizer.encode(text).getIds()} does.
   *
   * @param text any string (lone surrogates included, see {@link EncodeRun})
   * @return the ids, [CLS] first and [SEP] last
   */
  public int[] encode(String text) {
    Objects.requireNonNull(text, "text");
    EncodeRun run = fullRun(text, false);
    if (run == null) {
      run = fullRun(text, true);
    }
    return run.ids();
  }

  /**
   * Tokenises {@code text} and keeps its head and tail: exactly
   * {@code HeadTailTruncation.apply(encode(text), maxTokens)}, i.e. the first {@code maxTokens/2}
   * ids and the last {@code maxTokens - maxTokens/2}. For long texts only both ends are
   * tokenised: the head until enough ids are out, the tail from a word boundary near the end.
   *
   * @param text any string
   * @param maxTokens the budget, special tokens included; at least 2
   * @return at most {@code maxTokens} ids, [CLS] first and [SEP] last
   * @throws IllegalArgumentException when {@code maxTokens < 2}
   */
  public int[] encode(String text, int maxTokens) {
    if (maxTokens < 2) {
      throw new IllegalArgumentException("maxTokens must be >= 2, was " + maxTokens);
    }
    Objects.requireNonNull(text, "text");
    int n = text.length();
    int head = maxTokens / 2;
    int tail = maxTokens - head;
    if (n <= 4L * maxTokens) {
      return headTail(encode(text), head, tail);
    }
    boolean lossy = hasLoneSurrogate(text);
    EncodeRun h = new EncodeRun(this, trie, kinds, maxChars, lossy, head + 8);
    h.emitAll(before);
    int p = h.run(text, 0, n, head);
    if (p == n) {
      h.emitAll(after);
      return headTail(h.ids(), head, tail);
    }
    for (long window = 8L * tail + 64; ; window *= 2) {
      int w = window >= n - p ? p : nextSafeStart(text, (int) (n - window), n);
      w = Math.max(w, p);
      EncodeRun t = new EncodeRun(this, trie, kinds, maxChars, lossy, tail + 8);
      t.run(text, w, n, Integer.MAX_VALUE);
      t.emitAll(after);
      if (w == p) {
        int[] all = Arrays.copyOf(h.out, h.count + t.count);
        System.arraycopy(t.out, 0, all, h.count, t.count);
        return headTail(all, head, tail);
      }
      if (t.count >= tail) {
        int[] ids = Arrays.copyOf(h.out, maxTokens);
        System.arraycopy(t.out, t.count - tail, ids, head, tail);
        return ids;
      }
    }
  }

  /**
   * Size of the id space (vocabulary plus added tokens).
   *
   * @return one more than the highest id; every id {@link #encode} returns is below it
   */
  public int vocabSize() {
    return tokens.length;
  }

  /**
   * The token string of an id (continuation pieces keep their prefix, e.g. {@code ##ing}).
   *
   * @param id a token id
   * @return its token string
   * @throws IllegalArgumentException when no token has this id
   */
  public String token(int id) {
    if (id < 0 || id >= tokens.length || tokens[id] == null) {
      throw new IllegalArgumentException("no token with id " + id + " (vocabulary size " + tokens.length + ")");
    }
    return tokens[id];
  }

  /**
   * The id of a vocabulary entry or added token, looked up verbatim (not normalised).
   *
   * @param token a vocabulary entry or added token, e.g. {@code ##ing} or {@code [SEP]}
   * @return its id, or -1 when the vocabulary has no such entry
   */
  public int id(String token) {
    return ids.getOrDefault(token, -1);
  }

  // ---------------------------------------------------------------- used by EncodeRun

  int unkId() {
    return unkId;
  }

  WholeWords wholeWords() {
    return wholeWords;
  }

  /** Index of the longest added token starting at {@code text[at]} and ending by {@code to}, or -1. */
  int matchAdded(String text, int at, int to) {
    for (int k = 0; k < added.length; k++) {
      String a = added[k];
      if (at + a.length() <= to && text.startsWith(a, at)) {
        return k;
      }
    }
    return -1;
  }

  int addedId(int k) {
    return addedIds[k];
  }

  int addedLength(int k) {
    return added[k].length();
  }

  // ---------------------------------------------------------------- internals

  /** One pass over the whole text, or null when a lone surrogate needs a lossy pass instead. */
  private EncodeRun fullRun(String text, boolean lossy) {
    EncodeRun run = new EncodeRun(this, trie, kinds, maxChars, lossy, text.length() / 3 + 16);
    run.emitAll(before);
    if (run.run(text, 0, text.length(), Integer.MAX_VALUE) < 0) {
      return null;
    }
    run.emitAll(after);
    return run;
  }

  /** First index in {@code [from, to)} where a run may start as if it were the text's start, else {@code to}. */
  private int nextSafeStart(String text, int from, int to) {
    for (int i = from; i < to; i++) {
      if (safeStart[text.charAt(i)]) {
        return i;
      }
    }
    return to;
  }

  private static boolean hasLoneSurrogate(String text) {
    for (int i = 0, n = text.length(); i < n; i++) {
      char c = text.charAt(i);
      if (Character.isSurrogate(c)) {
        if (Character.isHighSurrogate(c) && i + 1 < n && Character.isLowSurrogate(text.charAt(i + 1))) {
          i++;
        } else {
          return true;
        }
      }
    }
    return false;
  }

  private static int[] headTail(int[] ids, int head, int tail) {
    if (ids.length <= head + tail) {
      return ids;
    }
    int[] out = Arrays.copyOf(ids, head + tail);
    System.arraycopy(ids, ids.length - tail, out, head, tail);
    return out;
  }
}
