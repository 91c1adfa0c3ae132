package dev.switchboard.classifier.text;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.switchboard.classifier.base.ClassifierException;
import dev.switchboard.classifier.base.ScoringInput;
import org.junit.jupiter.api.Test;

class PromptTextTest {

  @Test
  void conversationEmbedsLastUserTurnWithShortSystemHead() {
    String sys = "You are a helpful assistant. ".repeat(20); // 580 chars, shared by every request
    String json = "[{\"role\":\"system\",\"content\":\"" + sys + "\"},"
        + "{\"role\":\"user\",\"content\":\"first question\"},{\"role\":\"assistant\",\"content\":\"an answer\"},"
        + "{\"role\":\"user\",\"content\":[{\"type\":\"text\",\"text\":\"second\"},{\"type\":\"image_url\",\"image_url\":{}},{\"type\":\"text\",\"text\":\"part\"}]}]";
    PromptText.View v = PromptText.of(ScoringInput.ofMessages(json));
    assertEquals("second\npart", v.userText());
    assertEquals(sys.strip().substring(0, PromptText.SYSTEM_HEAD_CHARS) + "\n\nsecond\npart", v.embedText());
    assertEquals(4, v.turns());
    assertEquals(sys.strip().length(), v.systemChars());
  }

  @Test
  void longUserTurnIsEmbeddedWithoutTheSharedPreamble() {
    String user = "x".repeat(PromptText.SHORT_USER_CHARS + 1);
    String json = "[{\"role\":\"developer\",\"content\":\"Few-shot examples ...\"},{\"role\":\"user\",\"content\":\"" + user + "\"}]";
    assertEquals(user, PromptText.of(ScoringInput.ofMessages(json)).embedText());
  }

  @Test
  void withoutUserTurnTheLastMessageWithTextIsUsed() {
    PromptText.View v = PromptText.of(ScoringInput.ofMessages("[{\"role\":\"assistant\",\"content\":\"hello\"},{\"role\":\"tool\",\"content\":null}]"));
    assertEquals("hello", v.userText());
  }

  @Test
  void hugeTextKeepsHeadAndTailChars() {
    String text = "H".repeat(100_000) + "T".repeat(100_000);
    PromptText.View v = PromptText.of(ScoringInput.ofText(text));
    assertEquals(2 * PromptText.KEEP_CHARS + 1, v.embedText().length());
    assertTrue(v.embedText().startsWith("HHH") && v.embedText().endsWith("TTT"));
    assertEquals(200_000, v.originalChars());
  }

  @Test
  void loneSurrogatesBecomeReplacementCharsButPairsSurvive() {
    assertEquals("a\uFFFDb\uD83D\uDE00c\uFFFD", PromptText.sanitize("a\uDC00b\uD83D\uDE00c\uD800"));
    assertEquals("plain", PromptText.sanitize("plain"));
  }

  @Test
  void emptyOrMalformedInputsAreRejectedWithTheField() {
    assertTrue(assertThrows(ClassifierException.class, () -> PromptText.of(ScoringInput.ofText(" \n")))
        .getMessage().contains("empty"));
    assertTrue(assertThrows(ClassifierException.class, () -> PromptText.of(ScoringInput.ofMessages("{\"role\":\"user\"}")))
        .getMessage().contains("array"));
    assertTrue(assertThrows(ClassifierException.class, () -> PromptText.of(ScoringInput.ofMessages("[\"hi\"]")))
        .getMessage().contains("messages[0]"));
    assertThrows(ClassifierException.class, () -> new ScoringInput("a", "[]", null));
  }
}
