package dev.switchboard.router.chat;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectReader;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.switchboard.router.config.RouteConfig;
import dev.switchboard.router.api.ApiError;
import dev.switchboard.router.api.ApiException;
import dev.switchboard.router.providers.chat.Json;
import dev.switchboard.router.providers.contract.ChatRequest;
import java.io.IOException;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Set;

/**
 * Validates an OpenAI chat-completions request body. Checks what a gateway must understand
 * (model, messages, stream flags, value ranges) and names the exact offending field, like
 * {@code messages[2].content}; fields it does not know are passed through to the upstream, as
 * providers add parameters faster than gateways do.
 */
public final class ChatRequestParser {
  private static final Set<String> ROLES = Set.of("system", "developer", "user", "assistant", "tool", "function");
  private static final Set<String> PART_TYPES = Set.of("text", "image_url", "input_audio", "file", "refusal");
  private static final Set<String> SWITCHBOARD_FIELDS = Set.of("quality_target", "max_cost_usd", "candidates", "category", "cache");

  /** Trailing content after the JSON object is an error here, not something to ignore. */
  private static final ObjectReader STRICT = Json.MAPPER.reader().with(DeserializationFeature.FAIL_ON_TRAILING_TOKENS);

  private ChatRequestParser() {}

  public static ParsedChat parse(byte[] body) {
    return parse(readObject(body));
  }

  /**
   * The body as a JSON object: valid UTF-8, one JSON object and nothing after it. Shared by every
   * API the gateway serves, so a malformed body gets the same message whichever endpoint it hit.
   */
  public static ObjectNode readObject(byte[] body) {
    int bad = Utf8.firstInvalid(body);
    if (bad >= 0) {
      throw new ApiException(ApiError.invalidRequest("The request body is not valid UTF-8: byte " + bad + " (0x"
          + String.format(java.util.Locale.ROOT, "%02X", body[bad] & 0xFF) + ") starts an invalid, overlong or surrogate sequence.",
          null, "invalid_json"));
    }
    JsonNode root;
    try {
      root = STRICT.readTree(body);
    } catch (JsonProcessingException e) {
      throw new ApiException(ApiError.invalidRequest(
          "We could not parse the JSON body of your request: " + e.getOriginalMessage()
              + (e.getLocation() == null ? "" : " (line " + e.getLocation().getLineNr() + ", column " + e.getLocation().getColumnNr() + ")"),
          null, "invalid_json"));
    } catch (IOException e) {
      throw new ApiException(ApiError.invalidRequest("We could not read the request body.", null, "invalid_json"));
    }
    if (root == null || !root.isObject()) {
      throw new ApiException(ApiError.invalidRequest("The request body must be a JSON object.", null, "invalid_json"));
    }
    return (ObjectNode) root;
  }

  /**
   * Validates an OpenAI chat request already read as JSON (a client's, or one another API was
   * translated into) and takes the gateway-only {@code switchboard} field out of it.
   */
  public static ParsedChat parse(ObjectNode obj) {
    String model = requiredString(obj, "model");
    validateMessages(obj.get("messages"));
    boolean stream = optionalBoolean(obj, "stream", "stream");
    boolean includeUsage = false;
    JsonNode so = obj.get("stream_options");
    if (so != null && !so.isNull()) {
      if (!so.isObject()) throw ApiException.badRequest("'stream_options' must be an object.", "stream_options");
      if (!stream) throw ApiException.badRequest("'stream_options' is only allowed when 'stream' is true.", "stream_options");
      includeUsage = optionalBoolean(so, "include_usage", "stream_options.include_usage");
    }
    number(obj, "temperature", 0, 2);
    number(obj, "top_p", 0, 1);
    number(obj, "presence_penalty", -2, 2);
    number(obj, "frequency_penalty", -2, 2);
    integer(obj, "n", 1, 128);
    integer(obj, "max_tokens", 1, Integer.MAX_VALUE);
    integer(obj, "max_completion_tokens", 1, Integer.MAX_VALUE);
    integer(obj, "seed", Long.MIN_VALUE, Long.MAX_VALUE);
    validateStop(obj.get("stop"));
    validateTools(obj.get("tools"));
    validateToolChoice(obj.get("tool_choice"));
    JsonNode rf = obj.get("response_format");
    if (rf != null && !rf.isNull() && (!rf.isObject() || !rf.path("type").isTextual())) {
      throw ApiException.badRequest("'response_format' must be an object with a string 'type'.", "response_format");
    }
    JsonNode sb = obj.remove("switchboard");
    ObjectNode providerOptions = sb instanceof ObjectNode o ? providerOptions(o.remove("provider_options")) : null;
    SwitchboardOptions options = switchboard(sb);
    return new ParsedChat(new ChatRequest(model, stream, includeUsage, obj, providerOptions), options);
  }

