package dev.switchboard.router.governance;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.openai.client.OpenAIClient;
import com.openai.client.okhttp.OpenAIOkHttpClient;
import com.openai.errors.RateLimitException;
import com.openai.models.chat.completions.ChatCompletionCreateParams;
import dev.switchboard.router.chat.ExchangeObserver;
import dev.switchboard.router.testkit.MockOpenAiServer;
import io.vertx.core.Vertx;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Requests per minute per key: the third of an RPM-2 key gets 429 with Retry-After and OpenAI's headers; a minute later it passes. */
class RateLimitEndToEndTest {
  private static Vertx vertx;
  private static MockOpenAiServer upstream;
  private static final HttpClient HTTP = HttpClient.newHttpClient();

  @BeforeAll
  static void upstream() throws Exception {
    vertx = Vertx.vertx();
    upstream = GovernedGateway.upstream(vertx);
    upstream.succeed().replyText("ok").usage(5, 5);
  }

  @AfterAll
  static void stop() throws Exception {
    GovernedGateway.close(vertx);
  }

  private static HttpResponse<String> call(String base, String key) throws Exception {
    return HTTP.send(HttpRequest.newBuilder(URI.create(base + "/v1/chat/completions")).header("authorization", "Bearer " + key)
        .header("content-type", "application/json").POST(HttpRequest.BodyPublishers.ofString(KeyLifecycleEndToEndTest.chat("gpt"))).build(),
        HttpResponse.BodyHandlers.ofString());
  }

  @Test
  void rpm_thirdRequestOfTwoPerMinute_429WithRetryAfterAndHeaders_thenPassesAfterTheWindow(@TempDir Path dir) throws Exception {
    try (GovernedGateway gw = GovernedGateway.start(KeyLifecycleEndToEndTest.yaml(upstream.baseUrl()), dir, GovernedGateway.env(), ExchangeObserver.NONE, o -> o)) {
      String key = gw.admin.post("/admin/keys", "{\"name\":\"slow\",\"rpm\":2,\"tpm\":100000}").json().path("secret").asText();
      HttpResponse<String> first = call(gw.baseUrl(), key);
      HttpResponse<String> second = call(gw.baseUrl(), key);
      assertEquals(200, first.statusCode(), first.body());
      assertEquals("1", first.headers().firstValue("x-ratelimit-remaining-requests").orElseThrow());
      assertEquals(200, second.statusCode());
      assertEquals("0", second.headers().firstValue("x-ratelimit-remaining-requests").orElseThrow());

      HttpResponse<String> third = call(gw.baseUrl(), key);
      assertEquals(429, third.statusCode());
      assertTrue(third.body().contains("\"code\":\"rate_limit_exceeded\""), third.body());
      long retryAfter = Long.parseLong(third.headers().firstValue("retry-after").orElseThrow());
      assertTrue(retryAfter >= 1 && retryAfter <= 120, "Retry-After " + retryAfter);
      assertEquals("2", third.headers().firstValue("x-ratelimit-limit-requests").orElseThrow());
      assertEquals("0", third.headers().firstValue("x-ratelimit-remaining-requests").orElseThrow());
      String reset = third.headers().firstValue("x-ratelimit-reset-requests").orElseThrow();
      assertTrue(reset.matches("(\\d+m)?\\d+(\\.\\d+)?s|\\d+ms"), "Go duration like 1s or 6m0s: " + reset);
      assertEquals("100000", third.headers().firstValue("x-ratelimit-limit-tokens").orElseThrow());
      assertTrue(third.headers().firstValue("x-ratelimit-reset-tokens").isPresent());

      // the SDK sees a RateLimitException with the same code
      OpenAIClient sdk = OpenAIOkHttpClient.builder().baseUrl(gw.baseUrl() + "/v1").apiKey(key).maxRetries(0).build();
      RateLimitException e = org.junit.jupiter.api.Assertions.assertThrows(RateLimitException.class, () -> sdk.chat().completions()
          .create(ChatCompletionCreateParams.builder().model("gpt").addUserMessage("hi").build()));
      assertEquals("rate_limit_exceeded", e.code().orElseThrow());
      sdk.close();

      // two minutes later (the injected clock, no waiting) the window has drained
      gw.clock.advance(Duration.ofMinutes(2));
      assertEquals(200, call(gw.baseUrl(), key).statusCode());
    }
  }

  @Test
  void tpm_requestWhoseEstimateExceedsTheLimit_429WithoutRetryAfter(@TempDir Path dir) throws Exception {
    try (GovernedGateway gw = GovernedGateway.start(KeyLifecycleEndToEndTest.yaml(upstream.baseUrl()), dir, GovernedGateway.env(), ExchangeObserver.NONE, o -> o)) {
      // no max_tokens: the deployment's cap (max_tokens_default 4096) is charged up front
      String key = gw.admin.post("/admin/keys", "{\"name\":\"tiny\",\"tpm\":1000}").json().path("secret").asText();
      HttpResponse<String> r = call(gw.baseUrl(), key);
      assertEquals(429, r.statusCode(), r.body());
      assertTrue(r.body().contains("lower max_tokens"), r.body());
      assertTrue(r.headers().firstValue("retry-after").isEmpty());
    }
  }

  @Test
  void resetHeaderFormat_isGoDuration() {
    assertEquals("20ms", RateLimitHeaders.duration(Duration.ofMillis(20)));
    assertEquals("1s", RateLimitHeaders.duration(Duration.ofSeconds(1)));
    assertEquals("1.5s", RateLimitHeaders.duration(Duration.ofMillis(1500)));
    assertEquals("1.05s", RateLimitHeaders.duration(Duration.ofMillis(1050)));
    assertEquals("1.005s", RateLimitHeaders.duration(Duration.ofMillis(1005)));
    assertEquals("59.999s", RateLimitHeaders.duration(Duration.ofMillis(59_999)));
    assertEquals("6m0s", RateLimitHeaders.duration(Duration.ofMinutes(6)));
    assertEquals("1h2m3s", RateLimitHeaders.duration(Duration.ofSeconds(3723)));
  }
}
