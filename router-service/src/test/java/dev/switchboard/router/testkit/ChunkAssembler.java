package dev.switchboard.router.testkit;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.switchboard.router.providers.chat.Json;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Rebuilds the assistant message from OpenAI chunks the way OpenAI SDKs do (content appended,
 * tool calls merged by {@code index}), and checks each chunk's shape on the way.
 */
public final class ChunkAssembler {
  private final StringBuilder content = new StringBuilder();
  private final Map<Integer, ObjectNode> toolCalls = new TreeMap<>();
  private final List<JsonNode> chunks = new ArrayList<>();
  private String role;
  private String finishReason;
  private JsonNode usage;

  public ChunkAssembler accept(String chunkJson) {
    JsonNode c = TestRequests.json(chunkJson);
    require("chat.completion.chunk".equals(c.path("object").asText()), "object must be chat.completion.chunk: " + chunkJson);
    require(c.path("id").isTextual() && c.path("created").isNumber() && c.path("model").isTextual(),
        "id/created/model missing: " + chunkJson);
    require(c.path("choices").isArray(), "choices must be an array: " + chunkJson);
    chunks.add(c);
    if (c.path("usage").isObject()) usage = c.get("usage");
    for (JsonNode choice : c.get("choices")) {
      JsonNode d = choice.path("delta");
      if (d.path("role").isTextual()) role = d.get("role").asText();
      if (d.path("content").isTextual()) content.append(d.get("content").asText());
      for (JsonNode tc : d.path("tool_calls")) {
        require(tc.path("index").isInt(), "tool call delta without index: " + chunkJson);
        ObjectNode call = toolCalls.computeIfAbsent(tc.get("index").asInt(), i -> {
          ObjectNode n = Json.object();
          n.putObject("function").put("arguments", "");
          return n;
        });
        if (tc.has("id")) call.put("id", tc.get("id").asText());
        if (tc.has("type")) call.put("type", tc.get("type").asText());
        JsonNode fn = tc.path("function");
        ObjectNode callFn = (ObjectNode) call.get("function");
        if (fn.has("name")) callFn.put("name", fn.get("name").asText());
        if (fn.has("arguments")) callFn.put("arguments", callFn.get("arguments").asText() + fn.get("arguments").asText());
      }
      if (choice.path("finish_reason").isTextual()) finishReason = choice.get("finish_reason").asText();
    }
    return this;
  }

  public ChunkAssembler acceptAll(List<String> chunkJsons) {
    chunkJsons.forEach(this::accept);
    return this;
  }

  public String content() {
    return content.toString();
  }

  public String role() {
    return role;
  }

  public String finishReason() {
    return finishReason;
  }

  public JsonNode usage() {
    return usage;
  }

  public List<JsonNode> chunks() {
    return chunks;
  }

  /** Tool calls in index order, each {@code {id, type, function{name, arguments}}}. */
  public ArrayNode toolCalls() {
    ArrayNode a = Json.array();
    toolCalls.values().forEach(a::add);
    return a;
  }

  private static void require(boolean ok, String message) {
    if (!ok) throw new AssertionError(message);
  }
}
