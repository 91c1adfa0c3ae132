package dev.switchboard.router.governance;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.openai.client.OpenAIClient;
import com.openai.client.okhttp.OpenAIOkHttpClient;
import com.openai.core.http.HttpResponseFor;
import com.openai.errors.PermissionDeniedException;
import com.openai.errors.UnauthorizedException;
import com.openai.models.chat.completions.ChatCompletion;
import com.openai.models.chat.completions.ChatCompletionCreateParams;
import dev.switchboard.router.chat.ChatExchange;
import dev.switchboard.router.chat.ExchangeObserver;
import dev.switchboard.router.chat.ParsedChat;
import dev.switchboard.router.requestlog.RequestLog;
import dev.switchboard.router.requestlog.RequestLogObserver;
import dev.switchboard.router.requestlog.RequestLogRecord;
import dev.switchboard.router.requestlog.RequestLogStats;
import dev.switchboard.router.testkit.MockOpenAiServer;
import io.vertx.core.Vertx;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A key's whole life through HTTP: created with the admin API (curl-style), used with the official OpenAI SDK,
 * refused for a model outside its allow-list, revoked or expired (the same 401 either way), every admin call audited,
 * and its secret nowhere but in the creation response: not in logs, the request log, or any other response.
 */
class KeyLifecycleEndToEndTest {
  private static Vertx vertx;
  private static MockOpenAiServer upstream;

  @BeforeAll
  static void upstream() throws Exception {
    vertx = Vertx.vertx();
    upstream = GovernedGateway.upstream(vertx);
    upstream.succeed().replyText("Hello from the mock.").usage(12, 7);
  }

  @AfterAll
  static void stop() throws Exception {
    GovernedGateway.close(vertx);
  }

  static String yaml() {
    return yaml(upstream.baseUrl());
  }

  /** Two priced deployments on {@code upstreamUrl} and a route over both; auth required. */
  static String yaml(String upstreamUrl) {
    return """
        server: { auth: required }
        deployments:
          - { name: gpt, provider: openai, base_url: %s, input_price_per_mtok: 2, output_price_per_mtok: 8 }
          - { name: big, provider: openai, base_url: %s, input_price_per_mtok: 20, output_price_per_mtok: 80 }
        routes:
          - { alias: smart, deployments: [gpt, big] }
        """.formatted(upstreamUrl, upstreamUrl);
  }

  /** The request log as records (serialised as Kafka would get them, to search for the secret). */
  static final class MemoryRequestLog implements RequestLog {
    final List<RequestLogRecord> records = new CopyOnWriteArrayList<>();

    @Override
    public void append(RequestLogRecord r) {
      records.add(r);
    }

    @Override
    public RequestLogStats stats() {
      return null;
    }

    @Override
    public void close() {}
  }

  private static OpenAIClient sdk(String baseUrl, String key) {
    return OpenAIOkHttpClient.builder().baseUrl(baseUrl + "/v1").apiKey(key).maxRetries(0).build();
  }

  private static ChatCompletionCreateParams ask(String model) {
    return ChatCompletionCreateParams.builder().model(model).addUserMessage("Say hello.").maxCompletionTokens(50).build();
  }

