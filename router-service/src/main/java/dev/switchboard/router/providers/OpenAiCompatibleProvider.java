package dev.switchboard.router.providers;

import dev.switchboard.router.config.Deployment;
import java.util.Map;

/** Placeholder until the adapter lands. */
public final class OpenAiCompatibleProvider implements Provider {
  public static final OpenAiCompatibleProvider INSTANCE = new OpenAiCompatibleProvider();

  private OpenAiCompatibleProvider() {}

  @Override
  public UpstreamRequest toUpstream(Deployment deployment, ChatRequest request, String apiKey) {
    throw new IllegalStateException("adapter not written yet");
  }

  @Override
  public ChatResult fromUpstream(Deployment deployment, ChatRequest request, byte[] body) {
    throw new IllegalStateException("adapter not written yet");
  }

  @Override
  public StreamTranslator streamTranslator(Deployment deployment, ChatRequest request) {
    throw new IllegalStateException("adapter not written yet");
  }

  @Override
  public UpstreamError classifyError(int status, Map<String, String> headers, byte[] body) {
    throw new IllegalStateException("adapter not written yet");
  }
}