  // ---------------------------------------------------------------- messages

  private static void validateMessages(JsonNode messages) {
    if (messages == null || messages.isNull()) {
      throw new ApiException(ApiError.invalidRequest("Missing required parameter: 'messages'.", "messages", "missing_required_parameter"));
    }
    if (!messages.isArray()) throw ApiException.badRequest("'messages' must be an array of message objects.", "messages");
    if (messages.isEmpty()) throw ApiException.badRequest("'messages' must contain at least one message.", "messages");
    for (int i = 0; i < messages.size(); i++) {
      JsonNode m = messages.get(i);
      String at = "messages[" + i + "]";
      if (!m.isObject()) throw ApiException.badRequest("'" + at + "' must be an object.", at);
      JsonNode role = m.get("role");
      if (role == null || role.isNull()) {
        throw new ApiException(ApiError.invalidRequest("Missing required parameter: '" + at + ".role'.", at + ".role", "missing_required_parameter"));
      }
      if (!role.isTextual() || !ROLES.contains(role.asText())) {
        throw ApiException.badRequest("Invalid value for '" + at + ".role': expected one of system, developer, user, assistant, tool.", at + ".role");
      }
      String r = role.asText();
      JsonNode content = m.get("content");
      boolean hasToolCalls = m.hasNonNull("tool_calls") || m.hasNonNull("function_call");
      if (content == null || content.isNull()) {
        if (!(r.equals("assistant") && hasToolCalls)) {
          throw new ApiException(ApiError.invalidRequest("Missing required parameter: '" + at + ".content'.", at + ".content", "missing_required_parameter"));
        }
      } else if (content.isArray()) {
        validateParts(content, at + ".content");
      } else if (!content.isTextual()) {
        throw ApiException.badRequest("'" + at + ".content' must be a string or an array of content parts.", at + ".content");
      }
      if (r.equals("tool") && !m.path("tool_call_id").isTextual()) {
        throw new ApiException(ApiError.invalidRequest("Missing required parameter: '" + at + ".tool_call_id'.", at + ".tool_call_id", "missing_required_parameter"));
      }
      JsonNode toolCalls = m.get("tool_calls");
      if (toolCalls != null && !toolCalls.isNull()) {
        if (!toolCalls.isArray()) throw ApiException.badRequest("'" + at + ".tool_calls' must be an array.", at + ".tool_calls");
        for (int j = 0; j < toolCalls.size(); j++) {
          JsonNode tc = toolCalls.get(j);
          String tat = at + ".tool_calls[" + j + "]";
          if (!tc.path("id").isTextual()) throw ApiException.badRequest("'" + tat + ".id' must be a string.", tat + ".id");
          if (!tc.path("function").path("name").isTextual()) {
            throw ApiException.badRequest("'" + tat + ".function.name' must be a string.", tat + ".function.name");
          }
        }
      }
      JsonNode name = m.get("name");
      if (name != null && !name.isNull() && !name.isTextual()) throw ApiException.badRequest("'" + at + ".name' must be a string.", at + ".name");
    }
  }

  private static void validateParts(JsonNode parts, String at) {
    for (int j = 0; j < parts.size(); j++) {
      JsonNode p = parts.get(j);
      String pat = at + "[" + j + "]";
      if (!p.isObject() || !p.path("type").isTextual()) {
        throw ApiException.badRequest("'" + pat + "' must be an object with a string 'type'.", pat + ".type");
      }
      String type = p.get("type").asText();
      if (!PART_TYPES.contains(type)) {
        throw ApiException.badRequest("Invalid value for '" + pat + ".type': '" + type + "' (expected text, image_url, input_audio or file).", pat + ".type");
      }
      if (type.equals("text") && !p.path("text").isTextual()) {
        throw ApiException.badRequest("'" + pat + ".text' must be a string.", pat + ".text");
      }
      if (type.equals("image_url") && !p.path("image_url").path("url").isTextual()) {
        throw ApiException.badRequest("'" + pat + ".image_url.url' must be a string.", pat + ".image_url.url");
      }
    }
  }

