package dev.switchboard.router.providers;

import dev.switchboard.router.providers.contract.ChatRequest;
import dev.switchboard.router.providers.contract.ChatResult;
import dev.switchboard.router.providers.contract.StreamTranslator;
import dev.switchboard.router.providers.contract.UpstreamError;
import dev.switchboard.router.providers.contract.UpstreamRequest;
import dev.switchboard.router.config.Deployment;
import dev.switchboard.router.providers.gemini.GeminiRequestMapper;
import dev.switchboard.router.providers.gemini.GeminiResponseMapper;
import java.util.Map;

/** Google Gemini API ({@code generateContent}, {@code streamGenerateContent?alt=sse}). */
public final class GeminiProvider implements Provider {
  public static final GeminiProvider INSTANCE = new GeminiProvider();

  private GeminiProvider() {}

  @Override
  public UpstreamRequest toUpstream(Deployment deployment, ChatRequest request, String apiKey) {
    return GeminiRequestMapper.toUpstream(deployment, request, apiKey);
  }

  @Override
  public ChatResult fromUpstream(Deployment deployment, ChatRequest request, byte[] body) {
    return GeminiResponseMapper.fromUpstream(deployment.model(), body);
  }

  @Override
  public StreamTranslator streamTranslator(Deployment deployment, ChatRequest request) {
    return GeminiResponseMapper.streamTranslator(deployment.model());
  }

  @Override
  public UpstreamError classifyError(int status, Map<String, String> headers, byte[] body) {
    return GeminiResponseMapper.classifyError(status, headers, body);
  }
}
