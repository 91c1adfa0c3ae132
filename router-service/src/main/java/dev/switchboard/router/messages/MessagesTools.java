package dev.switchboard.router.messages;

import static dev.switchboard.router.messages.MessagesRequestTranslator.bad;
import static dev.switchboard.router.messages.MessagesRequestTranslator.missing;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * Anthropic {@code tools} and {@code tool_choice} -> OpenAI function tools. Only client tools (a name and an
 * {@code input_schema}) translate; Anthropic's server tools (web search, code execution, ...) run on Anthropic's
 * side and are refused by name.
 */
final class MessagesTools {
  private MessagesTools() {}

  static void tools(JsonNode tools, ObjectNode chat) {
    if (tools == null || tools.isNull()) return;
    if (!tools.isArray()) throw bad("tools: must be an array.", "tools");
    if (tools.isEmpty()) return;
    ArrayNode out = chat.putArray("tools");
    for (int i = 0; i < tools.size(); i++) {
      JsonNode t = tools.get(i);
      String at = "tools[" + i + "]";
      if (!t.isObject()) throw bad(at + ": must be an object.", at);
      JsonNode type = t.get("type");
      if (type != null && !type.isNull() && !"custom".equals(type.asText())) {
        throw bad(at + ".type: server tool '" + type.asText() + "' is not available through the gateway (only client tools,"
            + " with a name and an input_schema, are translated).", at + ".type");
      }
      JsonNode name = t.get("name");
      if (name == null || name.isNull()) throw missing(at + ".name");
      if (!name.isTextual() || name.asText().isEmpty()) throw bad(at + ".name: must be a non-empty string.", at + ".name");
      JsonNode schema = t.get("input_schema");
      if (schema == null || schema.isNull()) throw missing(at + ".input_schema");
      if (!schema.isObject()) throw bad(at + ".input_schema: must be a JSON Schema object.", at + ".input_schema");
      ObjectNode fn = out.addObject().put("type", "function").putObject("function");
      fn.put("name", name.asText());
      JsonNode description = t.get("description");
      if (description != null && !description.isNull()) {
        if (!description.isTextual()) throw bad(at + ".description: must be a string.", at + ".description");
        fn.put("description", description.asText());
      }
      fn.set("parameters", schema);
      JsonNode strict = t.get("strict");
      if (strict != null && !strict.isNull()) {
        if (!strict.isBoolean()) throw bad(at + ".strict: must be a boolean.", at + ".strict");
        fn.put("strict", strict.asBoolean());
      }
    }
  }

  static void toolChoice(JsonNode tc, ObjectNode chat) {
    if (tc == null || tc.isNull()) return;
    if (!tc.isObject() || !tc.path("type").isTextual()) throw bad("tool_choice: must be an object with a string 'type'.", "tool_choice.type");
    switch (tc.get("type").asText()) {
      case "auto" -> chat.put("tool_choice", "auto");
      case "any" -> chat.put("tool_choice", "required");
      case "none" -> chat.put("tool_choice", "none");
      case "tool" -> {
        JsonNode name = tc.get("name");
        if (name == null || name.isNull()) throw missing("tool_choice.name");
        if (!name.isTextual()) throw bad("tool_choice.name: must be a string.", "tool_choice.name");
        chat.putObject("tool_choice").put("type", "function").putObject("function").put("name", name.asText());
      }
      default -> throw bad("tool_choice.type: must be one of auto, any, tool, none.", "tool_choice.type");
    }
    JsonNode noParallel = tc.get("disable_parallel_tool_use");
    if (noParallel != null && !noParallel.isNull()) {
      if (!noParallel.isBoolean()) throw bad("tool_choice.disable_parallel_tool_use: must be a boolean.", "tool_choice.disable_parallel_tool_use");
      if (noParallel.asBoolean()) chat.put("parallel_tool_calls", false);
    }
  }
}
