package dev.switchboard.dataset.recorded;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.text.Normalizer;
import java.util.Random;
import org.junit.jupiter.api.Test;

/** The hand-written whitespace collapse of {@link RecordedAnswers#normalize} matches the regex it replaced. */
class NormalizeTest {

  private static String byRegex(String text) {
    return Normalizer.normalize(text, Normalizer.Form.NFC).replaceAll("\\s+", " ").trim();
  }

  @Test
  void matchesTheRegexDefinitionOnEdgeCasesAndRandomText() {
    String[] cases = {"", " ", "  ", "a", " a ", "a b", "a  b", "a\tb", "a \n b", "\r\n a\u000Bb\f", "e\u0301 x",
        "What are the names of some famous actors?\n\nList five.", "\u00A0a\u2003b \u0001c ", "a\u0000 b"};
    for (String c : cases) {
      assertEquals(byRegex(c), RecordedAnswers.normalize(c), () -> "for [" + c + "]");
    }
    char[] alphabet = {'a', 'b', ' ', ' ', '\t', '\n', '\r', '\u000B', '\f', '\u00A0', '\u0001', 'e', '\u0301', '\u2028'};
    Random r = new Random(7);
    for (int i = 0; i < 20_000; i++) {
      char[] s = new char[r.nextInt(12)];
      for (int j = 0; j < s.length; j++) s[j] = alphabet[r.nextInt(alphabet.length)];
      String t = new String(s);
      assertEquals(byRegex(t), RecordedAnswers.normalize(t), () -> "for [" + t.replace("\n", "\\n") + "]");
    }
  }
}
