package dev.switchboard.router.upstream;

import com.fasterxml.jackson.databind.JsonNode;
import dev.switchboard.router.providers.chat.ChatContent;
import dev.switchboard.router.providers.chat.Json;
import java.util.Set;

/**
 * The parts of an OpenAI chat completion request the recorded upstream needs, validated like
 * OpenAI validates them.
 *
 * @param promptText text of the last user message (string content, or text parts joined by LF)
 * @param promptChars characters of all messages' text (for token estimates)
 * @param maxTokens {@code max_completion_tokens}/{@code max_tokens}, or -1
 */
record CompletionRequest(String model, boolean stream, boolean includeUsage, String promptText, long promptChars, long maxTokens) {
  private static final Set<String> ROLES = Set.of("system", "developer", "user", "assistant", "tool", "function");

  /** A request OpenAI would reject with 400, naming the parameter. */
  static final class Invalid extends Exception {
    final String param;

    Invalid(String message, String param) {
      super(message, null, false, false);
      this.param = param;
    }
  }

  static CompletionRequest parse(byte[] body) throws Invalid {
    JsonNode root = Json.tryRead(body);
    if (root == null || !root.isObject()) {
      throw new Invalid("We could not parse the JSON body of your request. The body must be a JSON object.", null);
    }
    JsonNode model = root.get("model");
    if (model == null || !model.isTextual() || model.asText().isEmpty()) {
      throw new Invalid("you must provide a model parameter", "model");
    }
    JsonNode messages = root.get("messages");
    if (messages == null || !messages.isArray()) throw new Invalid("Missing required parameter: 'messages'.", "messages");
    if (messages.isEmpty()) throw new Invalid("Invalid 'messages': empty array. Expected an array with minimum length 1.", "messages");
    String prompt = "";
    long chars = 0;
    for (int i = 0; i < messages.size(); i++) {
      JsonNode m = messages.get(i);
      JsonNode role = m.get("role");
      if (!m.isObject() || role == null || !role.isTextual()) {
        throw new Invalid("Missing required parameter: 'messages[" + i + "].role'.", "messages[" + i + "].role");
      }
      if (!ROLES.contains(role.asText())) {
        throw new Invalid("Invalid value: '" + role.asText() + "'. Supported values are: 'system', 'developer', 'user', 'assistant', 'tool', and 'function'.",
            "messages[" + i + "].role");
      }
      String text = ChatContent.text(m.get("content"));
      chars += text.length();
      if (role.asText().equals("user")) prompt = text;
    }
    unsupported(root);
    JsonNode stream = root.get("stream");
    if (stream != null && !stream.isNull() && !stream.isBoolean()) {
      throw new Invalid("Invalid type for 'stream': expected a boolean, but got " + stream.getNodeType().name().toLowerCase() + " instead.", "stream");
    }
    boolean streaming = stream != null && stream.asBoolean(false);
    boolean includeUsage = root.path("stream_options").path("include_usage").asBoolean(false);
    return new CompletionRequest(model.asText(), streaming, includeUsage, prompt, chars, ChatContent.maxTokens(root));
  }

  /**
   * What a replay of recorded answers cannot honour is refused by name rather than ignored: the answers were
   * recorded as one plain-text choice, without tools or a response format.
   */
  private static void unsupported(JsonNode root) throws Invalid {
    JsonNode tools = root.get("tools");
    if (tools != null && tools.isArray() && !tools.isEmpty()) {
      throw new Invalid("'tools' is not supported by the recorded provider: its answers were recorded without tools.", "tools");
    }
    String format = root.path("response_format").path("type").asText("text");
    if (!format.equals("text")) {
      throw new Invalid("'response_format' of type '" + format + "' is not supported by the recorded provider: its answers are"
          + " recorded plain text.", "response_format");
    }
    JsonNode n = root.get("n");
    if (n != null && n.canConvertToInt() && n.asInt() > 1) {
      throw new Invalid("'n' > 1 is not supported by the recorded provider: it has one recorded answer per prompt.", "n");
    }
  }
}
