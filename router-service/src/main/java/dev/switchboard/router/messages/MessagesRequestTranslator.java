package dev.switchboard.router.messages;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.switchboard.router.api.ApiError;
import dev.switchboard.router.api.ApiException;
import dev.switchboard.router.providers.chat.Json;
import dev.switchboard.router.providers.chat.ProviderOptions;
import java.util.Map;
import java.util.Set;

/**
 * Anthropic Messages request -> the gateway's OpenAI chat request. Validates as Anthropic does (required
 * {@code max_tokens}, roles {@code user}/{@code assistant}, known block types, no unknown fields) and names the
 * offending field in Anthropic's terms ({@code messages[1].content[0].type}), so a client of {@code /v1/messages}
 * never sees an error about a field it did not send.
 *
 * <p>What has no OpenAI equivalent is refused with a 400 rather than dropped: extended thinking, server tools,
 * images inside tool results, MCP servers, containers. {@code top_k} goes to the upstream as a provider option
 * (Anthropic {@code top_k}, Gemini {@code generationConfig.topK}, OpenAI-compatible hosts {@code top_k}, which vLLM
 * honours and OpenAI itself rejects). {@code cache_control} marks are accepted and not forwarded: they are a
 * caching hint to Anthropic's servers that does not change the answer.
 */
final class MessagesRequestTranslator {
  /** Top-level fields the Messages API defines and the gateway translates. */
  private static final Set<String> FIELDS = Set.of("model", "max_tokens", "messages", "system", "stop_sequences", "stream",
      "temperature", "top_p", "top_k", "metadata", "tools", "tool_choice", "cache_control", "switchboard");
  /** Fields of the Messages API the gateway cannot translate to every provider: refused by name. */
  private static final Map<String, String> UNSUPPORTED = Map.of(
      "thinking", "extended thinking is not translated by the gateway (only {\"type\": \"disabled\"} is accepted)",
      "mcp_servers", "MCP servers run on Anthropic's side and are not available through the gateway",
      "container", "containers run on Anthropic's side and are not available through the gateway",
      "service_tier", "service tiers are not translated by the gateway",
      "context_management", "context management is not translated by the gateway");
  private static final int MAX_STOP_SEQUENCES = 4;

  private MessagesRequestTranslator() {}

  /**
   * @param req the client's Messages request (not modified)
   * @param forCounting a {@code count_tokens} request: {@code max_tokens} is not required
   * @return the equivalent OpenAI chat request body
   */
  static ObjectNode toChat(ObjectNode req, boolean forCounting) {
    for (var it = req.fieldNames(); it.hasNext(); ) {
      String f = it.next();
      if (f.equals("thinking") && "disabled".equals(req.get(f).path("type").asText())) continue; // the default: no thinking
      if (UNSUPPORTED.containsKey(f)) throw bad(f + ": " + UNSUPPORTED.get(f) + ".", f);
      if (!FIELDS.contains(f)) throw bad(f + ": Extra inputs are not permitted.", f);
    }
    ObjectNode chat = Json.object();
    chat.set("model", required(req, "model"));
    if (!req.get("model").isTextual() || req.get("model").asText().isBlank()) throw bad("model: must be a non-empty string.", "model");
    JsonNode max = req.get("max_tokens");
    if (max == null || max.isNull()) {
      if (!forCounting) throw missing("max_tokens");
    } else {
      if (!max.isIntegralNumber() || max.asLong() < 1 || max.asLong() > Integer.MAX_VALUE) {
        throw bad("max_tokens: must be an integer greater than or equal to 1.", "max_tokens");
      }
      chat.put("max_tokens", max.asLong());
    }
    ArrayNode messages = chat.putArray("messages");
    system(req.get("system"), messages);
    MessagesContent.messages(required(req, "messages"), messages);
    JsonNode stream = req.get("stream");
    if (stream != null && !stream.isNull()) {
      if (!stream.isBoolean()) throw bad("stream: must be a boolean.", "stream");
      chat.put("stream", stream.asBoolean());
    }
    JsonNode sb = req.get("switchboard");
    if (sb != null) chat.set("switchboard", sb.deepCopy());
    number(req, chat, "temperature", 0, 1);
    number(req, chat, "top_p", 0, 1);
    topK(req.get("top_k"), chat);
    stopSequences(req.get("stop_sequences"), chat);
    metadata(req.get("metadata"), chat);
    MessagesTools.tools(req.get("tools"), chat);
    MessagesTools.toolChoice(req.get("tool_choice"), chat);
    return chat;
  }