  @Test
  void keyLifecycle_adminApiThenSdk_revokedAndExpiredGetTheSame401_secretOnlyInCreation(@TempDir Path dir) throws Exception {
    MemoryRequestLog requestLog = new MemoryRequestLog();
    List<String> responses = new ArrayList<>();
    String secret;
    try (LogCapture logs = new LogCapture();
        GovernedGateway gw = GovernedGateway.start(yaml(), dir, GovernedGateway.env(), new RequestLogObserver(requestLog), o -> o)) {
      AdminClient.Reply team = gw.admin.post("/admin/teams", "{\"name\":\"research\",\"budget\":{\"limit_usd\":10,\"period\":\"month\"}}");
      assertEquals(201, team.status(), team.text());
      String teamId = team.json().path("id").asText();
      AdminClient.Reply created = gw.admin.post("/admin/keys", """
          {"name":"ci","team_id":"%s","models":["gpt"],"routes":[],"rpm":100,"tpm":100000,
           "budget":{"limit_usd":"5","period":"day"},"expires_at":"2026-12-08T12:00:00Z","tags":{"owner":"alice"}}
          """.formatted(teamId));
      assertEquals(201, created.status(), created.text());
      secret = created.json().path("secret").asText();
      String keyId = created.json().path("id").asText();
      assertTrue(secret.startsWith("sk-sb-"), created.text());
      assertEquals("gpt", created.json().path("models").path(0).asText());

      // the SDK with the new key: answered, with OpenAI's rate-limit headers
      OpenAIClient client = sdk(gw.baseUrl(), secret);
      try {
        HttpResponseFor<ChatCompletion> r = client.chat().completions().withRawResponse().create(ask("gpt"));
        assertEquals(200, r.statusCode());
        assertEquals("Hello from the mock.", r.parse().choices().get(0).message().content().orElseThrow());
        assertEquals("100", r.headers().values("x-ratelimit-limit-requests").get(0));
        assertEquals("99", r.headers().values("x-ratelimit-remaining-requests").get(0));
        assertTrue(r.headers().values("x-ratelimit-reset-requests").get(0).matches("\\d+(\\.\\d+)?m?s|\\d+m\\d+(\\.\\d+)?s"));
        assertEquals("100000", r.headers().values("x-ratelimit-limit-tokens").get(0));

        // a model outside the allow-list: 403 model_not_allowed (the route too: it reaches "big")
        PermissionDeniedException denied = assertThrows(PermissionDeniedException.class, () -> client.chat().completions().create(ask("big")));
        assertEquals("model_not_allowed", denied.code().orElseThrow());
      } finally {
        client.close();
      }

      // the same key without and with a wrong secret, by curl: 401 invalid_api_key
      AdminClient.Reply missing = new AdminClient(gw.baseUrl(), null).post("/v1/chat/completions", chat("gpt"));
      AdminClient.Reply unknown = new AdminClient(gw.baseUrl(), "sk-sb-" + "x".repeat(32)).post("/v1/chat/completions", chat("gpt"));
      assertEquals(401, missing.status());
      assertEquals("invalid_api_key", missing.code());
      assertEquals(missing.text(), unknown.text());
      // x-api-key works as well as Bearer
      var viaHeader = java.net.http.HttpClient.newHttpClient().send(java.net.http.HttpRequest.newBuilder(
              java.net.URI.create(gw.baseUrl() + "/v1/chat/completions")).header("x-api-key", secret).header("content-type", "application/json")
          .POST(java.net.http.HttpRequest.BodyPublishers.ofString(chat("gpt"))).build(), java.net.http.HttpResponse.BodyHandlers.ofString());
      assertEquals(200, viaHeader.statusCode(), viaHeader.body());
      responses.add(viaHeader.body());

      // expired: the clock passes expires_at
      gw.clock.advance(Duration.ofDays(2));
      OpenAIClient late = sdk(gw.baseUrl(), secret);
      UnauthorizedException expired = assertThrows(UnauthorizedException.class, () -> late.chat().completions().create(ask("gpt")));
      assertEquals("invalid_api_key", expired.code().orElseThrow());
      late.close();
      AdminClient.Reply expiredCurl = new AdminClient(gw.baseUrl(), secret).post("/v1/chat/completions", chat("gpt"));
      assertEquals(unknown.text(), expiredCurl.text(), "expired says what unknown says");
      // extend it, then revoke it
      AdminClient.Reply extended = gw.admin.patch("/admin/keys/" + keyId, "{\"expires_at\":null}");
      assertEquals(200, extended.status(), extended.text());
      assertEquals(200, new AdminClient(gw.baseUrl(), secret).post("/v1/chat/completions", chat("gpt")).status());
      AdminClient.Reply revoked = gw.admin.delete("/admin/keys/" + keyId);
      assertEquals("revoked", revoked.json().path("status").asText(), revoked.text());
      AdminClient.Reply afterRevoke = new AdminClient(gw.baseUrl(), secret).post("/v1/chat/completions", chat("gpt"));
      assertEquals(401, afterRevoke.status());
      assertEquals(unknown.text(), afterRevoke.text(), "revoked says what unknown says");

      // the outcome is only in the metric
      String metrics = gw.harness.get("/metrics").body();
      for (String outcome : List.of("accepted", "malformed", "unknown", "revoked", "expired")) {
        assertTrue(metrics.lines().anyMatch(l -> l.startsWith("switchboard_auth_total{outcome=\"" + outcome + "\"") && !l.endsWith(" 0.0")),
            "switchboard_auth_total{outcome=" + outcome + "} counted:\n" + metrics.lines().filter(l -> l.contains("auth_total")).toList());
      }

      // spend recorded under the key and team; the request log names them (ids only)
      await().atMost(Duration.ofSeconds(10)).until(() -> gw.admin.get("/admin/spend?group_by=key&from=2026-12-01").json().path("data").size() == 1);
      AdminClient.Reply spend = gw.admin.get("/admin/spend?group_by=key&from=2026-12-01&to=2027-01-01");
      assertEquals(keyId, spend.json().path("data").path(0).path("group").asText());
      assertEquals(3, spend.json().path("data").path(0).path("requests").asLong(), spend.text());
      AdminClient.Reply byTeam = gw.admin.get("/admin/spend?group_by=team&from=2026-12-01&to=2027-01-01");
      assertEquals(teamId, byTeam.json().path("data").path(0).path("group").asText(), byTeam.text());
      assertEquals(400, gw.admin.get("/admin/spend?group_by=week").status());
      assertEquals("group_by", gw.admin.get("/admin/spend?group_by=week").json().path("error").path("param").asText());
      RequestLogRecord answered = requestLog.records.stream().filter(r -> r.status() == 200).findFirst().orElseThrow();
      assertEquals(keyId, answered.metadata().get("key_id"));
      assertEquals(teamId, answered.metadata().get("team_id"));

      // every admin call audited: who, what, before/after, from where
      AdminClient.Reply audit = gw.admin.get("/admin/audit");
      List<String> actions = new ArrayList<>();
      for (JsonNode e : audit.json().path("data")) {
        actions.add(e.path("action").asText());
        assertEquals("bootstrap-admin", e.path("actor").asText());
        assertEquals("127.0.0.1", e.path("source_address").asText());
      }
      assertTrue(actions.containsAll(List.of("team.create", "key.create", "key.update", "key.revoke", "spend.read")), actions.toString());
      JsonNode revokeEntry = null;
      for (JsonNode e : audit.json().path("data")) if (e.path("action").asText().equals("key.revoke")) revokeEntry = e;
      assertNotNull(revokeEntry);
      assertEquals("ENABLED", revokeEntry.path("before").path("status").asText());
      assertEquals("REVOKED", revokeEntry.path("after").path("status").asText());

      // a bad field is named
      AdminClient.Reply bad = gw.admin.post("/admin/keys", "{\"name\":\"x\",\"rpm\":-1}");
      assertEquals(400, bad.status());
      assertEquals("invalid_value", bad.code());
      assertEquals("rpm", bad.json().path("error").path("param").asText());

      responses.add(gw.admin.get("/admin/keys").text());
      responses.add(gw.admin.get("/admin/keys/" + keyId).text());
      responses.add(audit.text());
      responses.add(spend.text());
      responses.add(revoked.text());
      responses.add(extended.text());
      responses.add(afterRevoke.text());
      for (String r : responses) assertFalse(r.contains(secret), "a response other than the creation shows the secret: " + r);
      for (RequestLogRecord r : requestLog.records) {
        assertFalse(AdminClient.JSON.writeValueAsString(r).contains(secret), "the request log holds the secret");
      }
      assertFalse(logs.lines().isEmpty());
      for (String line : logs.lines()) assertFalse(line.contains(secret), "a log line holds the secret: " + line);
    }
  }

