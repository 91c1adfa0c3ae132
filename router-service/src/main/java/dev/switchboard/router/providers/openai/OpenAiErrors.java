package dev.switchboard.router.providers.openai;

import com.fasterxml.jackson.databind.JsonNode;
import dev.switchboard.router.providers.contract.ErrorKind;
import dev.switchboard.router.providers.contract.UpstreamError;
import dev.switchboard.router.providers.chat.HttpErrors;
import dev.switchboard.router.providers.chat.Json;
import java.util.Map;

/** OpenAI's {@code {"error":{"message","type","param","code"}}} errors -> {@link UpstreamError}. */
public final class OpenAiErrors {
  private OpenAiErrors() {}

  public static UpstreamError classify(int status, Map<String, String> headers, byte[] body) {
    JsonNode json = Json.tryRead(body);
    JsonNode error = json == null ? null : json.get("error");
    String message = messageOf(error);
    ErrorKind kind = HttpErrors.kindForStatus(status);
    if (status == 400 && isContextLength(error)) kind = ErrorKind.CONTEXT_LENGTH;
    return new UpstreamError(kind, status, message == null ? HttpErrors.genericMessage(status) : message,
        HttpErrors.retryAfterMs(headers, System.currentTimeMillis()));
  }

  /** An error object found inside a 200 body or a stream event; its type/code decide the kind. */
  public static UpstreamError fromErrorObject(JsonNode error, int status) {
    String type = error.path("type").asText("") + " " + error.path("code").asText("");
    ErrorKind kind;
    if (isContextLength(error)) kind = ErrorKind.CONTEXT_LENGTH;
    else if (type.contains("rate_limit")) kind = ErrorKind.RATE_LIMITED;
    else if (type.contains("overloaded")) kind = ErrorKind.OVERLOADED;
    else if (type.contains("invalid_request")) kind = ErrorKind.BAD_REQUEST;
    else if (type.contains("auth") || type.contains("api_key")) kind = ErrorKind.AUTH;
    else kind = ErrorKind.SERVER_ERROR; // mid-stream failures are the server's, and worth a retry
    String message = messageOf(error);
    return new UpstreamError(kind, status, message == null ? "upstream stream error" : message);
  }

  static String messageOf(JsonNode error) {
    if (error == null) return null;
    if (error.isTextual()) return error.asText();
    JsonNode m = error.get("message");
    return m != null && m.isTextual() && !m.asText().isBlank() ? m.asText() : null;
  }

  private static boolean isContextLength(JsonNode error) {
    return error != null && "context_length_exceeded".equals(error.path("code").asText(null));
  }
}
