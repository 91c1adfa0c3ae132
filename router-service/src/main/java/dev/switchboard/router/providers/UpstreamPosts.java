package dev.switchboard.router.providers;

import dev.switchboard.router.config.Deployment;
import dev.switchboard.router.providers.contract.UpstreamRequest;
import dev.switchboard.router.providers.gemini.GeminiRequestMapper;
import dev.switchboard.router.providers.openai.OpenAiRequests;

/**
 * Requests for provider operations other than chat (embeddings, legacy completions): the URL, auth headers and
 * options of each wire format stay inside the providers package, which is the only one that knows them.
 */
public final class UpstreamPosts {
  private UpstreamPosts() {}

  /** A POST of {@code body} to an OpenAI-compatible (or Azure) deployment's {@code operation}, e.g. {@code embeddings}. */
  public static UpstreamRequest openAi(Deployment d, String operation, byte[] body, String apiKey, boolean stream) {
    return OpenAiRequests.post(d, operation, body, apiKey, stream);
  }

  /** A POST of {@code body} to a Gemini deployment's model {@code method}, e.g. {@code batchEmbedContents}. */
  public static UpstreamRequest gemini(Deployment d, String method, byte[] body, String apiKey, boolean stream) {
    return GeminiRequestMapper.post(d, method, body, apiKey, stream);
  }
}
