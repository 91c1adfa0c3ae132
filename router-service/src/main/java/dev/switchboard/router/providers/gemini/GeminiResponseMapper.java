package dev.switchboard.router.providers.gemini;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.switchboard.router.providers.contract.ChatResult;
import dev.switchboard.router.providers.contract.ErrorKind;
import dev.switchboard.router.providers.contract.ProviderException;
import dev.switchboard.router.providers.contract.StreamTranslator;
import dev.switchboard.router.providers.contract.UpstreamError;
import dev.switchboard.router.providers.contract.Usage;
import dev.switchboard.router.providers.chat.BadRequests;
import dev.switchboard.router.providers.chat.ChatCompletions;
import dev.switchboard.router.providers.chat.HttpErrors;
import dev.switchboard.router.providers.chat.Json;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/** Gemini GenerateContentResponse, stream and errors -> OpenAI shapes. */
public final class GeminiResponseMapper {
  private GeminiResponseMapper() {}

  public static ChatResult fromUpstream(String deploymentModel, byte[] body) {
    GeminiResponse r;
    try {
      r = GeminiWire.MAPPER.readValue(body, GeminiResponse.class);
    } catch (IOException e) {
      throw BadRequests.invalidResponse("Gemini body is not a GenerateContentResponse: " + Json.excerpt(body));
    }
    checkBlocked(r);
    List<ObjectNode> choices = new ArrayList<>();
    int[] callCounter = {0};
    for (GeminiCandidate c : r.candidates()) {
      StringBuilder text = new StringBuilder();
      StringBuilder reasoning = new StringBuilder();
      ArrayNode calls = Json.array();
      for (GeminiPart p : parts(c)) {
        if (p.text() != null) (Boolean.TRUE.equals(p.thought()) ? reasoning : text).append(p.text());
        if (p.functionCall() != null) {
          calls.add(ChatCompletions.toolCall(callId(p, callCounter), p.functionCall().name(), arguments(p.functionCall())));
        }
      }
      String content = text.length() == 0 && !calls.isEmpty() ? null : text.toString();
      int index = c.index() == null ? choices.size() : c.index();
      choices.add(ChatCompletions.withReasoning(
          ChatCompletions.choice(index, content, calls, finishReason(c.finishReason(), !calls.isEmpty())), reasoning));
    }
    Usage usage = r.usageMetadata() == null ? Usage.ZERO : r.usageMetadata().toUsage();
    ObjectNode completion = ChatCompletions.completion(
        r.responseId() == null ? ChatCompletions.newId() : r.responseId(), ChatCompletions.nowSeconds(),
        r.modelVersion() == null ? deploymentModel : r.modelVersion(), choices, usage);
    return new ChatResult(completion, usage);
  }

  public static StreamTranslator streamTranslator(String deploymentModel) {
    return new GeminiStreamTranslator(deploymentModel);
  }

  public static UpstreamError classifyError(int status, Map<String, String> headers, byte[] body) {
    JsonNode json = Json.tryRead(body);
    // streamGenerateContent without alt=sse wraps everything, errors included, in an array.
    if (json != null && json.isArray() && json.size() > 0) json = json.get(0);
    GeminiErrorResponse.Error error = null;
    if (json != null && json.path("error").isObject()) {
      error = GeminiWire.MAPPER.convertValue(json.get("error"), GeminiErrorResponse.Error.class);
    }
    long retryAfter = HttpErrors.retryAfterMs(headers, System.currentTimeMillis());
    if (error == null) return new UpstreamError(HttpErrors.kindForStatus(status), status, HttpErrors.genericMessage(status), retryAfter);
    if (retryAfter < 0) retryAfter = retryDelayMs(error.details());
    String message = error.message() == null || error.message().isBlank() ? HttpErrors.genericMessage(status) : error.message();
    return new UpstreamError(kindOf(error, status), status, message, retryAfter);
  }

