package dev.switchboard.router.config;

import java.util.Map;

/**
 * One upstream model endpoint, as configured under {@code deployments:}.
 *
 * @param name the deployment's name (what clients may put in {@code model}, and what routes list)
 * @param provider which wire format it speaks
 * @param baseUrl e.g. {@code https://api.openai.com/v1}, {@code https://api.anthropic.com},
 *     {@code https://generativelanguage.googleapis.com}, or an Azure resource URL
 * @param apiKeyEnv name of the environment variable holding the key (null: no auth)
 * @param model the upstream model id (Azure: the deployment name)
 * @param inputPricePerMTok USD per one million input tokens
 * @param outputPricePerMTok USD per one million output tokens
 * @param timeoutMs per-attempt timeout; for streams, until the first byte
 * @param maxRetries retries on the same deployment before falling back (0 = one attempt)
 * @param weight share in a weighted route group
 * @param apiVersion Azure's {@code api-version} query parameter, or Anthropic's
 *     {@code anthropic-version} header value; null for the provider's default
 * @param headers extra headers sent upstream (e.g. OpenRouter's {@code HTTP-Referer})
 * @param maxTokensDefault {@code max_tokens} sent to providers that require one (Anthropic)
 *     when the client gave none
 */
public record Deployment(
    String name,
    ProviderKind provider,
    String baseUrl,
    String apiKeyEnv,
    String model,
    double inputPricePerMTok,
    double outputPricePerMTok,
    long timeoutMs,
    int maxRetries,
    int weight,
    String apiVersion,
    Map<String, String> headers,
    int maxTokensDefault) {

  public Deployment {
    headers = headers == null ? Map.of() : Map.copyOf(headers);
  }
}
