package dev.switchboard.eval.replay;

import dev.switchboard.classifier.base.Jackson;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;

/**
 * {@link CandidateClient} over an OpenAI-compatible {@code POST /chat/completions} endpoint (the
 * gateway itself, the recorded upstream, or a provider), with the JDK HTTP client.
 */
public final class OpenAiHttpCandidateClient implements CandidateClient {

  private static final ObjectMapper JSON = Jackson.JSON;

  private final HttpClient http;
  private final URI completions;
  private final String apiKey;
  private final String replayKey;
  private final int maxTokens;
  private final Duration timeout;

  /**
   * @param baseUrl e.g. {@code http://127.0.0.1:8080/v1} ({@code /chat/completions} is appended)
   * @param apiKey bearer token, or null for none
   * @param maxTokens {@code max_tokens} sent with every call (bounds the spend per call)
   * @param timeout per-call timeout
   */
  public OpenAiHttpCandidateClient(String baseUrl, String apiKey, int maxTokens, Duration timeout) {
    this(baseUrl, apiKey, null, maxTokens, timeout);
  }

  /**
   * @param replayKey the router's admin key: a router honours the replay mark only with it (null:
   *     the calls are logged as client traffic, and a later replay would replay them)
   */
  public OpenAiHttpCandidateClient(String baseUrl, String apiKey, String replayKey, int maxTokens, Duration timeout) {
    String base = baseUrl.endsWith("/") ? baseUrl.substring(0, baseUrl.length() - 1) : baseUrl;
    this.completions = URI.create(base + "/chat/completions");
    this.apiKey = apiKey;
    this.replayKey = replayKey;
    this.maxTokens = maxTokens;
    this.timeout = timeout;
    this.http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10)).build();
  }

  @Override
  public CompletableFuture<CandidateAnswer> complete(String candidate, JsonNode messages) {
    ObjectNode body = JSON.createObjectNode();
    body.put("model", candidate);
    body.set("messages", messages);
    body.put("max_tokens", maxTokens);
    HttpRequest.Builder req = HttpRequest.newBuilder(completions)
        .timeout(timeout)
        .header("Content-Type", "application/json")
        // Marks the call in the gateway's request log so that later replays skip it (with the key).
        .header("x-switchboard-replay", "replay")
        // A candidate's answer must be its own, never one the gateway's response cache kept (issue #16).
        .header("Cache-Control", "no-cache")
        .POST(HttpRequest.BodyPublishers.ofString(body.toString()));
    if (replayKey != null && !replayKey.isBlank()) {
      req.header("x-switchboard-replay-key", replayKey);
    }
    if (apiKey != null && !apiKey.isBlank()) {
      req.header("Authorization", "Bearer " + apiKey);
    }
    long t0 = System.nanoTime();
    return http.sendAsync(req.build(), HttpResponse.BodyHandlers.ofString())
        .thenApply(resp -> parse(candidate, resp, (System.nanoTime() - t0) / 1e6))
        .exceptionallyCompose(e -> {
          Throwable c = e instanceof CompletionException && e.getCause() != null ? e.getCause() : e;
          if (c instanceof CandidateException) {
            return CompletableFuture.failedFuture(c);
          }
          return CompletableFuture.failedFuture(new CandidateException(
              "candidate " + candidate + ": call to " + completions + " failed: " + c));
        });
  }

  private static CandidateAnswer parse(String candidate, HttpResponse<String> resp, double ms) {
    if (resp.statusCode() / 100 != 2) {
      String b = resp.body() == null ? "" : resp.body();
      throw new CandidateException("candidate " + candidate + ": HTTP " + resp.statusCode() + ": "
          + (b.length() > 300 ? b.substring(0, 300) + "..." : b));
    }
    try {
      JsonNode root = JSON.readTree(resp.body());
      JsonNode content = root.path("choices").path(0).path("message").path("content");
      if (!content.isTextual()) {
        throw new CandidateException("candidate " + candidate + ": response has no choices[0].message.content");
      }
      JsonNode usage = root.path("usage");
      return new CandidateAnswer(candidate, content.textValue(), usage.path("prompt_tokens").asLong(0),
          usage.path("completion_tokens").asLong(0), ms);
    } catch (CandidateException e) {
      throw e;
    } catch (Exception e) {
      throw new CandidateException("candidate " + candidate + ": response is not JSON: " + e.getMessage());
    }
  }

  /** A failed candidate call (message safe to print). */
  public static final class CandidateException extends RuntimeException {
    public CandidateException(String message) {
      super(message, null, false, false);
    }
  }
}
