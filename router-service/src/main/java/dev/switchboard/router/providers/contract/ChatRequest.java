package dev.switchboard.router.providers.contract;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * A validated OpenAI-shaped chat request. {@code body} is the client's JSON with gateway-only
 * fields (e.g. {@code switchboard}) already removed; adapters read messages, tools, sampling
 * parameters from it and must not mutate it (copy first).
 *
 * @param model the model or route alias the client asked for
 * @param stream whether the client asked for SSE
 * @param includeUsage {@code stream_options.include_usage}: the client wants a final usage chunk
 * @param providerOptions {@code switchboard.provider_options}: per provider ({@code anthropic},
 *     {@code gemini}, {@code openai}) an object merged into that provider's upstream body; null
 *     when absent
 */
public record ChatRequest(String model, boolean stream, boolean includeUsage, ObjectNode body, ObjectNode providerOptions) {

  public ChatRequest(String model, boolean stream, boolean includeUsage, ObjectNode body) {
    this(model, stream, includeUsage, body, null);
  }

  /** The options for one provider ({@code "anthropic"}, ...), or null. */
  public ObjectNode providerOptions(String provider) {
    JsonNode o = providerOptions == null ? null : providerOptions.get(provider);
    return o instanceof ObjectNode on ? on : null;
  }
}
