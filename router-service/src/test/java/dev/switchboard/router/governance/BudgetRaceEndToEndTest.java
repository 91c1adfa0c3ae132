package dev.switchboard.router.governance;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.switchboard.governance.testkit.Postgres;
import dev.switchboard.governance.testkit.RedisServer;
import dev.switchboard.router.chat.ExchangeObserver;
import dev.switchboard.router.testkit.MockOpenAiServer;
import io.vertx.core.Vertx;
import java.math.BigDecimal;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * 200 concurrent requests on a key whose budget covers a handful: the settled spend never passes the budget by more
 * than one request's reservation, in one gateway (two event loops racing) and in two gateways sharing a real
 * redis-server (counters) and PostgreSQL (keys and the spend ledger).
 *
 * <p>Prices 1000 $/Mtok in and out; the mock answers with 3 + 5 tokens, so a request costs $0.008 and reserves
 * (prompt estimate 4 + max_tokens 10) x 1000 / 1e6 = $0.014 up front. Budget $0.10: at most 7 reservations fit at once.
 */
class BudgetRaceEndToEndTest {
  private static final BigDecimal BUDGET = new BigDecimal("0.10");
  private static final BigDecimal RESERVATION = new BigDecimal("0.014");
  private static final BigDecimal COST = new BigDecimal("0.008");
  private static final HttpClient HTTP = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
  private static Vertx vertx;
  private static MockOpenAiServer upstream;

  @BeforeAll
  static void upstream() throws Exception {
    vertx = Vertx.vertx();
    upstream = GovernedGateway.upstream(vertx);
    upstream.succeed().replyText("ok").usage(3, 5);
  }

  @AfterAll
  static void stop() throws Exception {
    GovernedGateway.close(vertx);
  }

  private static String yaml(String extra) {
    return """
        server: { auth: required }
        deployments:
          - { name: gpt, provider: openai, base_url: %s, input_price_per_mtok: 1000, output_price_per_mtok: 1000 }
        """.formatted(upstream.baseUrl()) + extra;
  }

  private static CompletableFuture<HttpResponse<String>> call(String base, String key) {
    String body = "{\"model\":\"gpt\",\"max_tokens\":10,\"messages\":[{\"role\":\"user\",\"content\":\"hello there\"}]}";
    return HTTP.sendAsync(HttpRequest.newBuilder(URI.create(base + "/v1/chat/completions")).timeout(Duration.ofSeconds(60))
        .header("authorization", "Bearer " + key).header("content-type", "application/json")
        .POST(HttpRequest.BodyPublishers.ofString(body)).build(), HttpResponse.BodyHandlers.ofString());
  }

  /** Fires every request at once, then checks answers, refusals and the ledger. */
  private static void race(List<String> baseUrls, String key, GovernedGateway ledger, String keyId) throws Exception {
    List<CompletableFuture<HttpResponse<String>>> all = new ArrayList<>();
    for (int i = 0; i < 200; i++) all.add(call(baseUrls.get(i % baseUrls.size()), key));
    CompletableFuture.allOf(all.toArray(CompletableFuture[]::new)).get(120, TimeUnit.SECONDS);
    int ok = 0;
    int refused = 0;
    for (var f : all) {
      HttpResponse<String> r = f.get();
      if (r.statusCode() == 200) {
        ok++;
      } else {
        assertEquals(429, r.statusCode(), r.body());
        assertTrue(r.body().contains("\"code\":\"budget_exceeded\"") && r.body().contains("remaining"), r.body());
        refused++;
      }
    }
    int answered = ok;
    assertTrue(ok >= 7, "at least the requests whose reservations fit were answered: " + ok);
    assertTrue(refused > 0, "the budget ran out");
    await().atMost(Duration.ofSeconds(30)).until(() -> requests(ledger, keyId) == answered);
    BigDecimal spent = new BigDecimal(ledger.admin.get("/admin/spend?group_by=key&from=2026-12-01&to=2027-01-01").json()
        .path("data").path(0).path("cost_usd").asText());
    assertEquals(0, COST.multiply(BigDecimal.valueOf(ok)).compareTo(spent), "each answered request settled its actual cost");
    assertTrue(spent.compareTo(BUDGET.add(RESERVATION)) <= 0, "settled " + spent + " > budget " + BUDGET + " + one reservation");
  }

  private static long requests(GovernedGateway gw, String keyId) throws Exception {
    var data = gw.admin.get("/admin/spend?group_by=key&from=2026-12-01&to=2027-01-01").json().path("data");
    for (var d : data) if (d.path("group").asText().equals(keyId)) return d.path("requests").asLong();
    return 0;
  }

  private static AdminClient.Reply budgetKey(GovernedGateway gw) throws Exception {
    AdminClient.Reply k = gw.admin.post("/admin/keys", "{\"name\":\"racer\",\"budget\":{\"limit_usd\":\"" + BUDGET + "\",\"period\":\"day\"}}");
    assertEquals(201, k.status(), k.text());
    return k;
  }

  @Test
  void budgetRace_oneGatewayTwoEventLoops_settledSpendWithinBudgetPlusOneReservation(@TempDir Path dir) throws Exception {
    try (GovernedGateway gw = GovernedGateway.start(yaml(""), dir, GovernedGateway.env(), ExchangeObserver.NONE, o -> o.withInstances(2))) {
      AdminClient.Reply k = budgetKey(gw);
      race(List.of(gw.baseUrl()), k.json().path("secret").asText(), gw, k.json().path("id").asText());
    }
  }

  @Test
  void budgetRace_twoGatewaysSharingRedisAndPostgres_settledSpendWithinBudgetPlusOneReservation(@TempDir Path dir) throws Exception {
    String pg = Postgres.newDatabase();
    Map<String, String> env = GovernedGateway.env();
    env.put(Governance.STORAGE_PASSWORD_ENV, "postgres");
    try (RedisServer redis = RedisServer.start()) {
      String shared = "storage: { url: \"" + pg + "\", user: postgres, refresh_ms: 100 }\nlimits: { redis: \"" + redis.url() + "\" }\n";
      try (GovernedGateway a = GovernedGateway.start(yaml(shared), dir.resolve("a"), env, ExchangeObserver.NONE, o -> o);
          GovernedGateway b = GovernedGateway.start(yaml(shared), dir.resolve("b"), env, ExchangeObserver.NONE, o -> o)) {
        AdminClient.Reply k = budgetKey(a);
        String keyId = k.json().path("id").asText();
        // gateway b learns of the key from the shared store on its next refresh
        await().atMost(Duration.ofSeconds(10)).until(() -> b.admin.get("/admin/keys/" + keyId).status() == 200);
        race(List.of(a.baseUrl(), b.baseUrl()), k.json().path("secret").asText(), a, keyId);
      }
    }
  }
}
