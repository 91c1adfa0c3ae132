package dev.switchboard.router.governance;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.switchboard.governance.store.GovernanceDatabase;
import dev.switchboard.router.chat.ExchangeObserver;
import dev.switchboard.router.testkit.MockOpenAiServer;
import io.vertx.core.Vertx;
import java.math.BigDecimal;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.time.Duration;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * What requests settle and how the ledger records it. A request that did not end well settles: a failed upstream call nothing (its reservation is released, so the
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

  // ---------------------------------------------------------------- the spend ledger

  private static final int LEDGER_REQUESTS = 40;

  private String ledgerYaml() {
    // a minute between timed flushes: only an admin read or the close writes sums in this test
    return """
        server: { auth: required }
        storage: { spend_flush_ms: 60000 }
        deployments:
          - { name: gpt, provider: openai, base_url: %s, input_price_per_mtok: 1000, output_price_per_mtok: 1000 }
        """.formatted(upstream.baseUrl());
  }

  private static JsonNode spendByKey(GovernedGateway gw) throws Exception {
    return gw.admin.get("/admin/spend?group_by=key&from=2026-01-01&to=2100-01-01").json().path("data");
  }

  /**
   * The spend ledger is written as sums per key, team, model and day: every request is counted, an admin read sees the
   * last requests at once (it writes the pending sums first), the sums of a gateway that stops are written before it
   * closes, and the ledger holds far fewer rows than requests. Usage 3 + 5 tokens at 1000 $/Mtok: $0.008 a request.
   */
  @Test
  void ledger_everyRequestCounted_readAtOnce_keptAcrossARestart_inFewRows(@TempDir Path dir) throws Exception {
    String key;
    try (GovernedGateway gw = GovernedGateway.start(ledgerYaml(), dir, GovernedGateway.env(), ExchangeObserver.NONE, o -> o)) {
      key = gw.admin.post("/admin/keys", "{\"name\":\"k\"}").json().path("secret").asText();
      AdminClient caller = gw.as(key);
      String body = "{\"model\":\"gpt\",\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]}";
      for (int i = 0; i < LEDGER_REQUESTS / 2; i++) {
        assertEquals(200, caller.post("/v1/chat/completions", body).status());
      }
      JsonNode first = spendByKey(gw).path(0);
      assertEquals(LEDGER_REQUESTS / 2, first.path("requests").asLong(), first.toString());
      for (int i = 0; i < LEDGER_REQUESTS / 2; i++) {
        assertEquals(200, caller.post("/v1/chat/completions", body).status());
      }
    } // closing writes the second half's sum

    try (GovernedGateway gw = GovernedGateway.start(ledgerYaml(), dir, GovernedGateway.env(), ExchangeObserver.NONE, o -> o)) {
      JsonNode total = spendByKey(gw).path(0);
      assertEquals(LEDGER_REQUESTS, total.path("requests").asLong(), total.toString());
      assertEquals(0, new BigDecimal("0.008").multiply(BigDecimal.valueOf(LEDGER_REQUESTS)).compareTo(new BigDecimal(total.path("cost_usd").asText())));
      assertEquals(LEDGER_REQUESTS * 3L, total.path("prompt_tokens").asLong());
      assertEquals(LEDGER_REQUESTS * 5L, total.path("completion_tokens").asLong());
    }
    try (GovernanceDatabase db = GovernanceDatabase.h2(dir); Connection c = db.dataSource().getConnection();
        ResultSet rs = c.createStatement().executeQuery("SELECT COUNT(*) FROM spend")) {
      rs.next();
      assertTrue(rs.getLong(1) <= 2, "two flushes, one group: at most two rows for " + LEDGER_REQUESTS + " requests, got " + rs.getLong(1));
    }
  }
}
