package dev.switchboard.router.responses;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.switchboard.router.api.ApiError;
import dev.switchboard.router.api.ApiException;
import dev.switchboard.router.chat.ChatRequestParser;
import dev.switchboard.router.providers.chat.Json;
import java.util.Iterator;
import java.util.Set;

/**
 * A Responses API request as a chat-completions request. {@code instructions} becomes the first system message (and
 * is not stored: a continuation has only its own); {@code previous_response_id} puts the stored conversation before
 * this request's input; input items map one to one (messages; {@code function_call} to an assistant tool call, merged
 * when consecutive; {@code function_call_output} to a tool message); function tools, {@code tool_choice},
 * {@code max_output_tokens}, sampling, {@code text.format} and {@code reasoning.effort} to their chat fields. Anything
 * the gateway cannot translate (built-in tools, other item types, background mode) is a 400 naming the field.
 */
final class ResponsesTranslator {
  /** Top-level fields this translation understands; others are refused rather than dropped. */
  private static final Set<String> FIELDS = Set.of("model", "input", "instructions", "previous_response_id", "tools", "tool_choice",
      "max_output_tokens", "temperature", "top_p", "stream", "store", "metadata", "parallel_tool_calls", "user", "text", "reasoning",
      "include", "truncation", "service_tier", "switchboard", "stream_options", "background", "safety_identifier", "prompt_cache_key");
  private static final Set<String> ROLES = Set.of("user", "assistant", "system", "developer");

  private ResponsesTranslator() {}

  /** The chat body, and the conversation (prior turns and this input, no instructions) to store after the answer. */
  record Translated(ObjectNode chat, ArrayNode conversation) {}

  static Translated translate(ObjectNode body, ArrayNode previous) {
    for (Iterator<String> it = body.fieldNames(); it.hasNext(); ) {
      String f = it.next();
      if (!FIELDS.contains(f)) {
        throw new ApiException(ApiError.invalidRequest("Unknown parameter: '" + f + "'.", f, "unknown_parameter"));
      }
    }
    String model = ChatRequestParser.requiredString(body, "model");
    if (body.path("background").asBoolean(false)) {
      throw ApiException.badRequest("'background' mode is not supported by this gateway; send the request without it.", "background");
    }
    ObjectNode chat = Json.object();
    chat.put("model", model);
    ArrayNode messages = chat.putArray("messages");
    JsonNode instructions = body.get("instructions");
    if (instructions != null && !instructions.isNull()) {
      if (!instructions.isTextual()) throw ApiException.badRequest("'instructions' must be a string.", "instructions");
      messages.addObject().put("role", "system").put("content", instructions.asText());
    }
    ArrayNode conversation = previous == null ? Json.MAPPER.createArrayNode() : previous.deepCopy();
    input(body.get("input"), conversation);
    messages.addAll(conversation);
    tools(body.get("tools"), chat);
    toolChoice(body.get("tool_choice"), chat);
    copy(body, "max_output_tokens", chat, "max_completion_tokens");
    if (chat.has("max_completion_tokens") && (!chat.get("max_completion_tokens").isIntegralNumber() || chat.get("max_completion_tokens").asLong() < 1)) {
      throw ApiException.badRequest("'max_output_tokens' must be an integer >= 1.", "max_output_tokens");
    }
    copy(body, "temperature", chat, "temperature");
    copy(body, "top_p", chat, "top_p");
    copy(body, "parallel_tool_calls", chat, "parallel_tool_calls");
    copy(body, "user", chat, "user");
    copy(body, "switchboard", chat, "switchboard");
    JsonNode stream = body.get("stream");
    if (stream != null && !stream.isNull()) {
      if (!stream.isBoolean()) throw ApiException.badRequest("'stream' must be a boolean.", "stream");
      if (stream.asBoolean()) chat.put("stream", true).putObject("stream_options").put("include_usage", true);
    }
    format(body.path("text").get("format"), chat);
    JsonNode effort = body.path("reasoning").get("effort");
    if (effort != null && !effort.isNull()) chat.set("reasoning_effort", effort);
    return new Translated(chat, conversation);
  }