  static ErrorKind kindOf(GeminiErrorResponse.Error error, int status) {
    String s = error.status() == null ? "" : error.status();
    return switch (s) {
      case "INVALID_ARGUMENT", "FAILED_PRECONDITION", "OUT_OF_RANGE" -> {
        if (hasReason(error.details(), "API_KEY_INVALID")) yield ErrorKind.AUTH; // Gemini answers a bad key with 400
        String m = error.message() == null ? "" : error.message();
        yield m.contains("exceeds the maximum number of tokens") || m.contains("too long") ? ErrorKind.CONTEXT_LENGTH : ErrorKind.BAD_REQUEST;
      }
      case "UNAUTHENTICATED", "PERMISSION_DENIED" -> ErrorKind.AUTH;
      case "NOT_FOUND" -> ErrorKind.NOT_FOUND;
      case "RESOURCE_EXHAUSTED" -> ErrorKind.RATE_LIMITED;
      case "UNAVAILABLE" -> ErrorKind.OVERLOADED;
      case "DEADLINE_EXCEEDED" -> ErrorKind.TIMEOUT;
      case "INTERNAL", "UNKNOWN", "ABORTED", "DATA_LOSS" -> ErrorKind.SERVER_ERROR;
      default -> HttpErrors.kindForStatus(status > 0 ? status : error.code() == null ? 500 : error.code());
    };
  }

  private static boolean hasReason(JsonNode details, String reason) {
    if (details == null || !details.isArray()) return false;
    for (JsonNode d : details) if (reason.equals(d.path("reason").asText(null))) return true;
    return false;
  }

  /** google.rpc.RetryInfo {@code retryDelay: "30s"} in the error details. */
  private static long retryDelayMs(JsonNode details) {
    if (details == null || !details.isArray()) return -1;
    for (JsonNode d : details) {
      String delay = d.path("retryDelay").asText(null);
      if (delay != null && delay.endsWith("s")) {
        try {
          return Math.round(Double.parseDouble(delay.substring(0, delay.length() - 1)) * 1000);
        } catch (NumberFormatException ignored) {
          return -1;
        }
      }
    }
    return -1;
  }

  static void checkBlocked(GeminiResponse r) {
    if ((r.candidates() == null || r.candidates().isEmpty()) && r.promptFeedback() != null
        && r.promptFeedback().blockReason() != null) {
      throw new ProviderException(new UpstreamError(ErrorKind.CONTENT_FILTER, 400,
          "Gemini blocked the prompt (" + r.promptFeedback().blockReason() + ")"));
    }
    if (r.candidates() == null) {
      throw BadRequests.invalidResponse("Gemini response has no candidates");
    }
  }

  static List<GeminiPart> parts(GeminiCandidate c) {
    return c.content() == null || c.content().parts() == null ? List.of() : c.content().parts();
  }

  /** Gemini's call id, else a synthetic one; with the part's thoughtSignature appended. */
  static String callId(GeminiPart part, int[] counter) {
    GeminiFunctionCall call = part.functionCall();
    String synthetic = "call_" + counter[0]++;
    return GeminiToolCallIds.encode(call.id() != null && !call.id().isBlank() ? call.id() : synthetic, part.thoughtSignature());
  }

  static String arguments(GeminiFunctionCall call) {
    return call.args() == null || call.args().isNull() ? "{}" : Json.write(call.args());
  }

  /**
   * Gemini finish reason -> OpenAI's. Gemini says STOP after a function call; OpenAI says
   * tool_calls. Every reason that means "the output was blocked" is {@code content_filter},
   * including ones added after this was written (Vertex's MODEL_ARMOR, say): a name mentioning
   * safety, block, prohibited, recitation, SPII or armor counts as blocking. Every other reason
   * (MALFORMED_FUNCTION_CALL, OTHER, unknown ones) is the documented default: {@code stop}, or
   * {@code tool_calls} when the candidate called tools.
   */
  static String finishReason(String reason, boolean calledTools) {
    if (reason == null || reason.isEmpty() || reason.equals("FINISH_REASON_UNSPECIFIED")) return null;
    if (reason.equals("MAX_TOKENS")) return "length";
    if (isBlocking(reason)) return "content_filter";
    return calledTools ? "tool_calls" : "stop";
  }

  static boolean isBlocking(String reason) {
    return switch (reason) {
      case "SAFETY", "RECITATION", "BLOCKLIST", "PROHIBITED_CONTENT", "SPII", "IMAGE_SAFETY", "IMAGE_PROHIBITED_CONTENT",
          "IMAGE_RECITATION", "MODEL_ARMOR", "LANGUAGE" -> true;
      default -> reason.contains("SAFETY") || reason.contains("BLOCK") || reason.contains("PROHIBITED")
          || reason.contains("RECITATION") || reason.contains("SPII") || reason.contains("ARMOR");
    };
  }
}
