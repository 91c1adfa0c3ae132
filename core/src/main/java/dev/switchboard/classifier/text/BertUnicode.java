package dev.switchboard.classifier.text;

import java.util.Arrays;

/**
 * BERT normalisation and pre-tokenisation of one code point, as HF tokenizers 0.21 (the native
 * library inside DJL 0.38) does it.
 *
 * <h2>What HF does, in order</h2>
 * <ol>
 *   <li>clean_text: drop NUL, U+FFFD and "control" chars (every Cc and Cf and private-use char
 *       except tab, LF and CR); map Unicode White_Space (tab, LF, CR included) to a space;
 *   <li>handle_chinese_chars: put spaces around chars of the CJK ideograph blocks (not kana,
 *       not hangul);
 *   <li>strip_accents: NFD, then drop non-spacing marks (Mn);
 *   <li>lowercase, char by char (no final-sigma rule);
 *   <li>pre-tokenise: split on White_Space, isolate ASCII punctuation and Unicode P*.
 * </ol>
 *
 * <h2>Why tables of our own</h2>
 * The Cf, Mn and P* sets come from the crate {@code unicode_categories} 0.1.1 (Unicode 8.0) and
 * NFD from {@code unicode-normalization-alignments} 0.1.12 (Unicode 9.0); Java 17 knows Unicode
 * 13, so {@link Character#getType} would disagree on 368 code points (272 Mn, 85 P*, 11 Cf;
 * e.g. U+08D4 is Mn for Java but a letter for HF, U+110CD is Cf for Java but kept by HF). The resource
 * {@code bert-unicode-tables.txt} holds the crates' own tables (see
 * {@code classifier/tools/gen_bert_unicode_tables.py}). Lowercasing uses Java's simple case
 * mapping: it equals Rust's {@code char::to_lowercase} wherever the vocabulary can tell (the
 * one multi-char mapping, U+0130, never reaches it: NFD splits it first), which the exhaustive
 * code-point test checks.
 *
 * <p>The result for the BMP is precomputed: {@link #kind}/{@link #mapped} for chars that become
 * one char or nothing, {@link #replay} for the others (hangul syllables, decompositions into
 * several chars). Astral code points go through {@link #normalize} each time.
 */
final class BertUnicode {

  /** Invisible: removed by clean_text, or a lone non-spacing mark with a nonzero combining class. */
  static final byte DROP = 0;
  /** White space: ends the current word. */
  static final byte SPACE = 1;
  /** Appends {@link #mapped} (a starter) to the current word. */
  static final byte WORD = 2;
  /** Punctuation or a CJK ideograph: a word of its own ({@link #mapped}). */
  static final byte ISOLATE = 3;
  /** Anything else (hangul, decompositions into several chars, combining classes, surrogates): see {@link #replay}. */
  static final byte SLOW = 4;

  /** Receives the pre-tokenised stream of normalised code points. */
  interface Sink {
    /** Ends the current word (white space, or around punctuation and CJK ideographs). */
    void endWord();

    /** Appends a normalised code point whose NFD combining class is {@code ccc} to the current word. */
    void letter(int cp, int ccc);

    /** A dropped non-spacing mark of combining class 0: ends the current canonical-ordering run. */
    void starterMark();
  }

  private static final String RESOURCE = "bert-unicode-tables.txt";
  private static final int HANGUL_FIRST = 0xAC00;
  private static final int HANGUL_COUNT = 11172;

  private static final int[] FORMAT;
  private static final int[] NONSPACING_MARK;
  private static final int[] PUNCTUATION;
  private static final int[] CCC_KEYS;
  private static final byte[] CCC_VALUES;
  private static final int[] NFD_KEYS;
  private static final int[][] NFD_VALUES;
  private static final byte[] KIND = new byte[0x10000];
  private static final char[] MAPPED = new char[0x10000];
  /** {@link #normalize}'s calls for each BMP {@link #SLOW} char: SLOW_EVENTS[SLOW_FROM[c] .. SLOW_FROM[c + 1]). */
  private static final int[] SLOW_FROM = new int[0x10001];
  private static final int[] SLOW_EVENTS;
  private static final int EVENT_END_WORD = -1;
  private static final int EVENT_STARTER_MARK = -2;

