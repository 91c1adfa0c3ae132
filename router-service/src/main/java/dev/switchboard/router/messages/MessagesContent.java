package dev.switchboard.router.messages;

import static dev.switchboard.router.messages.MessagesRequestTranslator.bad;
import static dev.switchboard.router.messages.MessagesRequestTranslator.missing;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.switchboard.router.providers.chat.Json;
import java.util.Set;

/**
 * Anthropic {@code messages} -> OpenAI {@code messages}. A user turn's {@code tool_result} blocks become
 * {@code tool} messages placed before the rest of that turn (OpenAI wants tool answers right after the assistant
 * turn that called the tools); an assistant turn's {@code tool_use} blocks become its {@code tool_calls}.
 */
final class MessagesContent {
  private static final Set<String> MEDIA_TYPES = Set.of("image/jpeg", "image/png", "image/gif", "image/webp");
  private static final String BLOCK_TYPES = "text, image, tool_use, tool_result";

  private MessagesContent() {}

  static void messages(JsonNode messages, ArrayNode out) {
    if (!messages.isArray()) throw bad("messages: must be an array of message objects.", "messages");
    if (messages.isEmpty()) throw bad("messages: at least one message is required.", "messages");
    for (int i = 0; i < messages.size(); i++) {
      JsonNode m = messages.get(i);
      String at = "messages[" + i + "]";
      if (!m.isObject()) throw bad(at + ": must be an object.", at);
      JsonNode role = m.get("role");
      if (role == null || role.isNull()) throw missing(at + ".role");
      JsonNode content = m.get("content");
      if (content == null || content.isNull()) throw missing(at + ".content");
      if (!content.isTextual() && !content.isArray()) throw bad(at + ".content: must be a string or an array of content blocks.", at + ".content");
      switch (role.isTextual() ? role.asText() : "") {
        case "user" -> user(content, at, out);
        case "assistant" -> assistant(content, at, out);
        case "system" -> out.addObject().put("role", "system").put("content", systemText(content, at + ".content"));
        default -> throw bad(at + ".role: must be one of 'user', 'assistant', 'system'.", at + ".role");
      }
    }
  }

  /** A system prompt (top-level {@code system} or a {@code system} message): a string or text blocks, joined. */
  static String systemText(JsonNode system, String at) {
    if (system.isTextual()) return system.asText();
    if (!system.isArray()) throw bad(at + ": must be a string or an array of text blocks.", at);
    StringBuilder sb = new StringBuilder();
    for (int i = 0; i < system.size(); i++) {
      String bat = at + "[" + i + "]";
      JsonNode b = block(system.get(i), bat);
      if (!"text".equals(b.get("type").asText())) throw bad(bat + ".type: system blocks must be of type 'text'.", bat + ".type");
      if (!sb.isEmpty()) sb.append("\n\n");
      sb.append(text(b, bat));
    }
    return sb.toString();
  }

  private static void user(JsonNode content, String at, ArrayNode out) {
    if (content.isTextual()) {
      out.addObject().put("role", "user").put("content", content.asText());
      return;
    }
    ArrayNode parts = Json.MAPPER.createArrayNode();
    for (int j = 0; j < content.size(); j++) {
      String bat = at + ".content[" + j + "]";
      JsonNode b = block(content.get(j), bat);
      switch (b.get("type").asText()) {
        case "text" -> parts.addObject().put("type", "text").put("text", text(b, bat));
        case "image" -> image(b, bat, parts);
        case "tool_result" -> toolResult(b, bat, out);
        case "tool_use" -> throw bad(bat + ".type: 'tool_use' blocks belong in assistant messages.", bat + ".type");
        default -> throw unsupported(b, bat);
      }
    }
    if (!parts.isEmpty()) out.addObject().put("role", "user").set("content", parts);
  }

