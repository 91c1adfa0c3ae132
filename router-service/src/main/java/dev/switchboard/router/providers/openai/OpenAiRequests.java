package dev.switchboard.router.providers.openai;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.switchboard.router.config.Deployment;
import dev.switchboard.router.providers.contract.ChatRequest;
import dev.switchboard.router.config.ProviderKind;
import dev.switchboard.router.providers.contract.UpstreamRequest;
import dev.switchboard.router.providers.chat.Json;
import dev.switchboard.router.providers.chat.ProviderOptions;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;

/** Client request -> OpenAI-compatible upstream request (OpenAI, Azure, vLLM, Ollama, ...). */
public final class OpenAiRequests {
  /** Azure's GA api-version used when the deployment names none. */
  public static final String AZURE_DEFAULT_API_VERSION = "2024-10-21";

  private OpenAiRequests() {}

  public static UpstreamRequest toUpstream(Deployment deployment, ChatRequest request, String apiKey) {
    ObjectNode body = request.body().deepCopy();
    ProviderOptions.merge(body, request.providerOptions("openai"));
    body.put("model", deployment.model());
    if (request.stream()) {
      body.put("stream", true);
      // We always need usage for cost accounting; the translator withholds the usage chunk
      // from clients that did not ask for it.
      ObjectNode opts = body.has("stream_options") && body.get("stream_options").isObject()
          ? (ObjectNode) body.get("stream_options") : body.putObject("stream_options");
      opts.put("include_usage", true);
    }
    return post(deployment, "chat/completions", Json.writeBytes(body), apiKey, request.stream());
  }

  /**
   * A POST of {@code body} to one of the deployment's OpenAI operations ({@code chat/completions}, {@code embeddings},
   * {@code completions}), with its auth and configured headers; Azure's path and {@code api-version} for Azure.
   */
  public static UpstreamRequest post(Deployment deployment, String operation, byte[] body, String apiKey, boolean stream) {
    Map<String, String> headers = new LinkedHashMap<>();
    headers.put("Content-Type", "application/json");
    String url;
    boolean hasKey = apiKey != null && !apiKey.isBlank();
    if (deployment.provider() == ProviderKind.AZURE) {
      // Azure routes by deployment name in the path; the body's model is ignored there.
      String version = deployment.apiVersion() == null || deployment.apiVersion().isBlank()
          ? AZURE_DEFAULT_API_VERSION : deployment.apiVersion();
      url = trimSlash(deployment.baseUrl()) + "/openai/deployments/"
          + URLEncoder.encode(deployment.model(), StandardCharsets.UTF_8).replace("+", "%20")
          + "/" + operation + "?api-version=" + URLEncoder.encode(version, StandardCharsets.UTF_8);
      if (hasKey) headers.put("api-key", apiKey);
    } else {
      url = trimSlash(deployment.baseUrl()) + "/" + operation;
      if (hasKey) headers.put("Authorization", "Bearer " + apiKey);
    }
    if (stream) headers.put("Accept", "text/event-stream");
    // Configured headers last so an operator can override (e.g. an Azure AD bearer token).
    headers.putAll(deployment.headers());
    return new UpstreamRequest("POST", url, headers, body);
  }

  static String trimSlash(String url) {
    return url.endsWith("/") ? url.substring(0, url.length() - 1) : url;
  }
}
