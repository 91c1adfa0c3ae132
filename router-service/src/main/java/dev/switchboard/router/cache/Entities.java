package dev.switchboard.router.cache;

import java.util.HashSet;
import java.util.Locale;
import java.util.Set;

/**
 * The named-entity guard of semantic matches: two last user turns match only if every name in one is also in the
 * other. A name is a word with a capital letter that does not start a sentence ("Paris", "IBM", "iPhone"); the
 * comparison ignores case, so "capital of France" and "capital of france" match, "of France" and "of Spain" do not.
 * A heuristic with no model: it misses names written in lower case on both sides, which the embedding threshold and
 * the exact numbers still guard.
 */
final class Entities {
  private Entities() {}

  /** Whether {@code a} and {@code b} name the same entities (each one's names are words of the other). */
  static boolean compatible(String a, String b) {
    Set<String> wordsA = words(a), wordsB = words(b);
    return wordsB.containsAll(names(a)) && wordsA.containsAll(names(b));
  }

  /** Lower-cased words (letters and digits). */
  static Set<String> words(String s) {
    Set<String> out = new HashSet<>();
    int i = 0, n = s.length();
    while (i < n) {
      while (i < n && !Character.isLetterOrDigit(s.charAt(i))) i++;
      int start = i;
      while (i < n && Character.isLetterOrDigit(s.charAt(i))) i++;
      if (i > start) out.add(s.substring(start, i).toLowerCase(Locale.ROOT));
    }
    return out;
  }

  /** Lower-cased names: words with an upper-case letter, except a sentence's first word when only its initial is. */
  static Set<String> names(String s) {
    Set<String> out = new HashSet<>();
    int i = 0, n = s.length();
    boolean sentenceStart = true;
    while (i < n) {
      while (i < n && !Character.isLetterOrDigit(s.charAt(i))) {
        char c = s.charAt(i);
        if (c == '.' || c == '?' || c == '!' || c == '\n' || c == ':') sentenceStart = true;
        i++;
      }
      int start = i;
      while (i < n && Character.isLetterOrDigit(s.charAt(i))) i++;
      if (i == start) break;
      String w = s.substring(start, i);
      boolean upperInside = false;
      for (int j = 1; j < w.length(); j++) if (Character.isUpperCase(w.charAt(j))) upperInside = true;
      boolean name = upperInside || Character.isUpperCase(w.charAt(0)) && !sentenceStart;
      if (name) out.add(w.toLowerCase(Locale.ROOT));
      sentenceStart = false;
    }
    return out;
  }
}
