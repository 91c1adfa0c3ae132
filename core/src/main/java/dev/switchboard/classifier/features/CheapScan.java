package dev.switchboard.classifier.features;

/**
 * Single-pass scanners for the cheap features' code, LaTeX, maths and keyword patterns: the same
 * matches as {@link PromptFeatures}' reference regular expressions (kept in PromptFeaturesTest and
 * compared there on every shipped prompt and on fuzzed text), without the regex engine trying
 * every alternative at every position. Why: at 256 tokens those scans were 70 % of a static-encoder
 * score (155 of 218 us), and the router scores every cache miss.
 *
 * <p>Semantics kept exactly: non-overlapping leftmost matches, alternatives tried in the pattern's
 * order; {@code \b} as Java 17 defines it (a word character is a letter, digit or '_' by
 * {@link Character#isLetterOrDigit}, a non-spacing mark counts when it follows one); {@code \w},
 * {@code \s}, {@code \d} and {@code (?i)} ASCII-only, as without the UNICODE flags.
 */
final class CheapScan {
  private CheapScan() {}

  private static final String[] CODE_WORDS = {"def ", "class ", "import "};
  private static final String[] CODE_WORDS_2 = {"public ", "SELECT ", "const ", "var ", "let "};
  private static final String[] LATEX_WORDS = {"frac", "sqrt", "sum", "int", "begin", "cdot", "times", "le", "ge", "pi"};

  /** Counts of the scans over one text; {@code keywords} has bit {@code g} set when group {@code g} matched. */
  record Counts(int code, int latex, int math, int keywords) {}

  private static final String[][] NO_GROUPS = {};

  /**
   * Matches of {@code \bdef |\bclass |\bimport |\bfunction\b|\breturn |#include|=>|\};|\)\s*\{|
   * \bpublic |\bSELECT |\bconst |\bvar |\blet |</?\w+>}.
   */
  static int code(String s) {
    return scan(s, NO_GROUPS).code();
  }

  /** Matches of {@code \\(frac|sqrt|sum|int|begin|cdot|times|le|ge|pi)\b|\$|\\\(|\\\[}. */
  static int latex(String s) {
    return scan(s, NO_GROUPS).latex();
  }

  /** Matches of {@code \d\s*[-+*\/^=<>%]\s*\d|[=^]}. */
  static int math(String s) {
    return scan(s, NO_GROUPS).math();
  }

  /**
   * For each group of words, whether {@code (?i)\b(w1|w2|...)\b} finds a match (ASCII
   * case-insensitive): bit {@code g} of the result is group {@code g}'s answer.
   */
  static int keywords(String s, String[][] groups) {
    return scan(s, groups).keywords();
  }

  /**
   * All scans in one pass. Each pattern keeps its own cursor, so its matches are the
   * non-overlapping leftmost ones {@code Matcher.find()} counts, as if it ran alone. Why one pass:
   * run one by one (through an interface call per character each) they were a fifth of a routed
   * request's CPU at 256 tokens. Inside an ASCII word nothing can start (every pattern needs a
   * word boundary, a digit or a symbol there), so most characters cost a comparison or two.
   *
   * <p>Keywords are tried only at ASCII word starts (elsewhere one side of a {@code \b} before a
   * letter is a word character, so no match can start there), and no more once every group matched.
   */
  static Counts scan(String s, String[][] groups) {
    long[] first = new long[groups.length]; // bit c - 'a' set when some word of the group starts with c
    long any = 0;
    for (int g = 0; g < groups.length; g++) {
      for (String w : groups[g]) {
        first[g] |= 1L << (w.charAt(0) - 'a');
      }
      any |= first[g];
    }
    int all = (1 << groups.length) - 1;
    int found = 0;
    int code = 0;
    int latex = 0;
    int math = 0;
    int nextCode = 0;
    int nextLatex = 0;
    int nextMath = 0;
    boolean previousIsWord = false;
    int n = s.length();
    for (int i = 0; i < n; i++) {
      char ch = s.charAt(i);
      boolean isWord = isAsciiWord(ch);
      if (isWord && previousIsWord && !isDigit(ch)) {
        continue; // a letter or '_' inside a word: no pattern can start here
      }
      if (ch == ' ') {
        previousIsWord = false;
        continue; // no pattern starts with a space
      }
      if (i >= nextCode) {
        int end = codeAt(s, i);
        if (end > 0) {
          code++;
          nextCode = end;
        }
      }
      if (i >= nextLatex && (ch == '$' || ch == '\\')) {
        int end = latexAt(s, i);
        if (end > 0) {
          latex++;
          nextLatex = end;
        }
      }
      if (i >= nextMath && (isDigit(ch) || ch == '=' || ch == '^')) {
        int end = mathAt(s, i);
        if (end > 0) {
          math++;
          nextMath = end;
        }
      }
      if (isWord && !previousIsWord && found != all) {
        int c = lower(ch) - 'a';
        if (c >= 0 && c < 26 && (any & (1L << c)) != 0) {
          found |= firstMatch(s, i, c, groups, first, found);
        }
      }
      previousIsWord = isWord;
    }
    return new Counts(code, latex, math, found);
  }

