package dev.switchboard.router.providers;

import dev.switchboard.router.providers.contract.ChatRequest;
import dev.switchboard.router.providers.contract.ChatResult;
import dev.switchboard.router.providers.contract.StreamTranslator;
import dev.switchboard.router.providers.contract.UpstreamError;
import dev.switchboard.router.providers.contract.UpstreamRequest;
import dev.switchboard.router.config.ProviderKind;
import dev.switchboard.router.config.Deployment;
import java.util.Map;

/**
 * One upstream wire format. The gateway owns the HTTP exchange (pooling, timeouts, retries);
 * an adapter only translates between the OpenAI shape our clients speak and its provider's
 * shape, both ways, including streams and errors. Adapters are stateless and thread-safe.
 *
 * <p>Sealed so that a new wire format is a deliberate change: the conformance tests enumerate
 * every permitted adapter. The permitted classes live in this package (a sealed type in an
 * unnamed module requires it); their wire records and mappers live in one sub-package each.
 */
public sealed interface Provider
    permits OpenAiCompatibleProvider, AnthropicProvider, GeminiProvider {

  /** Translates an OpenAI-shaped chat request into the upstream HTTP request. */
  UpstreamRequest toUpstream(Deployment deployment, ChatRequest request, String apiKey);

  /** Translates a non-streaming 2xx upstream body into an OpenAI {@code chat.completion}. */
  ChatResult fromUpstream(Deployment deployment, ChatRequest request, byte[] body);

  /** A fresh translator for one streaming response (not shared between responses). */
  StreamTranslator streamTranslator(Deployment deployment, ChatRequest request);

  /**
   * Whether one upstream call answers OpenAI's {@code n} (several choices). When not, the gateway makes {@code n}
   * calls in parallel and merges them (choices in order, usage summed) for a non-streaming request; the adapter
   * refuses {@code n > 1} on a stream.
   */
  default boolean choicesPerCall() {
    return true;
  }

  /** Maps a non-2xx upstream response to an error kind; one function per provider. */
  UpstreamError classifyError(int status, Map<String, String> headers, byte[] body);

  /** The adapter for a configured provider kind. */
  static Provider forKind(ProviderKind kind) {
    return switch (kind) {
      case OPENAI, AZURE, RECORDED -> OpenAiCompatibleProvider.INSTANCE;
      case ANTHROPIC -> AnthropicProvider.INSTANCE;
      case GEMINI -> GeminiProvider.INSTANCE;
    };
  }
}
