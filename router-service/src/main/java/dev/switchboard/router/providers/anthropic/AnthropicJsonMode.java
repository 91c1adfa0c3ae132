package dev.switchboard.router.providers.anthropic;

import com.fasterxml.jackson.databind.JsonNode;
import dev.switchboard.router.providers.chat.BadRequests;
import dev.switchboard.router.providers.chat.Json;

/**
 * OpenAI's {@code response_format: {"type":"json_object"}} for Anthropic, which has no JSON mode: an instruction in
 * the system prompt, then the answer is checked. A non-streaming answer may come wrapped in one Markdown code fence,
 * which is taken off; an answer that is still not a JSON object is an invalid response (retried, then the next
 * deployment), never passed on as if the mode had held. A stream is checked at its end, when its text is out: an
 * answer that is not a JSON object ends the stream with an error event instead of a normal finish.
 *
 * <p>{@code json_schema} is refused with a 400: an instruction cannot promise a schema, and Anthropic's own
 * structured outputs are reachable through {@code switchboard.provider_options.anthropic.output_config}.
 */
final class AnthropicJsonMode {
  static final String INSTRUCTION = "Answer with one valid JSON object and nothing else: no prose before or after it, "
      + "no Markdown code fences.";

  private AnthropicJsonMode() {}

  /** Whether the request asks for JSON mode; throws a 400 for response formats that cannot be honoured. */
  static boolean requested(JsonNode body) {
    JsonNode rf = body.get("response_format");
    if (rf == null || rf.isNull()) return false;
    String type = rf.path("type").asText("");
    return switch (type) {
      case "text" -> false;
      case "json_object" -> true;
      default -> throw BadRequests.of("response_format.type '" + type + "' is not supported by Anthropic deployments (json_object is;"
          + " for a schema use switchboard.provider_options.anthropic.output_config)");
    };
  }

  /**
   * The answer as a JSON object's text: itself, or the inside of one surrounding code fence.
   *
   * @throws dev.switchboard.router.providers.contract.ProviderException (invalid response) when it is not one
   */
  static String validated(String answer) {
    String t = answer == null ? "" : answer.strip();
    if (t.startsWith("```") && t.endsWith("```") && t.length() >= 6) {
      int firstLine = t.indexOf('\n');
      t = firstLine < 0 ? "" : t.substring(firstLine + 1, t.length() - 3).strip();
    }
    JsonNode parsed = Json.tryRead(t);
    if (parsed == null || !parsed.isObject()) {
      throw BadRequests.invalidResponse("response_format json_object: the Anthropic answer is not a JSON object: " + excerpt(answer));
    }
    return t;
  }

  private static String excerpt(String s) {
    String t = s == null ? "" : s.strip();
    return t.length() <= 80 ? t : t.substring(0, 80) + "...";
  }
}
