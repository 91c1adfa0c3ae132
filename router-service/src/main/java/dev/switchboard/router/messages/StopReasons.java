package dev.switchboard.router.messages;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * OpenAI {@code finish_reason} -> Anthropic {@code stop_reason}. {@code stop} is {@code stop_sequence} only when
 * the choice names the sequence that matched ({@code stop_reason}, as vLLM and the gateway's Anthropic adapter
 * write it): OpenAI and Gemini do not say whether a stop sequence or the model ended the turn, so their
 * {@code stop} is {@code end_turn}.
 */
final class StopReasons {
  private StopReasons() {}

  /** The Anthropic stop reason for a choice's finish reason (null while unknown). */
  static String of(String finishReason, String matchedSequence) {
    if (finishReason == null) return null;
    return switch (finishReason) {
      case "length" -> "max_tokens";
      case "tool_calls", "function_call" -> "tool_use";
      case "content_filter" -> "refusal";
      case "stop" -> matchedSequence != null ? "stop_sequence" : "end_turn";
      default -> "end_turn";
    };
  }

  /** The stop sequence a choice says it stopped on, or null. */
  static String matchedSequence(JsonNode choice) {
    JsonNode s = choice.get("stop_reason");
    return s != null && s.isTextual() && !s.asText().isEmpty() ? s.asText() : null;
  }
}
