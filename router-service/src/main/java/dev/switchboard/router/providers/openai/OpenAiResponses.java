package dev.switchboard.router.providers.openai;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.switchboard.router.providers.contract.ChatResult;
import dev.switchboard.router.providers.contract.ErrorKind;
import dev.switchboard.router.providers.contract.ProviderException;
import dev.switchboard.router.providers.contract.UpstreamError;
import dev.switchboard.router.providers.contract.Usage;
import dev.switchboard.router.providers.chat.Json;

/** OpenAI-compatible upstream body -> completion (kept as is) and normalised usage. */
public final class OpenAiResponses {
  private OpenAiResponses() {}

  public static ChatResult fromUpstream(byte[] body) {
    JsonNode node = Json.tryRead(body);
    if (node == null || !node.isObject()) {
      throw invalid("upstream body is not a JSON object: " + Json.excerpt(body));
    }
    if (node.path("error").isObject()) throw new ProviderException(OpenAiErrors.fromErrorObject(node.get("error"), 200));
    if (!node.path("choices").isArray()) throw invalid("upstream completion has no 'choices' array");
    // Nothing downstream changes an OpenAI completion, so its bytes go to the client as they came:
    // writing the parsed object again cost ~3 µs of a pass-through request's ~50. Only a
    // completion whose reasoning had to be renamed is written again.
    boolean renamed = Reasoning.normalise(node);
    return new ChatResult((ObjectNode) node, usage(node.get("usage")), renamed ? null : body);
  }

  /** {@code usage.prompt_tokens}/{@code completion_tokens}; zero when absent or null. */
  public static Usage usage(JsonNode usage) {
    if (usage == null || !usage.isObject()) return Usage.ZERO;
    return new Usage(usage.path("prompt_tokens").asLong(0), usage.path("completion_tokens").asLong(0));
  }

  static ProviderException invalid(String message) {
    return new ProviderException(new UpstreamError(ErrorKind.INVALID_RESPONSE, 200, message));
  }
}
