package dev.switchboard.router.providers;

import dev.switchboard.router.providers.contract.ChatRequest;
import dev.switchboard.router.providers.contract.ChatResult;
import dev.switchboard.router.providers.contract.StreamTranslator;
import dev.switchboard.router.providers.contract.UpstreamError;
import dev.switchboard.router.providers.contract.UpstreamRequest;
import dev.switchboard.router.config.Deployment;
import dev.switchboard.router.providers.anthropic.AnthropicRequestMapper;
import dev.switchboard.router.providers.anthropic.AnthropicResponseMapper;
import java.util.Map;

/** Anthropic Messages API ({@code POST /v1/messages}), translated to and from OpenAI shapes. */
public final class AnthropicProvider implements Provider {
  public static final AnthropicProvider INSTANCE = new AnthropicProvider();

  private AnthropicProvider() {}

  @Override
  public UpstreamRequest toUpstream(Deployment deployment, ChatRequest request, String apiKey) {
    return AnthropicRequestMapper.toUpstream(deployment, request, apiKey);
  }

  @Override
  public ChatResult fromUpstream(Deployment deployment, ChatRequest request, byte[] body) {
    return AnthropicResponseMapper.fromUpstream(body, request);
  }

  @Override
  public StreamTranslator streamTranslator(Deployment deployment, ChatRequest request) {
    return AnthropicResponseMapper.streamTranslator(request);
  }

  /** Anthropic answers one message per call: {@code n > 1} is served by parallel calls (see {@link Provider#choicesPerCall}). */
  @Override
  public boolean choicesPerCall() {
    return false;
  }

  @Override
  public UpstreamError classifyError(int status, Map<String, String> headers, byte[] body) {
    return AnthropicResponseMapper.classifyError(status, headers, body);
  }
}
