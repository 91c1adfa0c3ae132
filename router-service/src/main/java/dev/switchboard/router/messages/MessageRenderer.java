package dev.switchboard.router.messages;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.switchboard.router.api.ApiError;
import dev.switchboard.router.api.ApiException;
import dev.switchboard.router.providers.chat.Json;
import dev.switchboard.router.providers.contract.Usage;

/** OpenAI {@code chat.completion} -> Anthropic {@code message}: text and tool_use blocks, stop reason, usage. */
final class MessageRenderer {
  private MessageRenderer() {}

  static ObjectNode message(JsonNode completion, Usage usage, String requestedModel) {
    JsonNode choice = completion.path("choices").path(0);
    JsonNode msg = choice.path("message");
    ObjectNode m = Json.object();
    m.put("id", messageId(completion.path("id").asText("")));
    m.put("type", "message");
    m.put("role", "assistant");
    m.put("model", completion.path("model").asText(requestedModel));
    ArrayNode content = m.putArray("content");
    JsonNode text = msg.get("content");
    if (text != null && text.isTextual() && !text.asText().isEmpty()) content.addObject().put("type", "text").put("text", text.asText());
    JsonNode refusal = msg.get("refusal");
    if (refusal != null && refusal.isTextual() && !refusal.asText().isEmpty()) content.addObject().put("type", "text").put("text", refusal.asText());
    JsonNode calls = msg.path("tool_calls");
    for (int i = 0; i < calls.size(); i++) {
      JsonNode call = calls.get(i);
      ObjectNode block = content.addObject();
      block.put("type", "tool_use");
      block.put("id", call.path("id").asText());
      block.put("name", call.path("function").path("name").asText());
      block.set("input", toolInput(call.path("function").path("arguments").asText("")));
    }
    String finish = choice.path("finish_reason").isTextual() ? choice.get("finish_reason").asText() : null;
    String sequence = StopReasons.matchedSequence(choice);
    String stop = StopReasons.of(finish, sequence);
    if (stop == null) stop = calls.isEmpty() ? "end_turn" : "tool_use";
    m.put("stop_reason", stop);
    if ("stop_sequence".equals(stop)) m.put("stop_sequence", sequence); else m.putNull("stop_sequence");
    m.set("usage", usage(usage));
    return m;
  }

  static ObjectNode usage(Usage u) {
    ObjectNode o = Json.object();
    o.put("input_tokens", u.promptTokens());
    o.put("output_tokens", u.completionTokens());
    return o;
  }

  /** Anthropic ids start with {@code msg_}; an Anthropic upstream's id is kept as it is. */
  static String messageId(String upstreamId) {
    return upstreamId.startsWith("msg_") ? upstreamId : "msg_" + upstreamId;
  }

  /**
   * A tool call's arguments as the object Anthropic's {@code input} is. Arguments that are not a JSON object are a
   * broken upstream answer, reported as such rather than passed on as something the client would fail to read.
   */
  static JsonNode toolInput(String arguments) {
    if (arguments.isBlank()) return Json.object();
    JsonNode input = Json.tryRead(arguments);
    if (input == null || !input.isObject()) {
      throw new ApiException(new ApiError(502, "upstream_error", "The upstream's tool call arguments are not a JSON object.",
          null, "invalid_upstream_response", null));
    }
    return input;
  }
}
