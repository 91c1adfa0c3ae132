package dev.switchboard.router.governance;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.anthropic.client.AnthropicClient;
import com.anthropic.client.okhttp.AnthropicOkHttpClient;
import com.anthropic.errors.UnauthorizedException;
import com.anthropic.errors.PermissionDeniedException;
import com.anthropic.errors.RateLimitException;
import com.anthropic.models.messages.Message;
import com.anthropic.models.messages.MessageCreateParams;
import com.fasterxml.jackson.databind.JsonNode;
import dev.switchboard.router.testkit.MockOpenAiServer;
import dev.switchboard.router.testkit.TestRequests;
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

/**
 * {@code /v1/messages} under {@code server.auth: required}: the gateway key works as Anthropic's {@code x-api-key}
 * (what the SDK sends) and as {@code Authorization: Bearer}; refusals (no key, a model the key may not use, its rate
 * limit) come in Anthropic's error shape, so the SDK raises its own exception types; spend is recorded per key.
 */
class MessagesGovernanceEndToEndTest {
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

  private static AnthropicClient sdk(String base, String key) {
    return AnthropicOkHttpClient.builder().baseUrl(base).apiKey(key).maxRetries(0).build();
  }

  private static MessageCreateParams ask(String model) {
    return MessageCreateParams.builder().model(model).maxTokens(20).addUserMessage("hi").build();
  }

  @Test
  void gatewayKey_asXApiKeyOrBearer_refusalsAnthropicShaped_spendRecorded(@TempDir Path dir) throws Exception {
    try (GovernedGateway gw = GovernedGateway.start(KeyLifecycleEndToEndTest.yaml(upstream.baseUrl()), dir, GovernedGateway.env(),
        dev.switchboard.router.chat.ExchangeObserver.NONE, o -> o)) {
      JsonNode created = gw.admin.post("/admin/keys", "{\"name\":\"claude-code\",\"models\":[\"gpt\"],\"routes\":[],\"rpm\":2,\"tpm\":100000}").json();
      String key = created.path("secret").asText();
      String keyId = created.path("id").asText();

      AnthropicClient ok = sdk(gw.baseUrl(), key);
      AnthropicClient wrong = sdk(gw.baseUrl(), "sk-sb-not-a-key");
      try {
        Message m = ok.messages().create(ask("gpt")); // the SDK sends the key as x-api-key
        assertEquals("ok", m.content().get(0).asText().text());
        PermissionDeniedException denied = assertThrows(PermissionDeniedException.class, () -> ok.messages().create(ask("big")));
        assertEquals(403, denied.statusCode());
        assertTrue(denied.getMessage().contains("model"), denied.getMessage());
        HttpResponse<String> bearer = HTTP.send(HttpRequest.newBuilder(URI.create(gw.baseUrl() + "/v1/messages"))
          .header("authorization", "Bearer " + key).header("anthropic-version", "2023-06-01").header("content-type", "application/json")
          .POST(HttpRequest.BodyPublishers.ofString("{\"model\":\"gpt\",\"max_tokens\":20,\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]}"))
          .build(), HttpResponse.BodyHandlers.ofString());
        assertEquals(200, bearer.statusCode(), bearer.body());
        assertEquals("message", TestRequests.json(bearer.body()).path("type").asText());

        RateLimitException rl = assertThrows(RateLimitException.class, () -> ok.messages().create(ask("gpt")));
        assertEquals(429, rl.statusCode());
        assertEquals("rate_limit_error", rl.body().convert(JsonNode.class).at("/error/type").asText());
        UnauthorizedException e = assertThrows(UnauthorizedException.class, () -> wrong.messages().create(ask("gpt")));
        assertEquals("authentication_error", e.body().convert(JsonNode.class).at("/error/type").asText());
      } finally {
        ok.close();
        wrong.close();
      }
      HttpResponse<String> noKeyCount = HTTP.send(HttpRequest.newBuilder(URI.create(gw.baseUrl() + "/v1/messages/count_tokens"))
          .header("content-type", "application/json").POST(HttpRequest.BodyPublishers.ofString("{}")).build(), HttpResponse.BodyHandlers.ofString());
      assertEquals(401, noKeyCount.statusCode());
      assertEquals("authentication_error", TestRequests.json(noKeyCount.body()).at("/error/type").asText(), noKeyCount.body());

      await().atMost(Duration.ofSeconds(10)).until(() -> gw.admin.get("/admin/spend?group_by=key&from=2026-12-01").json().path("data").size() == 1);
      AdminClient.Reply spend = gw.admin.get("/admin/spend?group_by=key&from=2026-12-01&to=2027-01-01");
      assertEquals(keyId, spend.json().path("data").path(0).path("group").asText());
      assertEquals(2, spend.json().path("data").path(0).path("requests").asLong(), spend.text());
    }
  }
}
