package dev.switchboard.router.messages;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.switchboard.router.api.ApiError;
import dev.switchboard.router.api.ErrorShape;
import dev.switchboard.router.api.Responses;
import dev.switchboard.router.providers.chat.Json;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpServerResponse;

/**
 * Errors on {@code /v1/messages} in Anthropic's shape, {@code {"type":"error","error":{"type","message"}}}, with
 * the same HTTP status the gateway uses everywhere and Anthropic's error type for it. Anthropic's body has no
 * {@code param}; the message names the field ({@code messages[0].role: ...}) as Anthropic's own messages do.
 */
public final class MessagesErrors {
  /** Writes errors of every {@code /v1/messages*} path, including those raised before the handler (auth, 404, 413). */
  public static final ErrorShape SHAPE = MessagesErrors::write;

  private MessagesErrors() {}

  static void write(HttpServerResponse out, ApiError e) {
    if (out.ended() || out.closed()) return;
    ObjectNode body = body(e);
    if (out.headWritten()) {
      // A stream already started: the status is sent, so the error becomes Anthropic's error event.
      out.end(Buffer.buffer("event: error\ndata: " + Json.write(body) + "\n\n"));
      return;
    }
    out.setStatusCode(e.status()).putHeader("content-type", Responses.JSON).end(Buffer.buffer(Json.writeBytes(body)));
  }

  static ObjectNode body(ApiError e) {
    ObjectNode root = Json.object().put("type", "error");
    root.putObject("error").put("type", type(e.status())).put("message", e.message());
    return root;
  }

  /** Anthropic's error type for an HTTP status (its documented table; 502 and other 5xx are {@code api_error}). */
  static String type(int status) {
    return switch (status) {
      case 400, 405, 422 -> "invalid_request_error";
      case 401 -> "authentication_error";
      case 402 -> "billing_error";
      case 403 -> "permission_error";
      case 404 -> "not_found_error";
      case 413 -> "request_too_large";
      case 429 -> "rate_limit_error";
      case 503, 529 -> "overloaded_error";
      case 504 -> "timeout_error";
      default -> status >= 400 && status < 500 ? "invalid_request_error" : "api_error";
    };
  }
}