  // ---------------------------------------------------------------- input items

  private static void input(JsonNode input, ArrayNode out) {
    if (input == null || input.isNull()) {
      throw new ApiException(ApiError.invalidRequest("Missing required parameter: 'input'.", "input", "missing_required_parameter"));
    }
    if (input.isTextual()) {
      out.addObject().put("role", "user").put("content", input.asText());
      return;
    }
    if (!input.isArray() || input.isEmpty()) {
      throw ApiException.badRequest("'input' must be a string or a non-empty array of input items.", "input");
    }
    ObjectNode pendingCalls = null; // the assistant message consecutive function_call items merge into
    for (int i = 0; i < input.size(); i++) {
      JsonNode item = input.get(i);
      String at = "input[" + i + "]";
      if (!item.isObject()) throw ApiException.badRequest("'" + at + "' must be an object.", at);
      String type = item.path("type").asText(item.has("role") ? "message" : "");
      switch (type) {
        case "message" -> {
          pendingCalls = null;
          out.add(message(item, at));
        }
        case "function_call" -> {
          String callId = text(item, "call_id", at);
          String name = text(item, "name", at);
          JsonNode args = item.get("arguments");
          if (args == null || !args.isTextual()) throw ApiException.badRequest("'" + at + ".arguments' must be a string of JSON.", at + ".arguments");
          if (pendingCalls == null) {
            pendingCalls = out.addObject().put("role", "assistant");
            pendingCalls.putNull("content");
            pendingCalls.putArray("tool_calls");
          }
          ObjectNode call = ((ArrayNode) pendingCalls.get("tool_calls")).addObject();
          call.put("id", callId).put("type", "function");
          call.putObject("function").put("name", name).put("arguments", args.asText());
        }
        case "function_call_output" -> {
          pendingCalls = null;
          String callId = text(item, "call_id", at);
          JsonNode output = item.get("output");
          if (output == null || !output.isTextual()) throw ApiException.badRequest("'" + at + ".output' must be a string.", at + ".output");
          out.addObject().put("role", "tool").put("tool_call_id", callId).put("content", output.asText());
        }
        default -> throw ApiException.badRequest("Invalid value for '" + at + ".type': '" + type
            + "' (this gateway translates message, function_call and function_call_output items).", at + ".type");
      }
    }
  }

  private static ObjectNode message(JsonNode item, String at) {
    String role = item.path("role").asText("");
    if (!ROLES.contains(role)) {
      throw ApiException.badRequest("Invalid value for '" + at + ".role': expected user, assistant, system or developer.", at + ".role");
    }
    ObjectNode m = Json.object().put("role", role);
    JsonNode content = item.get("content");
    if (content != null && content.isTextual()) {
      m.put("content", content.asText());
      return m;
    }
    if (content == null || !content.isArray()) {
      throw ApiException.badRequest("'" + at + ".content' must be a string or an array of content parts.", at + ".content");
    }
    boolean onlyText = true;
    StringBuilder text = new StringBuilder();
    ArrayNode parts = Json.MAPPER.createArrayNode();
    for (int j = 0; j < content.size(); j++) {
      JsonNode p = content.get(j);
      String pat = at + ".content[" + j + "]";
      String type = p.path("type").asText("");
      switch (type) {
        case "input_text", "output_text", "text" -> {
          String t = text(p, "text", pat);
          text.append(t);
          parts.addObject().put("type", "text").put("text", t);
        }
        case "refusal" -> {
          String t = text(p, "refusal", pat);
          text.append(t);
          parts.addObject().put("type", "text").put("text", t);
        }
        case "input_image" -> {
          onlyText = false;
          JsonNode url = p.get("image_url");
          if (url == null || !url.isTextual()) {
            throw ApiException.badRequest("'" + pat + ".image_url' must be a URL or data URL (file_id is not supported).", pat + ".image_url");
          }
          ObjectNode img = parts.addObject().put("type", "image_url");
          ObjectNode u = img.putObject("image_url").put("url", url.asText());
          if (p.hasNonNull("detail")) u.set("detail", p.get("detail"));
        }
        default -> throw ApiException.badRequest("Invalid value for '" + pat + ".type': '" + type
            + "' (expected input_text, output_text, refusal or input_image).", pat + ".type");
      }
    }
    // Text-only content as one string: every provider adapter (and assistant turns on all of them) takes that.
    if (onlyText) m.put("content", text.toString()); else m.set("content", parts);
    return m;
  }

