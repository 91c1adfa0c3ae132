package dev.switchboard.router.providers.gemini;

import com.fasterxml.jackson.databind.JsonNode;
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
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Each {@code alt=sse} event is a whole GenerateContentResponse holding the next piece of each
 * candidate: one OpenAI chunk per candidate per event. Gemini sends no terminal event, so the
 * stream counts as finished once a finishReason arrived.
 */
final class GeminiStreamTranslator implements StreamTranslator {
  private final String deploymentModel;
  private ChatChunks chunks;
  private final Set<Integer> started = new HashSet<>();
  private final Map<Integer, Integer> toolCallsByCandidate = new HashMap<>();
  private final int[] callCounter = {0};
  private boolean finished;
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
      if (started.add(index)) delta.put("role", "assistant");
      StringBuilder text = new StringBuilder();
      for (GeminiPart p : GeminiResponseMapper.parts(c)) {
        if (p.text() != null && !Boolean.TRUE.equals(p.thought())) text.append(p.text());
        if (p.functionCall() != null) {
          int toolIndex = toolCallsByCandidate.merge(index, 1, Integer::sum) - 1;
          ObjectNode call = (delta.has("tool_calls") ? (com.fasterxml.jackson.databind.node.ArrayNode) delta.get("tool_calls")
              : delta.putArray("tool_calls")).addObject();
          call.put("index", toolIndex);
          call.put("id", GeminiResponseMapper.callId(p.functionCall(), callCounter));
          call.put("type", "function");
          ObjectNode fn = call.putObject("function");
          fn.put("name", p.functionCall().name());
          fn.put("arguments", GeminiResponseMapper.arguments(p.functionCall()));
        }
      }
      if (text.length() > 0 || (delta.has("role") && !delta.has("tool_calls"))) delta.put("content", text.toString());
      String finish = GeminiResponseMapper.finishReason(c.finishReason(), toolCallsByCandidate.containsKey(index));
      if (finish != null) finished = true;
      if (delta.isEmpty() && finish == null) continue;
      out.add(chunks.chunk(index, delta, finish));
    }
    return out;
  }

  @Override
  public boolean finished() {
    return finished;
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
