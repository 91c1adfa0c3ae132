package dev.switchboard.router.upstream;

import dev.switchboard.dataset.recorded.RecordedAnswer;
import dev.switchboard.dataset.recorded.RecordedAnswers;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * What the recorded upstream answers: the model's recorded response to the prompt when there
 * is one, otherwise a synthetic answer that says so plainly.
 *
 * @param recorded whether {@code text} is a real recording
 * @param finishReason {@code stop}, or {@code length} when cut at the client's max tokens
 */
record RecordedReply(String text, long promptTokens, long completionTokens, boolean recorded, String finishReason) {

  /**
   * @param promptText the last user message's text (the lookup key)
   * @param promptChars characters of all message text, for the estimate when nothing is recorded
   * @param maxTokens the client's max tokens, or -1
   */
  public static RecordedReply of(RecordedAnswers answers, String model, String promptText, long promptChars, long maxTokens) {
    Optional<RecordedAnswer> found = promptText.isEmpty() ? Optional.empty() : answers.find(model, promptText);
    String text;
    long in;
    long out;
    if (found.isPresent()) {
      RecordedAnswer a = found.get();
      text = a.response() == null ? "" : a.response();
      in = a.inputTokens() > 0 ? a.inputTokens() : estimateTokens(promptChars);
      out = a.outputTokens() > 0 ? a.outputTokens() : estimateTokens(text.length());
    } else {
      text = synthetic(model);
      in = estimateTokens(promptChars);
      out = estimateTokens(text.length());
    }
    if (maxTokens > 0 && out > maxTokens) {
      return new RecordedReply(truncate(text, maxTokens * 4), in, maxTokens, found.isPresent(), "length");
    }
    return new RecordedReply(text, in, out, found.isPresent(), "stop");
  }

  public static String synthetic(String model) {
    return "[switchboard recorded upstream] No recording of " + model + " for this prompt; this is a synthetic answer.";
  }

  /** About four characters per token: the usual rule of thumb for English with cl100k. */
  public static long estimateTokens(long chars) {
    return Math.max(1, (chars + 3) / 4);
  }

  /**
   * Word-sized stream pieces: each starts with the whitespace before its word, so the pieces
   * concatenate back to the exact text.
   */
  public List<String> pieces() {
    List<String> out = new ArrayList<>();
    int start = 0;
    for (int i = 1; i < text.length(); i++) {
      if (!Character.isWhitespace(text.charAt(i)) && Character.isWhitespace(text.charAt(i - 1))) {
        out.add(text.substring(start, i));
        start = i;
      }
    }
    if (start < text.length()) out.add(text.substring(start));
    return out;
  }

  private static String truncate(String text, long chars) {
    if (text.length() <= chars) return text;
    int cut = (int) chars;
    if (Character.isLowSurrogate(text.charAt(cut))) cut--; // never split a surrogate pair
    return text.substring(0, cut);
  }
}
