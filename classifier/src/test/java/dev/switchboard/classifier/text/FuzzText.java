package dev.switchboard.classifier.text;

import java.util.Random;

/**
 * Random strings for tokenizer fuzzing: short runs drawn from alphabets that exercise every
 * branch of BERT normalisation (controls, Unicode spaces, accents and combining marks, CJK,
 * kana, hangul, emoji and other astral code points, punctuation, special-token fragments, long
 * words) and, rarely, lone surrogates.
 */
final class FuzzText {

  /** Alphabets as inclusive code-point ranges {from, to}. */
  private static final int[][][] ALPHABETS = {
    {{'a', 'z'}, {'A', 'Z'}, {'0', '9'}},
    {{'!', '/'}, {':', '@'}, {'[', '`'}, {'{', '~'}, {0xA1, 0xBF}, {0x2010, 0x2027}, {0x3001, 0x3003}, {0xFF01, 0xFF0F}},
    {{' ', ' '}, {'\t', '\r'}, {0x85, 0x85}, {0xA0, 0xA0}, {0x2000, 0x200F}, {0x2028, 0x202F}, {0x3000, 0x3000}, {0x1C, 0x1F}},
    {{0, 8}, {0x7F, 0x9F}, {0xAD, 0xAD}, {0xFEFF, 0xFEFF}, {0xFFF9, 0xFFFD}, {0xE000, 0xE005}, {0x110BD, 0x110BD}, {0x110CD, 0x110CD}},
    {{0xC0, 0x24F}, {0x1E00, 0x1EFF}, {0x0370, 0x03FF}, {0x0400, 0x04FF}, {0x1F00, 0x1FFF}, {0x2126, 0x212B}},
    {{0x0300, 0x036F}, {0x0591, 0x05C7}, {0x064B, 0x065F}, {0x08D4, 0x08FF}, {0x0900, 0x097F}, {0x0E30, 0x0E4E}, {0xFE00, 0xFE0F}, {0x1D165, 0x1D172}},
    {{0x4E00, 0x9FFF}, {0x3400, 0x3410}, {0xF900, 0xF910}, {0x20000, 0x20010}, {0x2B81D, 0x2B825}, {0x2F800, 0x2F805}, {0x2F00, 0x2F10}},
    {{0x3041, 0x30FF}, {0xFF66, 0xFF9F}, {0xAC00, 0xD7A3}, {0x1100, 0x11FF}, {0x3130, 0x318F}},
    {{0x1F300, 0x1F64F}, {0x1F900, 0x1F9FF}, {0x1FA70, 0x1FAFF}, {0x1F3FB, 0x1F3FF}, {0x200D, 0x200D}, {0x1D400, 0x1D7FF}, {0x10400, 0x1044F}, {0xE0020, 0xE007F}},
    {{0x0600, 0x06FF}, {0x0590, 0x05FF}, {0x0E00, 0x0E7F}, {0x10A0, 0x10FF}, {0x1C90, 0x1CBF}, {0xA640, 0xA69F}, {0x2C00, 0x2C5F}, {0x1E900, 0x1E95F}},
  };

  private static final String[] FRAGMENTS = {"[SEP]", "[CLS]", "[MASK]", "[PAD]", "[UNK]", "[cls]", "[SEP", "MASK]", "##", "[", "]",
      "can't", "...", "$1,000.50", "e\u0301", "\u0130", "ß", "ǅ"};

  private FuzzText() {}

  static String next(Random random) {
    StringBuilder b = new StringBuilder();
    int runs = random.nextInt(12);
    for (int r = 0; r < runs; r++) {
      int pick = random.nextInt(100);
      if (pick < 8) {
        b.append(FRAGMENTS[random.nextInt(FRAGMENTS.length)]);
      } else if (pick < 10) {
        int len = 95 + random.nextInt(12); // around max_input_chars_per_word
        int[][] alphabet = ALPHABETS[random.nextBoolean() ? 0 : 4];
        for (int i = 0; i < len; i++) {
          b.appendCodePoint(draw(alphabet, random));
        }
      } else if (pick == 10 && random.nextInt(4) == 0) {
        b.append((char) (0xD800 + random.nextInt(0x800))); // lone surrogate: switches DJL to lossy decoding
      } else {
        int[][] alphabet = ALPHABETS[random.nextInt(ALPHABETS.length)];
        for (int i = 1 + random.nextInt(8); i > 0; i--) {
          b.appendCodePoint(draw(alphabet, random));
        }
      }
      if (random.nextInt(3) == 0) {
        b.append(' ');
      }
    }
    return b.toString();
  }

  private static int draw(int[][] alphabet, Random random) {
    int[] range = alphabet[random.nextInt(alphabet.length)];
    return range[0] + random.nextInt(range[1] - range[0] + 1);
  }
}