  private static void assistant(JsonNode content, String at, ArrayNode out) {
    ObjectNode msg = out.addObject().put("role", "assistant");
    if (content.isTextual()) {
      msg.put("content", content.asText());
      return;
    }
    StringBuilder text = new StringBuilder();
    ArrayNode calls = null;
    for (int j = 0; j < content.size(); j++) {
      String bat = at + ".content[" + j + "]";
      JsonNode b = block(content.get(j), bat);
      switch (b.get("type").asText()) {
        case "text" -> text.append(text(b, bat));
        case "tool_use" -> {
          if (calls == null) calls = msg.putArray("tool_calls");
          ObjectNode call = calls.addObject();
          call.put("id", string(b, "id", bat));
          call.put("type", "function");
          JsonNode input = b.get("input");
          if (input == null || !input.isObject()) throw bad(bat + ".input: must be an object.", bat + ".input");
          call.putObject("function").put("name", string(b, "name", bat)).put("arguments", Json.write(input));
        }
        case "image", "tool_result" -> throw bad(bat + ".type: '" + b.get("type").asText() + "' blocks belong in user messages.", bat + ".type");
        default -> throw unsupported(b, bat);
      }
    }
    if (calls == null || !text.isEmpty()) msg.put("content", text.toString());
    else msg.putNull("content");
  }

  // ---------------------------------------------------------------- blocks

  private static JsonNode block(JsonNode b, String at) {
    if (!b.isObject()) throw bad(at + ": must be a content block object.", at);
    if (!b.path("type").isTextual()) throw missing(at + ".type");
    return b;
  }

  private static RuntimeException unsupported(JsonNode b, String at) {
    return bad(at + ".type: unsupported content block type '" + b.get("type").asText() + "' (expected one of " + BLOCK_TYPES + ").",
        at + ".type");
  }

  private static String text(JsonNode b, String at) {
    return string(b, "text", at);
  }

  private static String string(JsonNode b, String field, String at) {
    JsonNode v = b.get(field);
    if (v == null || v.isNull()) throw missing(at + "." + field);
    if (!v.isTextual()) throw bad(at + "." + field + ": must be a string.", at + "." + field);
    return v.asText();
  }

  private static void image(JsonNode b, String at, ArrayNode parts) {
    JsonNode src = b.get("source");
    if (src == null || !src.isObject()) throw missing(at + ".source");
    String url = switch (src.path("type").asText("")) {
      case "base64" -> {
        String media = string(src, "media_type", at + ".source");
        if (!MEDIA_TYPES.contains(media)) {
          throw bad(at + ".source.media_type: must be one of image/jpeg, image/png, image/gif, image/webp.", at + ".source.media_type");
        }
        yield "data:" + media + ";base64," + string(src, "data", at + ".source");
      }
      case "url" -> string(src, "url", at + ".source");
      default -> throw bad(at + ".source.type: must be 'base64' or 'url'.", at + ".source.type");
    };
    parts.addObject().put("type", "image_url").putObject("image_url").put("url", url);
  }

  /** A tool's answer as a {@code tool} message; {@code is_error} is said in the text, as OpenAI has no flag for it. */
  private static void toolResult(JsonNode b, String at, ArrayNode out) {
    String id = string(b, "tool_use_id", at);
    JsonNode c = b.get("content");
    StringBuilder text = new StringBuilder();
    if (c == null || c.isNull()) {
      // no content: the tool ran and said nothing
    } else if (c.isTextual()) {
      text.append(c.asText());
    } else if (c.isArray()) {
      for (int k = 0; k < c.size(); k++) {
        String cat = at + ".content[" + k + "]";
        JsonNode part = block(c.get(k), cat);
        if (!"text".equals(part.get("type").asText())) {
          throw bad(cat + ".type: only text blocks are supported inside tool_result through the gateway.", cat + ".type");
        }
        if (!text.isEmpty()) text.append('\n');
        text.append(text(part, cat));
      }
    } else {
      throw bad(at + ".content: must be a string or an array of text blocks.", at + ".content");
    }
    JsonNode err = b.get("is_error");
    if (err != null && !err.isNull() && !err.isBoolean()) throw bad(at + ".is_error: must be a boolean.", at + ".is_error");
    String body = err != null && err.asBoolean() ? "Error: " + text : text.toString();
    out.addObject().put("role", "tool").put("tool_call_id", id).put("content", body);
  }
}
