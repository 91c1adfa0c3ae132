package dev.switchboard.router.requestlog;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.databind.node.TextNode;
import java.util.Iterator;
import java.util.Locale;
import java.util.Map;

/** How much of the conversation the request log keeps. */
public enum CaptureMode {
  /** Messages and response verbatim. */
  FULL,
  /** Messages and response with personal data and secrets masked by {@link Redactor}. */
  REDACTED,
  /** Neither messages nor response (both null in the record). */
  NONE;

  public String wireName() {
    return name().toLowerCase(Locale.ROOT);
  }

  /** Parses {@code full}, {@code redacted} or {@code none} (case-insensitive). */
  public static CaptureMode parse(String s) {
    for (CaptureMode m : values()) {
      if (m.wireName().equalsIgnoreCase(s == null ? "" : s.trim())) {
        return m;
      }
    }
    throw new IllegalArgumentException("capture mode must be full, redacted or none, got '" + s + "'");
  }

  public String text(String text) {
    return switch (this) {
      case FULL -> text;
      case REDACTED -> text == null ? null : Redactor.redact(text);
      case NONE -> null;
    };
  }

  /** Every string value inside {@code messages} (any depth) is redacted; keys are kept. */
  public JsonNode messages(JsonNode messages) {
    return switch (this) {
      case FULL -> messages;
      case REDACTED -> messages == null ? null : redactNode(messages);
      case NONE -> null;
    };
  }

  private static JsonNode redactNode(JsonNode n) {
    if (n.isTextual()) {
      return TextNode.valueOf(Redactor.redact(n.textValue()));
    }
    if (n.isArray()) {
      ArrayNode out = JsonNodeFactory.instance.arrayNode();
      n.forEach(e -> out.add(redactNode(e)));
      return out;
    }
    if (n.isObject()) {
      ObjectNode out = JsonNodeFactory.instance.objectNode();
      for (Iterator<Map.Entry<String, JsonNode>> it = n.fields(); it.hasNext(); ) {
        Map.Entry<String, JsonNode> e = it.next();
        out.set(e.getKey(), redactNode(e.getValue()));
      }
      return out;
    }
    return n;
  }
}
