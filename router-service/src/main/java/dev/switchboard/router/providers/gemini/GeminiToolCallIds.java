package dev.switchboard.router.providers.gemini;

/**
 * Carries a function call's {@code thoughtSignature} through the OpenAI tool call id, as
 * {@code <id>__thought__<signature>}: every OpenAI client echoes tool call ids back verbatim (in
 * the assistant message's {@code tool_calls[].id} and the tool message's {@code tool_call_id}),
 * while extra fields are dropped by typed clients. LiteLLM uses the same separator, so histories
 * move between the two gateways. Without the signature Gemini 3 rejects the follow-up request
 * ("missing a thought_signature", issue #18 defect 5).
 */
final class GeminiToolCallIds {
  static final String SEPARATOR = "__thought__";

  private GeminiToolCallIds() {}

  /** The OpenAI id for a call: {@code base} alone, or with the signature appended. */
  static String encode(String base, String thoughtSignature) {
    return thoughtSignature == null || thoughtSignature.isEmpty() ? base : base + SEPARATOR + thoughtSignature;
  }

  /** The signature inside an id the client sent back, or null. */
  static String signature(String id) {
    if (id == null) return null;
    int at = id.indexOf(SEPARATOR);
    return at < 0 ? null : id.substring(at + SEPARATOR.length());
  }
}
