package dev.switchboard.router.governance;

import com.fasterxml.jackson.databind.JsonNode;

/** Prompt tokens before the upstream counts them: about four characters a token (English, BPE tokenisers). */
public final class TokenEstimate {
  private TokenEstimate() {}

  /** Estimated prompt tokens of OpenAI-shaped {@code messages} (text parts only). */
  public static long prompt(JsonNode messages) {
    long chars = 0;
    if (messages != null) {
      for (JsonNode m : messages) {
        JsonNode c = m.get("content");
        if (c == null) continue;
        if (c.isTextual()) chars += c.asText().length();
        else if (c.isArray()) for (JsonNode p : c) chars += p.path("text").asText("").length();
        chars += 4; // role and separators
      }
    }
    return Math.max(1, (chars + 3) / 4);
  }
}
