package dev.switchboard.router.testkit;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.switchboard.router.providers.contract.ChatRequest;
import dev.switchboard.router.providers.chat.Json;

/** ChatRequests from literal OpenAI JSON, as the gateway builds them after validation. */
public final class TestRequests {
  private TestRequests() {}

  public static ChatRequest chat(String json) {
    JsonNode n = Json.tryRead(json);
    if (n == null || !n.isObject()) throw new IllegalArgumentException("not a JSON object: " + json);
    ObjectNode body = (ObjectNode) n;
    return new ChatRequest(body.path("model").asText("m"), body.path("stream").asBoolean(false),
        body.path("stream_options").path("include_usage").asBoolean(false), body);
  }

  public static JsonNode json(String json) {
    JsonNode n = Json.tryRead(json);
    if (n == null) throw new IllegalArgumentException("not JSON: " + json);
    return n;
  }

  public static JsonNode json(byte[] json) {
    return json(new String(json, java.nio.charset.StandardCharsets.UTF_8));
  }
}
