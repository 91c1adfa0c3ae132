package dev.switchboard.eval.replay;

import dev.switchboard.classifier.base.Jackson;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.util.HashMap;
import java.util.Iterator;
import java.util.Map;

/**
 * The parts of a request log record ({@code docs/request-log.md}) that replay needs.
 *
 * @param prompt text of the last user message (the dataset's {@code prompt})
 * @param metadata the record's string metadata ({@code reference} feeds the reference grader)
 * @param messagesJson {@code messages} as JSON text
 */
record LoggedRequest(String requestId, JsonNode messages, String prompt, String category,
    Map<String, String> metadata, String messagesJson) {

  /** {@code messagesJson}: {@code messages} serialised once (rows, spend reservations), computed when null */
  public LoggedRequest {
    messagesJson = messagesJson != null ? messagesJson : messages.toString();
  }

  public LoggedRequest(String requestId, JsonNode messages, String prompt, String category, Map<String, String> metadata) {
    this(requestId, messages, prompt, category, metadata, null);
  }

  public static final int SUPPORTED_SCHEMA_VERSION = 1;
  private static final ObjectMapper JSON = Jackson.JSON;

  /** A record replay cannot use; the reason is listed in the run summary. */
  public static final class PoisonRecordException extends Exception {
    public PoisonRecordException(String reason) {
      super(reason, null, false, false);
    }
  }

  /** Parses a record value; anything replay cannot use is a {@link PoisonRecordException}. */
  public static LoggedRequest parse(byte[] value) throws PoisonRecordException {
    if (value == null) {
      throw new PoisonRecordException("empty record (tombstone)");
    }
    JsonNode root;
    try {
      root = JSON.readTree(value);
    } catch (Exception e) {
      throw new PoisonRecordException("not JSON: " + firstLine(e.getMessage()));
    }
    if (root == null || !root.isObject()) {
      throw new PoisonRecordException("not a JSON object");
    }
    JsonNode v = root.get("schema_version");
    if (v == null || !v.canConvertToInt() || v.asInt() != SUPPORTED_SCHEMA_VERSION) {
      throw new PoisonRecordException("unknown schema_version " + (v == null ? "(missing)" : v.toString()));
    }
    String id = root.path("request_id").asText("");
    if (id.isBlank()) {
      throw new PoisonRecordException("missing request_id");
    }
    JsonNode messages = root.get("messages");
    if (messages == null || !messages.isArray() || messages.isEmpty()) {
      throw new PoisonRecordException("no messages (captured with capture=none?)");
    }
    String prompt = null;
    for (JsonNode m : messages) {
      if ("user".equals(m.path("role").asText())) {
        prompt = contentText(m.get("content"));
      }
    }
    if (prompt == null) {
      throw new PoisonRecordException("no user message");
    }
    Map<String, String> metadata = new HashMap<>();
    JsonNode md = root.path("metadata");
    for (Iterator<Map.Entry<String, JsonNode>> it = md.fields(); it.hasNext(); ) {
      Map.Entry<String, JsonNode> e = it.next();
      metadata.put(e.getKey(), e.getValue().asText());
    }
    JsonNode cat = root.get("category");
    return new LoggedRequest(id, messages, prompt, cat == null || cat.isNull() ? null : cat.asText(),
        Map.copyOf(metadata));
  }

  /** String content, or the text parts of an array content joined by newlines. */
  private static String contentText(JsonNode content) {
    if (content == null || content.isNull()) {
      return "";
    }
    if (content.isTextual()) {
      return content.textValue();
    }
    StringBuilder b = new StringBuilder();
    for (JsonNode part : content) {
      if (part.path("text").isTextual()) {
        if (b.length() > 0) {
          b.append('\n');
        }
        b.append(part.path("text").textValue());
      }
    }
    return b.toString();
  }

  private static String firstLine(String s) {
    if (s == null) {
      return "";
    }
    int nl = s.indexOf('\n');
    return nl < 0 ? s : s.substring(0, nl);
  }
}