  // ---------------------------------------------------------------- other fields

  private static void validateStop(JsonNode stop) {
    if (stop == null || stop.isNull() || stop.isTextual()) return;
    if (!stop.isArray() || stop.size() > 4) throw ApiException.badRequest("'stop' must be a string or an array of up to 4 strings.", "stop");
    for (int i = 0; i < stop.size(); i++) {
      if (!stop.get(i).isTextual()) throw ApiException.badRequest("'stop[" + i + "]' must be a string.", "stop[" + i + "]");
    }
  }

  private static void validateTools(JsonNode tools) {
    if (tools == null || tools.isNull()) return;
    if (!tools.isArray()) throw ApiException.badRequest("'tools' must be an array.", "tools");
    for (int i = 0; i < tools.size(); i++) {
      JsonNode t = tools.get(i);
      String at = "tools[" + i + "]";
      if (!t.isObject() || !"function".equals(t.path("type").asText())) {
        throw ApiException.badRequest("'" + at + ".type' must be 'function'.", at + ".type");
      }
      if (!t.path("function").path("name").isTextual()) {
        throw ApiException.badRequest("'" + at + ".function.name' must be a string.", at + ".function.name");
      }
      JsonNode params = t.path("function").get("parameters");
      if (params != null && !params.isNull() && !params.isObject()) {
        throw ApiException.badRequest("'" + at + ".function.parameters' must be a JSON Schema object.", at + ".function.parameters");
      }
    }
  }

  private static void validateToolChoice(JsonNode tc) {
    if (tc == null || tc.isNull()) return;
    if (tc.isTextual()) {
      if (!Set.of("none", "auto", "required").contains(tc.asText())) {
        throw ApiException.badRequest("Invalid value for 'tool_choice': expected none, auto, required or an object.", "tool_choice");
      }
      return;
    }
    if (!tc.isObject() || !tc.path("function").path("name").isTextual()) {
      throw ApiException.badRequest("'tool_choice' object must name a function: {\"type\":\"function\",\"function\":{\"name\":...}}.", "tool_choice");
    }
  }

  private static final java.util.Set<String> PROVIDER_OPTION_KEYS = java.util.Set.of("anthropic", "gemini", "openai");

  /**
   * {@code switchboard.provider_options}: an object whose keys are provider kinds and values
   * objects merged into that provider's upstream body (allowed on every route, not routing control).
   */
  private static ObjectNode providerOptions(JsonNode po) {
    if (po == null || po.isNull()) return null;
    if (!po.isObject()) {
      throw ApiException.badRequest("'switchboard.provider_options' must be an object.", "switchboard.provider_options");
    }
    for (Iterator<String> it = po.fieldNames(); it.hasNext(); ) {
      String f = it.next();
      String param = "switchboard.provider_options." + f;
      if (!PROVIDER_OPTION_KEYS.contains(f)) {
        throw new ApiException(ApiError.invalidRequest("Unknown parameter: '" + param + "' (allowed: anthropic, gemini, openai).",
            param, "unknown_parameter"));
      }
      if (!po.get(f).isObject()) throw ApiException.badRequest("'" + param + "' must be an object.", param);
    }
    return (ObjectNode) po;
  }

