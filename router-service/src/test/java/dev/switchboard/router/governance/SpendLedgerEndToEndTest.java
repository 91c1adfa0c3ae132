package dev.switchboard.router.governance;

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
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The spend ledger is written as sums per key, team, model and day: every request is counted, an admin read sees the
 * last requests at once (it writes the pending sums first), the sums of a gateway that stops are written before it
 * closes, and the ledger holds far fewer rows than requests. Prices 1000 $/Mtok, usage 3 + 5 tokens: $0.008 a request.
 */
class SpendLedgerEndToEndTest {
  private static final int REQUESTS = 40;
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
    // a minute between timed flushes: only an admin read or the close writes sums in this test
    return """
        server: { auth: required }
        storage: { spend_flush_ms: 60000 }
        deployments:
          - { name: gpt, provider: openai, base_url: %s, input_price_per_mtok: 1000, output_price_per_mtok: 1000 }
        """.formatted(upstream.baseUrl());
  }

  private static JsonNode byKey(GovernedGateway gw) throws Exception {
    return gw.admin.get("/admin/spend?group_by=key&from=2026-01-01&to=2100-01-01").json().path("data");
  }

  @Test
  void everyRequestCounted_readAtOnce_keptAcrossARestart_inFewRows(@TempDir Path dir) throws Exception {
    String key;
    try (GovernedGateway gw = GovernedGateway.start(yaml(), dir, GovernedGateway.env(), ExchangeObserver.NONE, o -> o)) {
      key = gw.admin.post("/admin/keys", "{\"name\":\"k\"}").json().path("secret").asText();
      AdminClient caller = gw.as(key);
      String body = "{\"model\":\"gpt\",\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]}";
      for (int i = 0; i < REQUESTS / 2; i++) {
        assertEquals(200, caller.post("/v1/chat/completions", body).status());
      }
      JsonNode first = byKey(gw).path(0);
      assertEquals(REQUESTS / 2, first.path("requests").asLong(), first.toString());
      for (int i = 0; i < REQUESTS / 2; i++) {
        assertEquals(200, caller.post("/v1/chat/completions", body).status());
      }
    } // closing writes the second half's sum

    try (GovernedGateway gw = GovernedGateway.start(yaml(), dir, GovernedGateway.env(), ExchangeObserver.NONE, o -> o)) {
      JsonNode total = byKey(gw).path(0);
      assertEquals(REQUESTS, total.path("requests").asLong(), total.toString());
      assertEquals(0, new BigDecimal("0.008").multiply(BigDecimal.valueOf(REQUESTS)).compareTo(new BigDecimal(total.path("cost_usd").asText())));
      assertEquals(REQUESTS * 3L, total.path("prompt_tokens").asLong());
      assertEquals(REQUESTS * 5L, total.path("completion_tokens").asLong());
    }
    try (GovernanceDatabase db = GovernanceDatabase.h2(dir); Connection c = db.dataSource().getConnection();
        ResultSet rs = c.createStatement().executeQuery("SELECT COUNT(*) FROM spend")) {
      rs.next();
      assertTrue(rs.getLong(1) <= 2, "two flushes, one group: at most two rows for " + REQUESTS + " requests, got " + rs.getLong(1));
    }
  }
}