  // ---------------------------------------------------------------- fields

  private static void system(JsonNode system, ArrayNode messages) {
    if (system == null || system.isNull()) return;
    String text = MessagesContent.systemText(system, "system");
    if (!text.isEmpty()) messages.addObject().put("role", "system").put("content", text);
  }

  private static void number(ObjectNode req, ObjectNode chat, String field, double min, double max) {
    JsonNode v = req.get(field);
    if (v == null || v.isNull()) return;
    if (!v.isNumber() || v.asDouble() < min || v.asDouble() > max) {
      throw bad(field + ": must be a number between " + (int) min + " and " + (int) max + ".", field);
    }
    chat.set(field, v);
  }

  private static void topK(JsonNode k, ObjectNode chat) {
    if (k == null || k.isNull()) return;
    if (!k.isIntegralNumber() || k.asLong() < 1) throw bad("top_k: must be an integer greater than or equal to 1.", "top_k");
    if (chat.has("switchboard") && !chat.get("switchboard").isObject()) return; // the chat parser names that field
    ObjectNode options = Json.object();
    options.putObject("anthropic").put("top_k", k.asLong());
    options.putObject("gemini").putObject("generationConfig").put("topK", k.asLong());
    options.putObject("openai").put("top_k", k.asLong());
    ObjectNode sb = chat.has("switchboard") ? (ObjectNode) chat.get("switchboard") : chat.putObject("switchboard");
    JsonNode po = sb.get("provider_options");
    if (po instanceof ObjectNode o) ProviderOptions.merge(options, o); // the client's explicit options win
    else if (po != null && !po.isNull()) return;
    sb.set("provider_options", options);
  }

  private static void stopSequences(JsonNode stop, ObjectNode chat) {
    if (stop == null || stop.isNull()) return;
    if (!stop.isArray()) throw bad("stop_sequences: must be an array of strings.", "stop_sequences");
    if (stop.size() > MAX_STOP_SEQUENCES) {
      throw bad("stop_sequences: at most " + MAX_STOP_SEQUENCES + " are supported through the gateway (OpenAI-compatible"
          + " providers accept no more).", "stop_sequences");
    }
    for (int i = 0; i < stop.size(); i++) {
      if (!stop.get(i).isTextual() || stop.get(i).asText().isEmpty()) {
        throw bad("stop_sequences[" + i + "]: must be a non-empty string.", "stop_sequences[" + i + "]");
      }
    }
    if (!stop.isEmpty()) chat.set("stop", stop);
  }

  private static void metadata(JsonNode md, ObjectNode chat) {
    if (md == null || md.isNull()) return;
    if (!md.isObject()) throw bad("metadata: must be an object.", "metadata");
    for (var it = md.fieldNames(); it.hasNext(); ) {
      String f = it.next();
      if (!f.equals("user_id")) throw bad("metadata." + f + ": Extra inputs are not permitted.", "metadata." + f);
    }
    JsonNode user = md.get("user_id");
    if (user == null || user.isNull()) return;
    if (!user.isTextual()) throw bad("metadata.user_id: must be a string.", "metadata.user_id");
    chat.put("user", user.asText());
  }

  // ---------------------------------------------------------------- errors (shared by the package)

  static JsonNode required(JsonNode obj, String field) {
    JsonNode v = obj.get(field);
    if (v == null || v.isNull()) throw missing(field);
    return v;
  }

  static ApiException missing(String param) {
    return new ApiException(ApiError.invalidRequest(param + ": Field required.", param, "missing_required_parameter"));
  }

  static ApiException bad(String message, String param) {
    return ApiException.badRequest(message, param);
  }
}