  // ---------------------------------------------------------------- tools and options

  private static void tools(JsonNode tools, ObjectNode chat) {
    if (tools == null || tools.isNull()) return;
    if (!tools.isArray()) throw ApiException.badRequest("'tools' must be an array.", "tools");
    if (tools.isEmpty()) return;
    ArrayNode out = chat.putArray("tools");
    for (int i = 0; i < tools.size(); i++) {
      JsonNode t = tools.get(i);
      String at = "tools[" + i + "]";
      if (!"function".equals(t.path("type").asText())) {
        throw ApiException.badRequest("Invalid value for '" + at + ".type': '" + t.path("type").asText()
            + "' (this gateway supports function tools only; built-in tools run on OpenAI's side).", at + ".type");
      }
      ObjectNode f = out.addObject().put("type", "function").putObject("function");
      f.put("name", text(t, "name", at));
      if (t.hasNonNull("description")) f.set("description", t.get("description"));
      if (t.hasNonNull("parameters")) f.set("parameters", t.get("parameters"));
      if (t.hasNonNull("strict")) f.set("strict", t.get("strict"));
    }
  }

  private static void toolChoice(JsonNode tc, ObjectNode chat) {
    if (tc == null || tc.isNull()) return;
    if (tc.isTextual()) {
      chat.put("tool_choice", tc.asText()); // none, auto, required: the chat parser checks the value
      return;
    }
    if (tc.isObject() && "function".equals(tc.path("type").asText()) && tc.path("name").isTextual()) {
      chat.putObject("tool_choice").put("type", "function").putObject("function").put("name", tc.get("name").asText());
      return;
    }
    throw ApiException.badRequest("'tool_choice' must be none, auto, required or {\"type\":\"function\",\"name\":...}.", "tool_choice");
  }

  private static void format(JsonNode f, ObjectNode chat) {
    if (f == null || f.isNull()) return;
    switch (f.path("type").asText("")) {
      case "text" -> { }
      case "json_object" -> chat.putObject("response_format").put("type", "json_object");
      case "json_schema" -> {
        ObjectNode js = chat.putObject("response_format").put("type", "json_schema").putObject("json_schema");
        js.put("name", f.path("name").asText("response"));
        if (f.hasNonNull("schema")) js.set("schema", f.get("schema"));
        if (f.hasNonNull("strict")) js.set("strict", f.get("strict"));
        if (f.hasNonNull("description")) js.set("description", f.get("description"));
      }
      default -> throw ApiException.badRequest("'text.format.type' must be text, json_object or json_schema.", "text.format.type");
    }
  }

  private static void copy(JsonNode from, String field, ObjectNode to, String as) {
    JsonNode v = from.get(field);
    if (v != null && !v.isNull()) to.set(as, v);
  }

  private static String text(JsonNode obj, String field, String at) {
    JsonNode v = obj.get(field);
    if (v == null || !v.isTextual()) {
      throw new ApiException(ApiError.invalidRequest("'" + at + "." + field + "' must be a string.", at + "." + field,
          v == null ? "missing_required_parameter" : "invalid_value"));
    }
    return v.asText();
  }
}
