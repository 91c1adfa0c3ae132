package dev.switchboard.router.embeddings;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.switchboard.router.api.ApiError;
import dev.switchboard.router.api.ApiException;
import dev.switchboard.router.chat.ChatRequestParser;
import java.util.ArrayList;
import java.util.List;

/** Validates an OpenAI embeddings request body, naming the offending field ({@code input[3]}). */
final class EmbeddingsRequestParser {
  /** OpenAI's own limit on inputs per request. */
  static final int MAX_INPUTS = 2048;

  private EmbeddingsRequestParser() {}

  static EmbeddingsRequest parse(byte[] bytes) {
    ObjectNode body = ChatRequestParser.readObject(bytes);
    String model = ChatRequestParser.requiredString(body, "model");
    List<String> inputs = inputs(body.get("input"));
    boolean base64 = false;
    JsonNode ef = body.get("encoding_format");
    if (ef != null && !ef.isNull()) {
      if (!ef.isTextual() || !(ef.asText().equals("float") || ef.asText().equals("base64"))) {
        throw ApiException.badRequest("Invalid value for 'encoding_format': expected 'float' or 'base64'.", "encoding_format");
      }
      base64 = ef.asText().equals("base64");
    }
    Integer dimensions = null;
    JsonNode d = body.get("dimensions");
    if (d != null && !d.isNull()) {
      if (!d.isIntegralNumber() || d.asLong() < 1 || d.asLong() > 65_536) {
        throw ApiException.badRequest("'dimensions' must be a positive integer.", "dimensions");
      }
      dimensions = d.asInt();
    }
    JsonNode user = body.get("user");
    if (user != null && !user.isNull() && !user.isTextual()) throw ApiException.badRequest("'user' must be a string.", "user");
    return new EmbeddingsRequest(model, inputs, base64, dimensions, body);
  }

  private static List<String> inputs(JsonNode input) {
    if (input == null || input.isNull()) {
      throw new ApiException(ApiError.invalidRequest("Missing required parameter: 'input'.", "input", "missing_required_parameter"));
    }
    if (input.isTextual()) {
      if (input.asText().isEmpty()) throw ApiException.badRequest("'input' must be a non-empty string.", "input");
      return List.of(input.asText());
    }
    if (!input.isArray()) throw ApiException.badRequest("'input' must be a string or an array of strings.", "input");
    if (input.isEmpty()) throw ApiException.badRequest("'input' must contain at least one string.", "input");
    if (input.size() > MAX_INPUTS) {
      throw ApiException.badRequest("'input' may hold at most " + MAX_INPUTS + " strings; it holds " + input.size() + ".", "input");
    }
    List<String> out = new ArrayList<>(input.size());
    for (int i = 0; i < input.size(); i++) {
      JsonNode v = input.get(i);
      String at = "input[" + i + "]";
      if (v.isNumber() || v.isArray()) {
        // Token ids are tokenizer-specific: ids of OpenAI's tokenizer mean nothing to another model's.
        throw ApiException.badRequest("'" + at + "' is a token id or token array; this gateway embeds text only (send the strings).", at);
      }
      if (!v.isTextual()) throw ApiException.badRequest("'" + at + "' must be a string.", at);
      if (v.asText().isEmpty()) throw ApiException.badRequest("'" + at + "' must be a non-empty string.", at);
      out.add(v.asText());
    }
    return out;
  }
}
