package dev.switchboard.router.governance;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.switchboard.router.chat.ExchangeObserver;
import dev.switchboard.router.testkit.MockOpenAiServer;
import io.vertx.core.Vertx;
import java.math.BigDecimal;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * What a request that did not end well settles: a failed upstream call nothing (its reservation is released, so the
 * budget serves the next request), a stream cut mid-way what it used (the prompt estimate plus a token per chunk sent).
 * Prices 1000 $/Mtok; a request reserves (4 + 10) x 1000 / 1e6 = $0.014; the key's budget $0.02 holds one at a time.
 */
class SettlementEndToEndTest {
  private Vertx vertx;
  private MockOpenAiServer upstream;

  @BeforeEach
  void upstream() throws Exception {
    vertx = Vertx.vertx();
    upstream = GovernedGateway.upstream(vertx);
    upstream.succeed().replyText("ok").usage(3, 5);
  }

  @AfterEach
  void stop() throws Exception {
    GovernedGateway.close(vertx);
  }

  private String yaml() {
    return """
        server: { auth: required }
        resilience: { backoff_base_ms: 1, backoff_max_ms: 2 }
        deployments:
          - { name: gpt, provider: openai, base_url: %s, input_price_per_mtok: 1000, output_price_per_mtok: 1000, max_retries: 0 }
        """.formatted(upstream.baseUrl());
  }

  private static String body(boolean stream) {
    return "{\"model\":\"gpt\",\"max_tokens\":10,\"stream\":" + stream + ",\"messages\":[{\"role\":\"user\",\"content\":\"hello there\"}]}";
  }

  private static JsonNode spendByModel(GovernedGateway gw) throws Exception {
    return gw.admin.get("/admin/spend?group_by=model&from=2026-12-01&to=2027-01-01").json().path("data");
  }

  @Test
  void failedUpstream_settlesNothing_releasesTheReservation(@TempDir Path dir) throws Exception {
    try (GovernedGateway gw = GovernedGateway.start(yaml(), dir, GovernedGateway.env(), ExchangeObserver.NONE, o -> o)) {
      String key = gw.admin.post("/admin/keys", "{\"name\":\"k\",\"budget\":{\"limit_usd\":\"0.02\",\"period\":\"day\"}}").json()
          .path("secret").asText();
      AdminClient caller = gw.as(key);
      upstream.failWith(500, "upstream down");
      assertEquals(502, caller.post("/v1/chat/completions", body(false)).status());
      upstream.succeed();
      // the failed call's $0.014 was released: the next one fits the $0.02 budget
      AdminClient.Reply ok = caller.post("/v1/chat/completions", body(false));
      assertEquals(200, ok.status(), ok.text());
      await().atMost(Duration.ofSeconds(10)).until(() -> spendByModel(gw).path(0).path("requests").asLong() == 2);
      assertEquals(0, new BigDecimal("0.008").compareTo(new BigDecimal(spendByModel(gw).path(0).path("cost_usd").asText())),
          "only the answered request cost anything");
      // and now the budget ($0.012 left) cannot hold another reservation
      AdminClient.Reply refused = caller.post("/v1/chat/completions", body(false));
      assertEquals(429, refused.status());
      assertEquals("budget_exceeded", refused.code());
      assertTrue(refused.json().path("error").path("message").asText().contains("$0.012 remaining"), refused.text());
    }
  }

  @Test
  void streamCutMidway_settlesThePromptAndTheChunksSent(@TempDir Path dir) throws Exception {
    try (GovernedGateway gw = GovernedGateway.start(yaml(), dir, GovernedGateway.env(), ExchangeObserver.NONE, o -> o)) {
      String key = gw.admin.post("/admin/keys", "{\"name\":\"k\",\"budget\":{\"limit_usd\":\"1\",\"period\":\"day\"}}").json()
          .path("secret").asText();
      upstream.failMidStream("overloaded mid-stream").chunkDelayMs(30); // the first chunk reaches the client before the error
      var r = java.net.http.HttpClient.newHttpClient().send(java.net.http.HttpRequest.newBuilder(
              java.net.URI.create(gw.baseUrl() + "/v1/chat/completions")).header("authorization", "Bearer " + key)
          .header("content-type", "application/json").POST(java.net.http.HttpRequest.BodyPublishers.ofString(body(true))).build(),
          java.net.http.HttpResponse.BodyHandlers.ofString());
      assertEquals(200, r.statusCode());
      assertTrue(r.body().contains("stream_interrupted"), r.body());
      await().atMost(Duration.ofSeconds(10)).until(() -> spendByModel(gw).path(0).path("requests").asLong() == 1);
      BigDecimal cost = new BigDecimal(spendByModel(gw).path(0).path("cost_usd").asText());
      assertTrue(cost.signum() > 0 && cost.compareTo(new BigDecimal("0.014")) <= 0, "settled what was used, within the reservation: " + cost);
    }
  }
}
