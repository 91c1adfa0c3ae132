package dev.switchboard.router.providers.gemini;

import com.fasterxml.jackson.databind.JsonNode;

/** {@code {"error":{"code","message","status","details"}}} (google.rpc.Status). */
record GeminiErrorResponse(Error error) {
  record Error(Integer code, String message, String status, JsonNode details) {}
}
