package dev.switchboard.dataset.importer;

/**
 * Rough token count for text without a recorded count: about four characters per token for
 * alphabetic scripts, one token per Han/Kana/Hangul character (cl100k-style tokenizers split
 * those about per character, so chars/4 would undercount Chinese prompts fourfold).
 */
public final class TokenEstimate {

  private TokenEstimate() {}

  public static long estimate(String text) {
    long cjk = 0;
    long other = 0;
    for (int i = 0; i < text.length(); ) {
      int cp = text.codePointAt(i);
      i += Character.charCount(cp);
      Character.UnicodeScript s = Character.UnicodeScript.of(cp);
      if (s == Character.UnicodeScript.HAN || s == Character.UnicodeScript.HIRAGANA
          || s == Character.UnicodeScript.KATAKANA || s == Character.UnicodeScript.HANGUL) {
        cjk++;
      } else {
        other++;
      }
    }
    return cjk + (other + 3) / 4;
  }
}
