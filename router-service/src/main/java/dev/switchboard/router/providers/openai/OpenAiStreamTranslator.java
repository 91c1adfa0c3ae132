package dev.switchboard.router.providers.openai;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.switchboard.router.providers.contract.ErrorKind;
import dev.switchboard.router.providers.contract.ProviderException;
import dev.switchboard.router.providers.contract.SseEvent;
import dev.switchboard.router.providers.contract.StreamTranslator;
import dev.switchboard.router.providers.contract.UpstreamError;
import dev.switchboard.router.providers.contract.Usage;
import dev.switchboard.router.providers.chat.Json;
import java.util.List;

/**
 * Passes OpenAI chunks through unchanged, except the usage: the usage-only chunk (which we
 * always request upstream) is withheld and exposed through {@link #usageChunk()}; and thinking
 * text a host sends as {@code reasoning} (Groq, OpenRouter) is also given as
 * {@code reasoning_content}, the name the gateway uses for every provider.
 */
public final class OpenAiStreamTranslator implements StreamTranslator {
  private boolean finished;
  private boolean started;
  private Usage usage = Usage.ZERO;
  private String usageChunk;

  @Override
  public List<String> onEvent(SseEvent event) {
    String data = event.data().strip();
    if (data.equals("[DONE]")) {
      finished = true;
      return List.of();
    }
    if (data.isEmpty()) return List.of();
    JsonNode node = Json.tryRead(data);
    if (node == null || !node.isObject()) {
      throw new ProviderException(new UpstreamError(ErrorKind.INVALID_RESPONSE, 200,
          "upstream stream event is not JSON: " + Json.excerpt(data.getBytes(java.nio.charset.StandardCharsets.UTF_8))));
    }
    if (node.path("error").isObject() || "error".equals(event.event())) {
      JsonNode error = node.path("error").isObject() ? node.get("error") : node;
      throw new ProviderException(OpenAiErrors.fromErrorObject(error, 200));
    }
    if (!started) started = hasOutput(node.get("choices"));
    if (Reasoning.normalise(node)) data = Json.write(node);
    JsonNode u = node.get("usage");
    if (u == null || !u.isObject()) return List.of(data);
    usage = OpenAiResponses.usage(u);
    JsonNode choices = node.get("choices");
    if (choices == null || !choices.isArray() || choices.isEmpty()) {
      usageChunk = data;
      return List.of();
    }
    // Some compatible servers put usage on the last content chunk: split it so clients that
    // did not ask for usage do not get it, and those that did get the usual separate chunk.
    ObjectNode withoutUsage = ((ObjectNode) node).deepCopy();
    withoutUsage.remove("usage");
    ObjectNode usageOnly = ((ObjectNode) node).deepCopy();
    usageOnly.putArray("choices");
    usageChunk = Json.write(usageOnly);
    return List.of(Json.write(withoutUsage));
  }

  @Override
  public boolean finished() {
    return finished;
  }

  @Override
  public boolean started() {
    return started;
  }

  /** Whether any choice carries text, reasoning, a tool call, a refusal or a finish reason. */
  private static boolean hasOutput(JsonNode choices) {
    if (choices == null || !choices.isArray()) return false;
    for (JsonNode c : choices) {
      JsonNode d = c.path("delta");
      if (!c.path("finish_reason").isNull() && !c.path("finish_reason").isMissingNode()) return true;
      if (nonEmpty(d.get("content")) || nonEmpty(d.get("reasoning_content")) || nonEmpty(d.get("reasoning"))
          || nonEmpty(d.get("refusal")) || d.path("tool_calls").size() > 0 || d.has("function_call")) {
        return true;
      }
    }
    return false;
  }

  private static boolean nonEmpty(JsonNode n) {
    return n != null && n.isTextual() && !n.asText().isEmpty();
  }

  @Override
  public String usageChunk() {
    return usageChunk;
  }

  @Override
  public Usage usage() {
    return usage;
  }
}
