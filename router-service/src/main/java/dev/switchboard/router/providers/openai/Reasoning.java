package dev.switchboard.router.providers.openai;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * Thinking text is {@code reasoning_content} in every response the gateway sends (Anthropic
 * thinking, Gemini thought parts, DeepSeek and vLLM as they come). Hosts that call it
 * {@code reasoning} (Groq, OpenRouter) get {@code reasoning_content} added beside it.
 */
final class Reasoning {
  private Reasoning() {}

  /**
   * Adds {@code reasoning_content} next to each choice's textual {@code reasoning} (in
   * {@code delta} or {@code message}) that lacks one. Returns whether {@code completion} changed.
   */
  static boolean normalise(JsonNode completion) {
    JsonNode choices = completion.get("choices");
    if (choices == null || !choices.isArray()) return false;
    boolean changed = false;
    for (JsonNode c : choices) {
      for (String field : new String[] {"delta", "message"}) {
        JsonNode m = c.get(field);
        if (m instanceof ObjectNode o && o.path("reasoning").isTextual() && !o.has("reasoning_content")) {
          o.put("reasoning_content", o.get("reasoning").asText());
          changed = true;
        }
      }
    }
    return changed;
  }
}
