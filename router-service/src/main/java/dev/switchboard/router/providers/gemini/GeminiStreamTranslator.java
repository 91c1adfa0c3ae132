package dev.switchboard.router.providers.gemini;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.switchboard.router.providers.contract.ProviderException;
import dev.switchboard.router.providers.contract.SseEvent;
import dev.switchboard.router.providers.contract.StreamTranslator;
import dev.switchboard.router.providers.contract.Usage;
import dev.switchboard.router.providers.chat.BadRequests;
import dev.switchboard.router.providers.chat.ChatChunks;
import dev.switchboard.router.providers.chat.ChatCompletions;
import dev.switchboard.router.providers.chat.Json;
import java.io.IOException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Each {@code alt=sse} event is a whole GenerateContentResponse holding the next piece of each
 * candidate: one OpenAI chunk per candidate per event.
 *
 * <h2>Why finish reasons wait for the end</h2>
 * Gemini sends no terminal event, and a {@code finishReason} does not mark the last event: some
 * streams carry {@code STOP} on every chunk, others a {@code SAFETY} or {@code RECITATION} after
 * a {@code STOP}. So only the end of the body ends the stream ({@link #onEnd}); each candidate
 * then gets exactly one finish chunk with its most severe reason (content_filter over length over
 * the rest; the last one among equals). A body that ends without any finishReason was cut off.
 */
final class GeminiStreamTranslator implements StreamTranslator {
  private final String deploymentModel;
  private ChatChunks chunks;
  /** Candidate index -> its most severe Gemini finish reason so far (null: none yet); in order. */
  private final Map<Integer, String> reasons = new LinkedHashMap<>();
  private final Map<Integer, Integer> toolCallsByCandidate = new HashMap<>();
  private final int[] callCounter = {0};
  private boolean finished;
  private boolean started;
  private Usage usage = Usage.ZERO;
  private boolean usageReported;

  GeminiStreamTranslator(String deploymentModel) {
    this.deploymentModel = deploymentModel;
  }

  @Override
  public List<String> onEvent(SseEvent event) {
    JsonNode node = Json.tryRead(event.data());
    if (node == null || !node.isObject()) throw BadRequests.invalidResponse("Gemini stream event is not a JSON object");
    if (node.path("error").isObject()) {
      int code = node.get("error").path("code").asInt(500);
      throw new ProviderException(GeminiResponseMapper.classifyError(code, Map.of(), Json.writeBytes(node)));
    }
    GeminiResponse r;
    try {
      r = GeminiWire.MAPPER.treeToValue(node, GeminiResponse.class);
    } catch (IOException e) {
      throw BadRequests.invalidResponse("Gemini stream event is not a GenerateContentResponse");
    }
    if (r.usageMetadata() != null) {
      usage = r.usageMetadata().toUsage();
      usageReported = true;
    }
    if (r.candidates() == null || r.candidates().isEmpty()) {
      if (r.promptFeedback() != null && r.promptFeedback().blockReason() != null) GeminiResponseMapper.checkBlocked(r);
      return List.of(); // a usage-only event
    }
    if (chunks == null) {
      chunks = new ChatChunks(r.responseId() == null ? ChatCompletions.newId() : r.responseId(),
          ChatCompletions.nowSeconds(), r.modelVersion() == null ? deploymentModel : r.modelVersion());
    }
    List<String> out = new ArrayList<>(r.candidates().size());
    for (int ci = 0; ci < r.candidates().size(); ci++) {
      GeminiCandidate c = r.candidates().get(ci);
      int index = c.index() == null ? ci : c.index();
      ObjectNode delta = Json.object();
      boolean first = !reasons.containsKey(index);
      if (first) {
        reasons.put(index, null);
        delta.put("role", "assistant");
      }
      StringBuilder text = new StringBuilder();
      StringBuilder reasoning = new StringBuilder();
      for (GeminiPart p : GeminiResponseMapper.parts(c)) {
        if (p.text() != null) (Boolean.TRUE.equals(p.thought()) ? reasoning : text).append(p.text());
        if (p.functionCall() != null) {
          int toolIndex = toolCallsByCandidate.merge(index, 1, Integer::sum) - 1;
          ArrayNode calls = delta.has("tool_calls") ? (ArrayNode) delta.get("tool_calls") : delta.putArray("tool_calls");
          ObjectNode call = calls.addObject();
          call.put("index", toolIndex);
          call.put("id", GeminiResponseMapper.callId(p, callCounter));
          call.put("type", "function");
          ObjectNode fn = call.putObject("function");
          fn.put("name", p.functionCall().name());
          fn.put("arguments", GeminiResponseMapper.arguments(p.functionCall()));
        }
      }
      if (reasoning.length() > 0) delta.put("reasoning_content", reasoning.toString());
      if (text.length() > 0 || (first && !delta.has("tool_calls"))) delta.put("content", text.toString());
      if (c.finishReason() != null) reasons.put(index, moreSevere(reasons.get(index), c.finishReason()));
      if (text.length() > 0 || reasoning.length() > 0 || delta.has("tool_calls")) started = true;
      if (!delta.isEmpty()) out.add(chunks.chunk(index, delta, null));
    }
    return out;
  }

  /** One finish chunk per candidate, or nothing (and not finished) when no finishReason came. */
  @Override
  public List<String> onEnd() {
    if (finished || reasons.values().stream().allMatch(java.util.Objects::isNull)) return List.of();
    finished = true;
    List<String> out = new ArrayList<>(reasons.size());
    reasons.forEach((index, reason) -> {
      String finish = GeminiResponseMapper.finishReason(reason, toolCallsByCandidate.containsKey(index));
      out.add(chunks.chunk(index, Json.object(), finish == null ? "stop" : finish));
    });
    return out;
  }

  /** The later reason unless the earlier one is more severe. */
  private static String moreSevere(String earlier, String later) {
    return earlier != null && severity(earlier) > severity(later) ? earlier : later;
  }

  private static int severity(String geminiReason) {
    String mapped = GeminiResponseMapper.finishReason(geminiReason, false);
    if (mapped == null) return 0;
    return switch (mapped) {
      case "content_filter" -> 3;
      case "length" -> 2;
      default -> 1;
    };
  }

  @Override
  public boolean finished() {
    return finished;
  }

  @Override
  public boolean started() {
    return started;
  }

  @Override
  public String usageChunk() {
    if (!usageReported) return null;
    ChatChunks c = chunks != null ? chunks : new ChatChunks(ChatCompletions.newId(), ChatCompletions.nowSeconds(), deploymentModel);
    return c.usage(usage);
  }

  @Override
  public Usage usage() {
    return usage;
  }
}
