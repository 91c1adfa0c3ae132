package dev.switchboard.router.providers;

import dev.switchboard.router.providers.contract.ChatRequest;
import dev.switchboard.router.providers.contract.ChatResult;
import dev.switchboard.router.providers.contract.StreamTranslator;
import dev.switchboard.router.providers.contract.UpstreamError;
import dev.switchboard.router.providers.contract.UpstreamRequest;
import dev.switchboard.router.config.Deployment;
import dev.switchboard.router.providers.openai.OpenAiErrors;
import dev.switchboard.router.providers.openai.OpenAiRequests;
import dev.switchboard.router.providers.openai.OpenAiResponses;
import dev.switchboard.router.providers.openai.OpenAiStreamTranslator;
import java.util.Map;

/**
 * OpenAI chat completions wire format: OpenAI, Azure OpenAI, vLLM, Ollama, Together, Groq,
 * OpenRouter and the recorded upstream. Differences are configuration only (base URL, Azure's
 * path/query/auth header, extra headers).
 */
public final class OpenAiCompatibleProvider implements Provider {
  public static final OpenAiCompatibleProvider INSTANCE = new OpenAiCompatibleProvider();

  private OpenAiCompatibleProvider() {}

  @Override
  public UpstreamRequest toUpstream(Deployment deployment, ChatRequest request, String apiKey) {
    return OpenAiRequests.toUpstream(deployment, request, apiKey);
  }

  @Override
  public ChatResult fromUpstream(Deployment deployment, ChatRequest request, byte[] body) {
    return OpenAiResponses.fromUpstream(body);
  }

  @Override
  public StreamTranslator streamTranslator(Deployment deployment, ChatRequest request) {
    return new OpenAiStreamTranslator();
  }

  @Override
  public UpstreamError classifyError(int status, Map<String, String> headers, byte[] body) {
    return OpenAiErrors.classify(status, headers, body);
  }
}