  @Test
  void adminApi_wrongCredential401_noneConfigured403(@TempDir Path dir) throws Exception {
    try (GovernedGateway gw = GovernedGateway.start(yaml(), dir, GovernedGateway.env(), ExchangeObserver.NONE, o -> o)) {
      assertEquals(401, gw.as("wrong").get("/admin/keys").status());
      assertEquals("invalid_admin_key", gw.as("wrong").get("/admin/keys").code());
      assertEquals(401, gw.as("sk-sb-" + "y".repeat(32)).get("/admin/keys").status());
      // an ordinary key (no role) is no admin credential
      String plain = gw.admin.post("/admin/keys", "{\"name\":\"plain\"}").json().path("secret").asText();
      assertEquals(401, gw.as(plain).get("/admin/keys").status());
    }
    var env = GovernedGateway.env();
    env.remove("SWITCHBOARD_ADMIN_KEY");
    try (GovernedGateway gw = GovernedGateway.start(yaml(), dir.resolve("b"), env, ExchangeObserver.NONE, o -> o)) {
      assertEquals("admin_disabled", gw.as("anything").get("/admin/keys").code());
    }
  }

  static String chat(String model) {
    return "{\"model\":\"" + model + "\",\"messages\":[{\"role\":\"user\",\"content\":\"hello there\"}]}";
  }
}
