package dev.switchboard.router.cache;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.switchboard.router.providers.chat.Json;
import dev.switchboard.router.providers.contract.Usage;

/**
 * Rebuilds the {@code chat.completion} a streamed answer amounts to, from the chunks sent to the client, so a stream's
 * answer can be cached too. Only single-choice text answers are rebuilt; a stream with tool calls, several choices or
 * a chunk it cannot read is not cached ({@link #completion} returns null), rather than cached wrong.
 */
public final class StreamCapture implements dev.switchboard.router.chat.AnswerCache.StreamRecorder {
  private final StringBuilder content = new StringBuilder();
  private String id, model, finishReason;
  private long created;
  private boolean uncacheable;

  /** Reads one chunk's JSON. */
  @Override
  public void chunk(String json) {
    if (uncacheable) return;
    try {
      JsonNode c = Json.MAPPER.readTree(json);
      if (id == null && c.hasNonNull("id")) id = c.get("id").asText();
      if (model == null && c.hasNonNull("model")) model = c.get("model").asText();
      if (created == 0) created = c.path("created").asLong(0);
      for (JsonNode choice : c.path("choices")) {
        if (choice.path("index").asInt(0) != 0 || choice.path("delta").has("tool_calls")) {
          uncacheable = true;
          return;
        }
        JsonNode text = choice.path("delta").path("content");
        if (text.isTextual()) content.append(text.asText());
        if (choice.hasNonNull("finish_reason")) finishReason = choice.get("finish_reason").asText();
      }
    } catch (Exception e) {
      uncacheable = true;
    }
  }

  /** The answer as a completion with {@code usage}, or null when it cannot be cached (see the class comment). */
  @Override
  public ObjectNode completion(Usage usage) {
    if (uncacheable || finishReason == null) return null;
    ObjectNode o = Json.MAPPER.createObjectNode();
    o.put("id", id == null ? "chatcmpl-cached" : id).put("object", "chat.completion").put("created", created)
        .put("model", model == null ? "" : model);
    ObjectNode choice = o.putArray("choices").addObject();
    choice.put("index", 0);
    choice.putObject("message").put("role", "assistant").put("content", content.toString());
    choice.put("finish_reason", finishReason);
    o.putObject("usage").put("prompt_tokens", usage.promptTokens()).put("completion_tokens", usage.completionTokens())
        .put("total_tokens", usage.totalTokens());
    return o;
  }
}
