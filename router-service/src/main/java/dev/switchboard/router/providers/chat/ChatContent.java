package dev.switchboard.router.providers.chat;

import com.fasterxml.jackson.databind.JsonNode;

/** Reading OpenAI message content, which is either a string or an array of typed parts. */
public final class ChatContent {
  private ChatContent() {}

  /**
   * The text of a message's {@code content}: the string itself, or its {@code text} parts joined
   * with a newline; empty for null/absent content.
   */
  public static String text(JsonNode content) {
    if (content == null || content.isNull() || content.isMissingNode()) return "";
    if (content.isTextual()) return content.asText();
    if (content.isArray()) {
      StringBuilder sb = new StringBuilder();
      for (JsonNode part : content) {
        if (isTextPart(part)) {
          if (sb.length() > 0) sb.append('\n');
          sb.append(part.path("text").asText());
        }
      }
      return sb.toString();
    }
    return content.toString();
  }

  /** A part of type {@code text} (OpenAI also accepts a part with only a text field). */
  public static boolean isTextPart(JsonNode part) {
    if (part.isTextual()) return false;
    String type = part.path("type").asText("text");
    return type.equals("text") && part.has("text");
  }

  /**
   * The URL of an {@code image_url} part ({@code {"image_url": {"url": ...}}}, or the bare string
   * some clients send); a 400 naming {@code partPath} when there is none.
   */
  public static String imageUrl(JsonNode part, String partPath) {
    JsonNode iu = part.get("image_url");
    String url = iu == null ? null : iu.isTextual() ? iu.asText() : iu.path("url").asText(null);
    if (url == null) throw BadRequests.of(partPath + ".image_url.url is required");
    return url;
  }

  /** The {@code max_completion_tokens} or legacy {@code max_tokens} of a request, or -1. */
  public static long maxTokens(JsonNode body) {
    JsonNode n = body.get("max_completion_tokens");
    if (n == null || !n.canConvertToLong()) n = body.get("max_tokens");
    return n != null && n.canConvertToLong() ? n.asLong() : -1;
  }

  /** {@code stop} as a list: OpenAI accepts a string or an array of strings. */
  public static java.util.List<String> stopSequences(JsonNode stop) {
    if (stop == null || stop.isNull()) return null;
    if (stop.isTextual()) return java.util.List.of(stop.asText());
    java.util.List<String> out = new java.util.ArrayList<>();
    if (stop.isArray()) stop.forEach(s -> out.add(s.asText()));
    return out.isEmpty() ? null : out;
  }
}
