package dev.switchboard.router.api;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.switchboard.router.providers.chat.Json;
import java.util.List;

/**
 * A client-visible error in OpenAI's shape: {@code {"error":{"message","type","param","code"}}}.
 * Messages are written for the client: they never contain stack traces, upstream request
 * headers or keys.
 *
 * @param status HTTP status
 * @param type OpenAI error type, e.g. {@code invalid_request_error}
 * @param param the offending request field (JSON path like {@code messages[1].role}) or null
 * @param code a stable machine-readable code, e.g. {@code model_not_found}
 * @param attempts upstream attempts, for 502/504 (empty otherwise)
 */
public record ApiError(int status, String type, String message, String param, String code, List<AttemptView> attempts) {

  /** One upstream attempt as shown to clients. */
  public record AttemptView(String deployment, int attempt, String outcome, int status, long latencyMs) {}

  public ApiError {
    attempts = attempts == null ? List.of() : List.copyOf(attempts);
  }

  public static ApiError invalidRequest(String message, String param, String code) {
    return new ApiError(400, "invalid_request_error", message, param, code, List.of());
  }

  public ObjectNode toJson() {
    ObjectNode root = Json.MAPPER.createObjectNode();
    ObjectNode e = root.putObject("error");
    e.put("message", message);
    e.put("type", type);
    if (param == null) e.putNull("param"); else e.put("param", param);
    if (code == null) e.putNull("code"); else e.put("code", code);
    if (!attempts.isEmpty()) {
      ArrayNode a = e.putArray("attempts");
      for (AttemptView v : attempts) {
        ObjectNode o = a.addObject();
        o.put("deployment", v.deployment());
        o.put("attempt", v.attempt());
        o.put("outcome", v.outcome());
        if (v.status() > 0) o.put("status", v.status());
        o.put("latency_ms", v.latencyMs());
      }
    }
    return root;
  }

  public byte[] toBytes() {
    return Json.writeBytes(toJson());
  }
}