  static {
    UnicodeTables t = UnicodeTables.read(RESOURCE);
    FORMAT = t.format;
    NONSPACING_MARK = t.nonspacingMark;
    PUNCTUATION = t.punctuation;
    CCC_KEYS = t.cccKeys;
    CCC_VALUES = t.cccValues;
    NFD_KEYS = t.nfdKeys;
    NFD_VALUES = t.nfdValues;
    Recorder r = new Recorder();
    for (int c = 0; c < 0x10000; c++) {
      SLOW_FROM[c] = r.events.size();
      if (Character.isSurrogate((char) c)) {
        KIND[c] = SLOW;
      } else {
        KIND[c] = r.classify(c);
        MAPPED[c] = (char) r.cp;
        if (KIND[c] != SLOW) {
          r.events.truncate(SLOW_FROM[c]);
        }
      }
    }
    SLOW_FROM[0x10000] = r.events.size();
    SLOW_EVENTS = r.events.toArray();
  }

  private BertUnicode() {}

  /** Fast-path class of a BMP char (surrogates are {@link #SLOW}). */
  static byte kind(char c) {
    return KIND[c];
  }

  /** The normalised char of a {@link #WORD} or {@link #ISOLATE} BMP char. */
  static char mapped(char c) {
    return MAPPED[c];
  }

  /** {@link #normalize} for a BMP {@link #SLOW} char (not a surrogate), replayed from a table. */
  static void replay(char c, Sink sink) {
    for (int i = SLOW_FROM[c], end = SLOW_FROM[c + 1]; i < end; i++) {
      int e = SLOW_EVENTS[i];
      if (e == EVENT_END_WORD) {
        sink.endWord();
      } else if (e == EVENT_STARTER_MARK) {
        sink.starterMark();
      } else {
        sink.letter(e & 0x1FFFFF, e >>> 21);
      }
    }
  }

  /** Runs one code point of the original text through normalisation and pre-tokenisation. */
  static void normalize(int cp, Sink sink) {
    if (isRemoved(cp)) {
      return;
    }
    if (isWhitespace(cp)) {
      sink.endWord();
      return;
    }
    boolean chinese = isChinese(cp);
    if (chinese) {
      sink.endWord();
    }
    if (cp >= HANGUL_FIRST && cp < HANGUL_FIRST + HANGUL_COUNT) {
      int s = cp - HANGUL_FIRST;
      decomposed(0x1100 + s / (21 * 28), sink);
      decomposed(0x1161 + (s % (21 * 28)) / 28, sink);
      if (s % 28 != 0) {
        decomposed(0x11A7 + s % 28, sink);
      }
    } else {
      int k = Arrays.binarySearch(NFD_KEYS, cp);
      if (k < 0) {
        decomposed(cp, sink);
      } else {
        for (int d : NFD_VALUES[k]) {
          decomposed(d, sink);
        }
      }
    }
    if (chinese) {
      sink.endWord();
    }
  }

  /** One code point of the NFD output: strip Mn, lowercase, then pre-tokenise. */
  private static void decomposed(int d, Sink sink) {
    int ccc = combiningClass(d);
    if (inRanges(NONSPACING_MARK, d)) {
      if (ccc == 0) {
        sink.starterMark();
      }
      return;
    }
    int lc = Character.toLowerCase(d);
    if (isWhitespace(lc)) {
      sink.endWord();
    } else if (isPunctuation(lc)) {
      sink.endWord();
      sink.letter(lc, 0);
      sink.endWord();
    } else {
      sink.letter(lc, ccc);
    }
  }

  /** clean_text's drop set: NUL, U+FFFD, Cc/Cf/Co except tab, LF, CR. */
  static boolean isRemoved(int cp) {
    if (cp < 0x20) {
      return cp != '\t' && cp != '\n' && cp != '\r';
    }
    if (cp < 0x7F) {
      return false;
    }
    return cp <= 0x9F
        || cp == 0xFFFD
        || (cp >= 0xE000 && cp <= 0xF8FF)
        || (cp >= 0xF0000 && cp <= 0xFFFFD)
        || (cp >= 0x100000 && cp <= 0x10FFFD)
        || inRanges(FORMAT, cp);
  }

