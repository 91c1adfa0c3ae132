package dev.switchboard.router.cache;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.switchboard.router.providers.chat.Json;
import java.util.ArrayList;
import java.util.List;

/**
 * A cached {@code chat.completion} as the {@code chat.completion.chunk} events a stream of it would have sent: per
 * choice a role delta, its content, its tool calls, then its finish reason; then, when the client asked for
 * {@code stream_options.include_usage}, the usage chunk (empty choices). The caller frames them as SSE and ends with
 * {@code [DONE]}.
 */
public final class CachedStream {
  private CachedStream() {}

  /**
   * The chunks (JSON texts) of {@code completion}.
   *
   * @param completion the cached answer
   * @param includeUsage whether to end with the usage chunk
   * @return the chunks in order
   */
  public static List<String> chunks(JsonNode completion, boolean includeUsage) {
    List<String> out = new ArrayList<>();
    for (JsonNode choice : completion.path("choices")) {
      int index = choice.path("index").asInt(0);
      JsonNode message = choice.path("message");
      ObjectNode role = Json.MAPPER.createObjectNode().put("role", "assistant");
      if (message.path("content").isTextual()) role.put("content", "");
      out.add(chunk(completion, index, role, null));
      if (message.path("content").isTextual() && !message.path("content").asText().isEmpty()) {
        out.add(chunk(completion, index, Json.MAPPER.createObjectNode().put("content", message.path("content").asText()), null));
      }
      if (message.path("reasoning_content").isTextual()) {
        out.add(chunk(completion, index, Json.MAPPER.createObjectNode().put("reasoning_content",
            message.path("reasoning_content").asText()), null));
      }
      JsonNode calls = message.path("tool_calls");
      if (calls.isArray() && !calls.isEmpty()) {
        ArrayNode deltas = Json.MAPPER.createArrayNode();
        for (int i = 0; i < calls.size(); i++) {
          ObjectNode c = calls.get(i).deepCopy();
          c.put("index", i);
          deltas.add(c);
        }
        ObjectNode d = Json.MAPPER.createObjectNode();
        d.set("tool_calls", deltas);
        out.add(chunk(completion, index, d, null));
      }
      out.add(chunk(completion, index, Json.MAPPER.createObjectNode(), choice.path("finish_reason").asText("stop")));
    }
    if (includeUsage && completion.has("usage")) {
      ObjectNode u = header(completion);
      u.putArray("choices");
      u.set("usage", completion.get("usage"));
      out.add(Json.MAPPER.createObjectNode().setAll(u).toString());
    }
    return out;
  }

  /**
   * A finished upstream stand-in for a cached answer, so that a front door's stream encoder (chat completions, Messages,
   * Responses) ends a replayed stream as it ends a live one: the usage and the usage chunk the answer had.
   */
  public static dev.switchboard.router.providers.contract.StreamTranslator replayed(JsonNode completion,
      dev.switchboard.router.providers.contract.Usage usage) {
    List<String> all = chunks(completion, true);
    String usageChunk = completion.has("usage") ? all.get(all.size() - 1) : null;
    return new dev.switchboard.router.providers.contract.StreamTranslator() {
      @Override
      public List<String> onEvent(dev.switchboard.router.providers.contract.SseEvent event) {
        return List.of();
      }

      @Override
      public boolean finished() {
        return true;
      }

      @Override
      public boolean started() {
        return true;
      }

      @Override
      public String usageChunk() {
        return usageChunk;
      }

      @Override
      public dev.switchboard.router.providers.contract.Usage usage() {
        return usage;
      }
    };
  }

  private static String chunk(JsonNode completion, int index, ObjectNode delta, String finishReason) {
    ObjectNode c = header(completion);
    ObjectNode choice = c.putArray("choices").addObject();
    choice.put("index", index);
    choice.set("delta", delta);
    if (finishReason == null) choice.putNull("finish_reason"); else choice.put("finish_reason", finishReason);
    return c.toString();
  }

  private static ObjectNode header(JsonNode completion) {
    ObjectNode c = Json.MAPPER.createObjectNode();
    c.put("id", completion.path("id").asText("chatcmpl-cached"));
    c.put("object", "chat.completion.chunk");
    c.put("created", completion.path("created").asLong(0));
    c.put("model", completion.path("model").asText(""));
    if (completion.hasNonNull("system_fingerprint")) c.set("system_fingerprint", completion.get("system_fingerprint"));
    return c;
  }
}
