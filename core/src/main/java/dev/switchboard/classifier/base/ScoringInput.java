package dev.switchboard.classifier.base;

import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;

/**
 * What the classifier scores: either plain prompt text or a whole OpenAI chat {@code messages}
 * JSON array, plus an optional category (task/app label seen in training; unknown or null means
 * "no prior"). Which part of a conversation is embedded is decided in one place,
 * {@link dev.switchboard.classifier.text.PromptText}, so the router and training agree.
 *
 * @param text plain prompt text, or null when {@code messagesJson} is given
 * @param messagesJson an OpenAI messages array ({@code [{"role":"user","content":"..."}]}), or null
 * @param category optional category, or null
 */
public record ScoringInput(String text, String messagesJson, String category) {

  public ScoringInput {
    if ((text == null) == (messagesJson == null)) {
      throw new ClassifierException("ScoringInput needs exactly one of text or messagesJson");
    }
  }

  public static ScoringInput ofText(String text) {
    return new ScoringInput(requireNonNull(text, "text"), null, null);
  }

  public static ScoringInput ofText(String text, String category) {
    return new ScoringInput(requireNonNull(text, "text"), null, category);
  }

  public static ScoringInput ofMessages(String messagesJson) {
    return new ScoringInput(null, requireNonNull(messagesJson, "messagesJson"), null);
  }

  public static ScoringInput ofMessages(String messagesJson, String category) {
    return new ScoringInput(null, requireNonNull(messagesJson, "messagesJson"), category);
  }

  /**
   * Plain prompt text from raw bytes. Invalid UTF-8 is rejected (not silently replaced) because
   * it means the caller mis-decoded its input; the message names the byte offset.
   */
  public static ScoringInput fromUtf8(byte[] utf8, String category) {
    var decoder = StandardCharsets.UTF_8.newDecoder()
        .onMalformedInput(CodingErrorAction.REPORT)
        .onUnmappableCharacter(CodingErrorAction.REPORT);
    ByteBuffer in = ByteBuffer.wrap(requireNonNull(utf8, "utf8"));
    try {
      return ofText(decoder.decode(in).toString(), category);
    } catch (CharacterCodingException e) {
      throw new ClassifierException("prompt is not valid UTF-8 (near byte offset " + in.position() + ")", e);
    }
  }

  /** True when this input is a messages array rather than plain text. */
  public boolean isConversation() {
    return messagesJson != null;
  }

  private static <T> T requireNonNull(T value, String field) {
    if (value == null) {
      throw new ClassifierException("ScoringInput." + field + " is null");
    }
    return value;
  }
}