  /** Rust's {@code char::is_whitespace} (the Unicode White_Space property). */
  static boolean isWhitespace(int cp) {
    if (cp <= 0x20) {
      return cp == ' ' || (cp >= 0x09 && cp <= 0x0D);
    }
    if (cp < 0x85) {
      return false;
    }
    return cp == 0x85 || cp == 0xA0 || cp == 0x1680 || (cp >= 0x2000 && cp <= 0x200A)
        || cp == 0x2028 || cp == 0x2029 || cp == 0x202F || cp == 0x205F || cp == 0x3000;
  }

  /** The CJK ideograph blocks of HF's {@code is_chinese_char}. */
  static boolean isChinese(int cp) {
    return (cp >= 0x4E00 && cp <= 0x9FFF)
        || (cp >= 0x3400 && cp <= 0x4DBF)
        || (cp >= 0x20000 && cp <= 0x2A6DF)
        || (cp >= 0x2A700 && cp <= 0x2B73F)
        || (cp >= 0x2B740 && cp <= 0x2B81F)
        || (cp >= 0x2B920 && cp <= 0x2CEAF)
        || (cp >= 0xF900 && cp <= 0xFAFF)
        || (cp >= 0x2F800 && cp <= 0x2FA1F);
  }

  /** ASCII punctuation or (Unicode 8.0) P*. */
  static boolean isPunctuation(int cp) {
    if (cp < 0x80) {
      return (cp >= 33 && cp <= 47) || (cp >= 58 && cp <= 64) || (cp >= 91 && cp <= 96) || (cp >= 123 && cp <= 126);
    }
    return inRanges(PUNCTUATION, cp);
  }

  /** Canonical combining class (Unicode 9.0). */
  static int combiningClass(int cp) {
    if (cp < 0x300) {
      return 0;
    }
    int k = Arrays.binarySearch(CCC_KEYS, cp);
    return k < 0 ? 0 : CCC_VALUES[k] & 0xFF;
  }

  /** {@code ranges} holds sorted inclusive [start, end] pairs. */
  private static boolean inRanges(int[] ranges, int cp) {
    int lo = 0;
    int hi = ranges.length / 2 - 1;
    while (lo <= hi) {
      int mid = (lo + hi) >>> 1;
      if (cp < ranges[2 * mid]) {
        hi = mid - 1;
      } else if (cp > ranges[2 * mid + 1]) {
        lo = mid + 1;
      } else {
        return true;
      }
    }
    return false;
  }

  /** Records what {@link #normalize} does with each BMP char, to find its fast-path class. */
  private static final class Recorder implements Sink {
    final IntList events = new IntList();
    private final StringBuilder shape = new StringBuilder();
    int cp;

    byte classify(int c) {
      shape.setLength(0);
      cp = 0;
      normalize(c, this);
      switch (shape.toString()) {
        case "":
          return DROP;
        case "E":
          return SPACE;
        case "L":
          return cp < 0x10000 ? WORD : SLOW;
        case "ELE":
          return cp < 0x10000 ? ISOLATE : SLOW;
        default:
          return SLOW;
      }
    }

    @Override
    public void endWord() {
      events.add(EVENT_END_WORD);
      if (shape.length() == 0 || shape.charAt(shape.length() - 1) != 'E') {
        shape.append('E');
      }
    }

    @Override
    public void letter(int c, int ccc) {
      events.add(ccc << 21 | c);
      shape.append(ccc == 0 ? 'L' : 'C');
      cp = c;
    }

    @Override
    public void starterMark() {
      events.add(EVENT_STARTER_MARK);
      shape.append('M');
    }
  }

  /** A growable int array. */
  private static final class IntList {
    private int[] a = new int[1 << 16];
    private int n;

    void add(int v) {
      if (n == a.length) {
        a = Arrays.copyOf(a, 2 * n);
      }
      a[n++] = v;
    }

    int size() {
      return n;
    }

    void truncate(int size) {
      n = size;
    }

    int[] toArray() {
      return Arrays.copyOf(a, n);
    }
  }
}
