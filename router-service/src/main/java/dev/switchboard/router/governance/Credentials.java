package dev.switchboard.router.governance;

import io.vertx.core.http.HttpServerRequest;

/** Where a client puts its key: {@code Authorization: Bearer …} (OpenAI SDKs) or {@code x-api-key} (Anthropic-style clients). */
final class Credentials {
  private Credentials() {}

  /** The presented secret, or null. */
  static String presented(HttpServerRequest req) {
    String auth = req.getHeader("authorization");
    if (auth != null && auth.regionMatches(true, 0, "Bearer ", 0, 7)) return auth.substring(7).trim();
    String apiKey = req.getHeader("x-api-key");
    return apiKey == null ? null : apiKey.trim();
  }
}
