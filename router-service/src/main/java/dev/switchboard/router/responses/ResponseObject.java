package dev.switchboard.router.responses;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.switchboard.router.providers.chat.Json;
import dev.switchboard.router.providers.contract.Usage;
import java.util.List;
import java.util.concurrent.ThreadLocalRandom;

/**
 * The Response object and its output items, written the same way for a plain answer, each stream event and the
 * stored copy. {@code request} is the client's Responses body, echoed as the API does (instructions, tools, sampling,
 * metadata, ...).
 */
final class ResponseObject {
  private ResponseObject() {}

  /** A fresh id with the API's prefix ({@code resp_}, {@code msg_}, {@code fc_}). */
  static String newId(String prefix) {
    ThreadLocalRandom r = ThreadLocalRandom.current();
    return prefix + Long.toHexString(r.nextLong() | Long.MIN_VALUE) + Long.toHexString(r.nextLong() | Long.MIN_VALUE);
  }

  /**
   * @param status {@code in_progress}, {@code completed}, {@code incomplete} or {@code failed}
   * @param incompleteReason {@code max_output_tokens} or {@code content_filter} when incomplete
   * @param usage null while in progress
   */
  static ObjectNode response(ResponsesState st, String model, String status, List<ObjectNode> output, Usage usage,
      String incompleteReason, ObjectNode error) {
    JsonNode req = st.request();
    ObjectNode r = Json.object();
    r.put("id", st.responseId());
    r.put("object", "response");
    r.put("created_at", st.createdAtSeconds());
    r.put("status", status);
    r.put("background", false);
    if (error == null) r.putNull("error"); else r.set("error", error);
    if (incompleteReason == null) r.putNull("incomplete_details"); else r.putObject("incomplete_details").put("reason", incompleteReason);
    echo(req, "instructions", r);
    echo(req, "max_output_tokens", r);
    r.put("model", model);
    ArrayNode out = r.putArray("output");
    output.forEach(out::add);
    r.put("parallel_tool_calls", req.path("parallel_tool_calls").asBoolean(true));
    echo(req, "previous_response_id", r);
    if (req.hasNonNull("reasoning")) r.set("reasoning", req.get("reasoning"));
    r.put("store", st.store());
    r.put("temperature", req.path("temperature").asDouble(1.0));
    r.set("text", req.path("text").has("format") ? req.get("text") : Json.object().set("format", Json.object().put("type", "text")));
    r.set("tool_choice", req.hasNonNull("tool_choice") ? req.get("tool_choice") : Json.MAPPER.getNodeFactory().textNode("auto"));
    r.set("tools", req.hasNonNull("tools") ? req.get("tools") : Json.MAPPER.createArrayNode());
    r.put("top_p", req.path("top_p").asDouble(1.0));
    r.put("truncation", "disabled");
    if (usage == null) {
      r.putNull("usage");
    } else {
      ObjectNode u = r.putObject("usage");
      u.put("input_tokens", usage.promptTokens());
      u.putObject("input_tokens_details").put("cached_tokens", 0);
      u.put("output_tokens", usage.completionTokens());
      u.putObject("output_tokens_details").put("reasoning_tokens", 0);
      u.put("total_tokens", usage.totalTokens());
    }
    echo(req, "user", r);
    r.set("metadata", req.hasNonNull("metadata") ? req.get("metadata") : Json.object());
    return r;
  }

  private static void echo(JsonNode req, String field, ObjectNode r) {
    if (req.hasNonNull(field)) r.set(field, req.get(field)); else r.putNull(field);
  }

  /** An assistant message item holding {@code text} ({@code status} in_progress while streaming). */
  static ObjectNode message(String id, String text, String status) {
    ObjectNode m = Json.object();
    m.put("id", id);
    m.put("type", "message");
    m.put("status", status);
    m.put("role", "assistant");
    ArrayNode content = m.putArray("content");
    if (text != null) content.add(textPart(text));
    return m;
  }

  static ObjectNode textPart(String text) {
    ObjectNode p = Json.object().put("type", "output_text").put("text", text);
    p.putArray("annotations");
    return p;
  }

  static ObjectNode functionCall(String id, String callId, String name, String arguments, String status) {
    return Json.object().put("id", id).put("type", "function_call").put("status", status).put("arguments", arguments)
        .put("call_id", callId).put("name", name);
  }

  /** Chat's finish reason as a Response status and incomplete reason ({@code [status, reason]}). */
  static String[] status(String finishReason) {
    if ("length".equals(finishReason)) return new String[] {"incomplete", "max_output_tokens"};
    if ("content_filter".equals(finishReason)) return new String[] {"incomplete", "content_filter"};
    return new String[] {"completed", null};
  }

  /** The assistant's turn as a chat message, to store after the conversation. */
  static ObjectNode assistantMessage(List<ObjectNode> output) {
    ObjectNode m = Json.object().put("role", "assistant");
    StringBuilder text = new StringBuilder();
    ArrayNode calls = Json.MAPPER.createArrayNode();
    for (ObjectNode item : output) {
      if (item.path("type").asText().equals("message")) {
        for (JsonNode p : item.path("content")) text.append(p.path("text").asText(""));
      } else {
        ObjectNode c = calls.addObject().put("id", item.path("call_id").asText()).put("type", "function");
        c.putObject("function").put("name", item.path("name").asText()).put("arguments", item.path("arguments").asText());
      }
    }
    if (text.length() > 0 || calls.isEmpty()) m.put("content", text.toString()); else m.putNull("content");
    if (!calls.isEmpty()) m.set("tool_calls", calls);
    return m;
  }
}