  private static SwitchboardOptions switchboard(JsonNode sb) {
    if (sb == null || sb.isNull()) return SwitchboardOptions.NONE;
    if (!sb.isObject()) throw ApiException.badRequest("'switchboard' must be an object.", "switchboard");
    for (Iterator<String> it = sb.fieldNames(); it.hasNext(); ) {
      String f = it.next();
      if (!SWITCHBOARD_FIELDS.contains(f)) {
        throw new ApiException(ApiError.invalidRequest("Unknown parameter: 'switchboard." + f + "' (allowed: cache, candidates, category, max_cost_usd, provider_options, quality_target).",
            "switchboard." + f, "unknown_parameter"));
      }
    }
    Double target = null;
    JsonNode q = sb.get("quality_target");
    if (q != null && !q.isNull()) {
      if (!q.isNumber() || q.asDouble() <= 0 || q.asDouble() > 1) {
        throw ApiException.badRequest("'switchboard.quality_target' must be a number in (0, 1].", "switchboard.quality_target");
      }
      target = q.asDouble();
    }
    Double maxCost = null;
    JsonNode c = sb.get("max_cost_usd");
    if (c != null && !c.isNull()) {
      if (!c.isNumber() || !(c.asDouble() > 0)) {
        throw ApiException.badRequest("'switchboard.max_cost_usd' must be a positive number.", "switchboard.max_cost_usd");
      }
      maxCost = c.asDouble();
    }
    List<String> candidates = null;
    JsonNode cs = sb.get("candidates");
    if (cs != null && !cs.isNull()) {
      if (!cs.isArray() || cs.isEmpty()) {
        throw ApiException.badRequest("'switchboard.candidates' must be a non-empty array of model names.", "switchboard.candidates");
      }
      candidates = new ArrayList<>();
      for (int i = 0; i < cs.size(); i++) {
        if (!cs.get(i).isTextual()) {
          throw ApiException.badRequest("'switchboard.candidates[" + i + "]' must be a string.", "switchboard.candidates[" + i + "]");
        }
        candidates.add(cs.get(i).asText());
      }
    }
    String category = null;
    JsonNode cat = sb.get("category");
    if (cat != null && !cat.isNull()) {
      if (!cat.isTextual() || cat.asText().isBlank() || cat.asText().length() > RouteConfig.MAX_CATEGORY_CHARS) {
        throw ApiException.badRequest("'switchboard.category' must be a non-empty string of at most " + RouteConfig.MAX_CATEGORY_CHARS
            + " characters.", "switchboard.category");
      }
      category = cat.asText();
    }
    Boolean cache = null;
    JsonNode cacheNode = sb.get("cache");
    if (cacheNode != null && !cacheNode.isNull()) {
      if (!cacheNode.isBoolean()) throw ApiException.badRequest("'switchboard.cache' must be true or false.", "switchboard.cache");
      cache = cacheNode.asBoolean();
    }
    return new SwitchboardOptions(target, maxCost, candidates == null ? null : List.copyOf(candidates), category, cache);
  }

  // ---------------------------------------------------------------- scalar helpers

  /** The string field {@code field}; a 400 naming it when it is missing, not a string, or blank. */
  public static String requiredString(ObjectNode obj, String field) {
    JsonNode v = obj.get(field);
    if (v == null || v.isNull()) {
      throw new ApiException(ApiError.invalidRequest("Missing required parameter: '" + field + "'.", field, "missing_required_parameter"));
    }
    if (!v.isTextual() || v.asText().isBlank()) throw ApiException.badRequest("'" + field + "' must be a non-empty string.", field);
    return v.asText();
  }

  private static boolean optionalBoolean(JsonNode obj, String field, String param) {
    JsonNode v = obj.get(field);
    if (v == null || v.isNull()) return false;
    if (!v.isBoolean()) throw ApiException.badRequest("'" + param + "' must be a boolean.", param);
    return v.asBoolean();
  }

  private static void number(ObjectNode obj, String field, double min, double max) {
    JsonNode v = obj.get(field);
    if (v == null || v.isNull()) return;
    if (!v.isNumber() || v.asDouble() < min || v.asDouble() > max) {
      throw ApiException.badRequest("'" + field + "' must be a number between " + fmt(min) + " and " + fmt(max) + ".", field);
    }
  }

  private static void integer(ObjectNode obj, String field, long min, long max) {
    JsonNode v = obj.get(field);
    if (v == null || v.isNull()) return;
    if (!v.isIntegralNumber() || v.asLong() < min || v.asLong() > max) {
      throw ApiException.badRequest("'" + field + "' must be an integer" + (min > Long.MIN_VALUE ? " >= " + min : "") + ".", field);
    }
  }

  private static String fmt(double d) {
    return d == Math.rint(d) ? Long.toString((long) d) : Double.toString(d);
  }
}
