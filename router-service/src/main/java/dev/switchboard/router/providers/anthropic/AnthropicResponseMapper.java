package dev.switchboard.router.providers.anthropic;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.switchboard.router.providers.contract.ChatRequest;
import dev.switchboard.router.providers.contract.ChatResult;
import dev.switchboard.router.providers.contract.ErrorKind;
import dev.switchboard.router.providers.contract.StreamTranslator;
import dev.switchboard.router.providers.contract.UpstreamError;
import dev.switchboard.router.providers.contract.Usage;
import dev.switchboard.router.providers.chat.BadRequests;
import dev.switchboard.router.providers.chat.ChatCompletions;
import dev.switchboard.router.providers.chat.HttpErrors;
import dev.switchboard.router.providers.chat.Json;
import java.io.IOException;
import java.util.List;
import java.util.Map;

/** Anthropic Messages API response, stream and errors -> OpenAI shapes. */
public final class AnthropicResponseMapper {
  private AnthropicResponseMapper() {}

  public static ChatResult fromUpstream(byte[] body) {
    return fromUpstream(body, false);
  }

  /** The answer to {@code request}, checked as its {@code response_format} asks ({@link AnthropicJsonMode}). */
  public static ChatResult fromUpstream(byte[] body, ChatRequest request) {
    return fromUpstream(body, AnthropicJsonMode.requested(request.body()));
  }

  /**
   * @param jsonMode the request asked for {@code response_format: json_object}: the answer must be a JSON object
   *     ({@link AnthropicJsonMode})
   */
  public static ChatResult fromUpstream(byte[] body, boolean jsonMode) {
    AnthropicMessageResponse msg;
    try {
      msg = AnthropicWire.MAPPER.readValue(body, AnthropicMessageResponse.class);
    } catch (IOException e) {
      throw BadRequests.invalidResponse("Anthropic body is not a Message: " + Json.excerpt(body));
    }
    if (msg == null || msg.content() == null) {
      throw BadRequests.invalidResponse("Anthropic body has no 'content': " + Json.excerpt(body));
    }
    StringBuilder text = new StringBuilder();
    StringBuilder reasoning = new StringBuilder();
    ArrayNode toolCalls = Json.array();
    for (AnthropicContentBlock block : msg.content()) {
      switch (block.type() == null ? "" : block.type()) {
        case "text" -> text.append(block.text() == null ? "" : block.text());
        case "tool_use" -> toolCalls.add(ChatCompletions.toolCall(block.id(), block.name(), arguments(block)));
        case "thinking" -> reasoning.append(block.thinking() == null ? "" : block.thinking());
        // server_tool_use, mcp_tool_use, their results, redacted_thinking, future types: the
        // server ran those tools itself; they have no OpenAI counterpart
        default -> { }
      }
    }
    Usage usage = msg.usage() == null ? Usage.ZERO : msg.usage().toUsage();
    String content = text.length() == 0 && !toolCalls.isEmpty() ? null : text.toString();
    if (jsonMode && toolCalls.isEmpty()) content = AnthropicJsonMode.validated(content);
    ObjectNode choice = ChatCompletions.withReasoning(
        ChatCompletions.choice(0, content, toolCalls, finishReason(msg.stopReason())), reasoning);
    if ("stop_sequence".equals(msg.stopReason()) && msg.stopSequence() != null) choice.put(ChatCompletions.STOP_REASON, msg.stopSequence());
    ObjectNode completion = ChatCompletions.completion(msg.id(), ChatCompletions.nowSeconds(), msg.model(), List.of(choice), usage);
    return new ChatResult(completion, usage);
  }

  public static StreamTranslator streamTranslator() {
    return new AnthropicStreamTranslator(false);
  }

  /** A stream translator for {@code request}: in JSON mode the streamed text must be a JSON object ({@link AnthropicJsonMode}). */
  public static StreamTranslator streamTranslator(ChatRequest request) {
    return new AnthropicStreamTranslator(AnthropicJsonMode.requested(request.body()));
  }

  public static UpstreamError classifyError(int status, Map<String, String> headers, byte[] body) {
    long retryAfter = HttpErrors.retryAfterMs(headers, System.currentTimeMillis());
    AnthropicError error = null;
    try {
      AnthropicErrorResponse r = body == null || body.length == 0 ? null
          : AnthropicWire.MAPPER.readValue(body, AnthropicErrorResponse.class);
      error = r == null ? null : r.error();
    } catch (IOException notJson) {
      // an HTML page from a proxy, say: the status decides
    }
    ErrorKind kind = error == null || error.type() == null ? HttpErrors.kindForStatus(status) : kindOf(error, status);
    String message = error != null && error.message() != null && !error.message().isBlank()
        ? error.message() : HttpErrors.genericMessage(status);
    return new UpstreamError(kind, status, message, retryAfter);
  }

  /** Anthropic error types (HTTP errors and stream {@code error} events) -> kind. */
  static ErrorKind kindOf(AnthropicError error, int status) {
    return switch (error.type()) {
      case "invalid_request_error" -> isContextLength(error.message()) ? ErrorKind.CONTEXT_LENGTH : ErrorKind.BAD_REQUEST;
      case "authentication_error", "permission_error", "billing_error" -> ErrorKind.AUTH;
      case "not_found_error" -> ErrorKind.NOT_FOUND;
      case "request_too_large" -> ErrorKind.BAD_REQUEST;
      case "rate_limit_error" -> ErrorKind.RATE_LIMITED;
      case "overloaded_error" -> ErrorKind.OVERLOADED;
      case "timeout_error" -> ErrorKind.TIMEOUT;
      case "api_error" -> ErrorKind.SERVER_ERROR;
      default -> status > 0 ? HttpErrors.kindForStatus(status) : ErrorKind.SERVER_ERROR;
    };
  }

  /** The HTTP status Anthropic documents for an error type, for errors that arrive in a stream. */
  static int statusOf(String type) {
    return switch (type == null ? "" : type) {
      case "invalid_request_error" -> 400;
      case "authentication_error" -> 401;
      case "billing_error" -> 402;
      case "permission_error" -> 403;
      case "not_found_error" -> 404;
      case "request_too_large" -> 413;
      case "rate_limit_error" -> 429;
      case "timeout_error" -> 504;
      case "overloaded_error" -> 529;
      default -> 500;
    };
  }

  private static boolean isContextLength(String message) {
    return message != null && (message.contains("prompt is too long") || message.contains("context window")
        || message.contains("context length"));
  }

  static String finishReason(String stopReason) {
    if (stopReason == null) return null;
    return switch (stopReason) {
      case "end_turn", "stop_sequence", "pause_turn" -> "stop";
      case "max_tokens", "model_context_window_exceeded" -> "length";
      case "tool_use" -> "tool_calls";
      case "refusal" -> "content_filter";
      default -> "stop";
    };
  }

  private static String arguments(AnthropicContentBlock block) {
    if (block.input() == null || block.input().isNull()) return "{}";
    try {
      return Json.MAPPER.writeValueAsString(block.input());
    } catch (JsonProcessingException e) {
      throw new IllegalStateException(e);
    }
  }
}