  /** End of a code match starting at {@code i}, or -1. */
  private static int codeAt(String s, int i) {
    char c = s.charAt(i);
    switch (c) {
      case 'd', 'c', 'i', 'f', 'r', 'p', 'S', 'v', 'l' -> {
        if (i > 0 && isAsciiWord(s.charAt(i - 1))) {
          return -1; // inside a word: no \b here (both sides are word characters)
        }
        // The words first, the boundary (the costly test) only when one is there.
        int end = -1;
        for (String w : CODE_WORDS) {
          if (s.startsWith(w, i)) {
            end = i + w.length();
            break;
          }
        }
        if (end < 0 && s.startsWith("function", i) && boundary(s, i + 8)) {
          end = i + 8;
        }
        if (end < 0 && s.startsWith("return ", i)) {
          end = i + 7;
        }
        if (end < 0) {
          for (String w : CODE_WORDS_2) {
            if (s.startsWith(w, i)) {
              end = i + w.length();
              break;
            }
          }
        }
        return end > 0 && boundary(s, i) ? end : -1;
      }
      case '#' -> {
        return s.startsWith("#include", i) ? i + 8 : -1;
      }
      case '=' -> {
        return s.startsWith("=>", i) ? i + 2 : -1;
      }
      case '}' -> {
        return s.startsWith("};", i) ? i + 2 : -1;
      }
      case ')' -> {
        int j = i + 1;
        while (j < s.length() && isSpace(s.charAt(j))) {
          j++;
        }
        return j < s.length() && s.charAt(j) == '{' ? j + 1 : -1;
      }
      case '<' -> {
        int j = i + 1;
        if (j < s.length() && s.charAt(j) == '/') {
          j++;
        }
        int k = j;
        while (k < s.length() && isAsciiWord(s.charAt(k))) {
          k++;
        }
        return k > j && k < s.length() && s.charAt(k) == '>' ? k + 1 : -1;
      }
      default -> {
        return -1;
      }
    }
  }

  private static int latexAt(String s, int i) {
    int n = s.length();
    char c = s.charAt(i);
    int end = -1;
    if (c == '$') {
      end = i + 1;
    } else if (c == '\\') {
      for (String w : LATEX_WORDS) {
        if (s.startsWith(w, i + 1) && boundary(s, i + 1 + w.length())) {
          end = i + 1 + w.length();
          break;
        }
      }
      if (end < 0 && i + 1 < n && (s.charAt(i + 1) == '(' || s.charAt(i + 1) == '[')) {
        end = i + 2;
      }
    }
    return end;
  }

  private static int mathAt(String s, int i) {
    int n = s.length();
    char c = s.charAt(i);
    int end = -1;
    if (isDigit(c)) {
      int j = i + 1;
      while (j < n && isSpace(s.charAt(j))) {
        j++;
      }
      if (j < n && "-+*/^=<>%".indexOf(s.charAt(j)) >= 0) {
        int k = j + 1;
        while (k < n && isSpace(s.charAt(k))) {
          k++;
        }
        if (k < n && isDigit(s.charAt(k))) {
          end = k + 1;
        }
      }
    } else if (c == '=' || c == '^') {
      end = i + 1;
    }
    return end;
  }

  /** The groups not yet in {@code found} with a word matching at {@code i}, as a bit set. */
  private static int firstMatch(String s, int i, int c, String[][] groups, long[] first, int found) {
    int hits = 0;
    for (int g = 0; g < groups.length; g++) {
      if ((found & (1 << g)) != 0 || (first[g] & (1L << c)) == 0) {
        continue;
      }
      for (String w : groups[g]) {
        if (regionEqualsIgnoreAsciiCase(s, i, w) && boundary(s, i) && boundary(s, i + w.length())) {
          hits |= 1 << g;
          break;
        }
      }
    }
    return hits;
  }

  /** {@code \b} at {@code i} as java.util.regex (Java 17, no UNICODE_CHARACTER_CLASS) decides it. */
  static boolean boundary(String s, int i) {
    boolean left = false;
    if (i > 0) {
      int ch = Character.codePointBefore(s, i);
      left = isWord(ch) || (Character.getType(ch) == Character.NON_SPACING_MARK && hasBaseCharacter(s, i - 1));
    }
    boolean right = false;
    if (i < s.length()) {
      int ch = Character.codePointAt(s, i);
      right = isWord(ch) || (Character.getType(ch) == Character.NON_SPACING_MARK && hasBaseCharacter(s, i));
    }
    return left ^ right;
  }

  private static boolean isWord(int ch) {
    return ch == '_' || Character.isLetterOrDigit(ch);
  }

  private static boolean hasBaseCharacter(String s, int i) {
    for (int x = i; x >= 0; x--) {
      int ch = Character.codePointAt(s, x);
      if (Character.isLetterOrDigit(ch)) {
        return true;
      }
      if (Character.getType(ch) == Character.NON_SPACING_MARK) {
        continue;
      }
      return false;
    }
    return false;
  }

  private static boolean regionEqualsIgnoreAsciiCase(String s, int i, String w) {
    if (i + w.length() > s.length()) {
      return false;
    }
    for (int k = 0; k < w.length(); k++) {
      if (lower(s.charAt(i + k)) != w.charAt(k)) {
        return false;
      }
    }
    return true;
  }

  private static char lower(char c) {
    return c >= 'A' && c <= 'Z' ? (char) (c + 32) : c;
  }

  private static boolean isSpace(char c) {
    return c == ' ' || c == '\t' || c == '\n' || c == 0x0B || c == '\f' || c == '\r';
  }

  private static boolean isDigit(char c) {
    return c >= '0' && c <= '9';
  }

  private static boolean isAsciiWord(char c) {
    return c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9' || c == '_';
  }
}
