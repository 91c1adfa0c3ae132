package dev.switchboard.router.dashboard;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.switchboard.router.embedded.ServerOptions;
import dev.switchboard.router.embedded.SwitchboardHome;
import dev.switchboard.router.embedded.SwitchboardServer;
import dev.switchboard.router.governance.Governance;
import dev.switchboard.router.requestlog.CaptureMode;
import dev.switchboard.router.testkit.ShippedAutoRoute;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Base64;
import java.util.Map;
import java.util.concurrent.atomic.AtomicReference;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The live dashboard of issue #17 through HTTP: the page is served, {@code GET /} leads to it, and the server-sent
 * snapshot's numbers follow real traffic (requests, rates, spend, call share, budgets, the decision table with a
 * redacted prompt excerpt). With keys configured it asks for an admin credential; on the embedded defaults it is open.
 */
class DashboardEndToEndTest {
  static final String ADMIN_KEY = "bootstrap-admin-key-for-dashboard-tests";
  static final Map<String, String> ENV = Map.of(Governance.PEPPER_ENV, "test-pepper-0123456789abcdef", "SWITCHBOARD_ADMIN_KEY", ADMIN_KEY);
  static final ObjectMapper JSON = new ObjectMapper();
  static final String EASY = "What is the capital of France? Reply to jane.doe@example.com please.";
  static final String HARD = "Prove that there are infinitely many primes p such that p + 2 is also prime, or explain precisely"
      + " why this is an open problem, and write a Rust function that finds all twin primes below n using a segmented sieve.";
  private final HttpClient http = HttpClient.newBuilder().followRedirects(HttpClient.Redirect.NEVER).build();

  /** A gateway with auth required, the shipped classifier on route {@code auto}, and redacted capture. */
  static SwitchboardServer governed(Path dir) throws Exception {
    Path home = SwitchboardHome.find();
    Path file = dir.resolve("switchboard.yaml");
    Files.writeString(file, ShippedAutoRoute.yaml(home, home.resolve("policies/default.yaml"), 10_000, "server: { auth: required }"));
    return SwitchboardServer.start(new ServerOptions(file, "127.0.0.1", 0, false, home, dir.resolve("data"), false, null, 0,
        "switchboard.requests", CaptureMode.REDACTED).withEnv(ENV::get));
  }

  @Test
  void withKeys_dashboardNeedsAdmin_andSnapshotsFollowTraffic(@TempDir Path dir) throws Exception {
    try (SwitchboardServer server = governed(dir)) {
      String base = server.baseUrl();
      HttpResponse<String> root = http.send(HttpRequest.newBuilder(URI.create(base + "/")).build(), HttpResponse.BodyHandlers.ofString());
      assertEquals(302, root.statusCode());
      assertEquals("/dashboard", root.headers().firstValue("location").orElse(null));

      HttpResponse<String> anonymous = get(base + "/dashboard", null);
      assertEquals(401, anonymous.statusCode(), "keys exist: the dashboard is the admin's");
      assertTrue(anonymous.headers().firstValue("www-authenticate").orElse("").startsWith("Basic"), anonymous.headers().toString());
      assertEquals("invalid_admin_key", JSON.readTree(anonymous.body()).path("error").path("code").asText(), anonymous.body());
      assertEquals(401, get(base + "/dashboard/events", "Basic " + basic("wrong-key")).statusCode());

      HttpResponse<String> page = get(base + "/dashboard", "Basic " + basic(ADMIN_KEY));
      assertEquals(200, page.statusCode());
      assertTrue(page.headers().firstValue("content-type").orElse("").startsWith("text/html"));
      assertTrue(page.body().contains("/dashboard/dashboard.js") && page.body().contains("id=\"recent\""), page.body());
      HttpResponse<String> js = get(base + "/dashboard/dashboard.js", "Bearer " + ADMIN_KEY);
      assertEquals(200, js.statusCode());
      assertTrue(js.body().contains("EventSource"));
      assertEquals(404, get(base + "/dashboard/nothing.js", "Bearer " + ADMIN_KEY).statusCode());

      // a team and a key, each with a budget; the key calls the eval-driven route
      String team = admin(base, "POST", "/admin/teams", "{\"name\":\"research\",\"budget\":{\"limit_usd\":10,\"period\":\"month\"}}")
          .path("id").asText();
      String secret = admin(base, "POST", "/admin/keys",
          "{\"name\":\"notebook\",\"team_id\":\"" + team + "\",\"budget\":{\"limit_usd\":1,\"period\":\"day\"}}").path("secret").asText();

      AtomicReference<JsonNode> latest = new AtomicReference<>();
      try (Stream<String> lines = http.send(HttpRequest.newBuilder(URI.create(base + "/dashboard/events"))
          .header("authorization", "Basic " + basic(ADMIN_KEY)).build(), HttpResponse.BodyHandlers.ofLines()).body()) {
        Thread reader = new Thread(() -> lines.filter(l -> l.startsWith("data: ")).forEach(l -> latest.set(read(l.substring(6)))));
        reader.setDaemon(true);
        reader.start();
        await().atMost(Duration.ofSeconds(10)).until(() -> latest.get() != null);
        JsonNode before = latest.get();
        assertEquals(0, before.path("requests").path("total").asLong(), before.toString());
        assertEquals(0, before.path("recent").size());
        assertEquals("redacted", before.path("capture").asText());

        for (int i = 0; i < 6; i++) {
          HttpResponse<String> r = chat(base, secret, i % 2 == 0 ? EASY : HARD);
          assertEquals(200, r.statusCode(), r.body());
        }
        // the stream's numbers change: counts, a rate, spend, share, the decision table and the budgets
        // (rates cover the last 5 s, so they are checked first, while the traffic is recent)
        await().atMost(Duration.ofSeconds(4)).untilAsserted(() -> {
          JsonNode s = latest.get();
          assertEquals(6, s.path("requests").path("total").asLong(), s.toString());
          assertTrue(s.path("requests").path("per_s").asDouble() > 0, s.toString());
        });
        await().atMost(Duration.ofSeconds(15)).untilAsserted(() -> {
          JsonNode s = latest.get();
          assertTrue(s.path("spend").path("total_usd").asDouble() > 0, s.toString());
          assertTrue(s.path("spend").path("per_hour_usd").asDouble() > 0, s.toString());
          assertTrue(s.path("overhead_ms").path("p50").isNumber() && s.path("overhead_ms").path("p99").asDouble() >= s.path("overhead_ms").path("p50").asDouble(), s.toString());
          assertTrue(s.path("models").size() >= 1, s.toString());
          assertEquals(2, s.path("budgets").size(), s.toString());
          for (JsonNode b : s.path("budgets")) assertTrue(b.path("spent_usd").asDouble() > 0, b.toString());
        });
        JsonNode s = latest.get();
        assertEquals(6, s.path("recent").size());
        double share = 0;
        for (JsonNode m : s.path("models")) share += m.path("share").asDouble();
        assertEquals(1.0, share, 0.01, s.path("models").toString());
        assertTrue(s.path("savings").path("saved_usd").asDouble() > 0, "the easy prompts went to cheaper models: " + s.path("recent"));
        JsonNode easiest = null;
        for (JsonNode d : s.path("recent")) {
          assertEquals("auto", d.path("route").asText());
          assertTrue(d.path("difficulty").isNumber(), d.toString());
          assertFalse(d.path("why").asText().isEmpty(), d.toString());
          assertNotNull(d.path("model").textValue(), d.toString());
          if (d.path("excerpt").asText().startsWith("What is the capital")) easiest = d;
        }
        assertNotNull(easiest, s.path("recent").toString());
        assertTrue(easiest.path("excerpt").asText().contains("[EMAIL]") && !easiest.path("excerpt").asText().contains("jane.doe"),
            "capture mode redacted: " + easiest);
        assertEquals(0, s.path("requests").path("errors_total").asLong());

        // an error shows up as one
        HttpResponse<String> unknown = http.send(HttpRequest.newBuilder(URI.create(base + "/v1/chat/completions"))
            .header("authorization", "Bearer " + secret).header("content-type", "application/json")
            .POST(HttpRequest.BodyPublishers.ofString("{\"model\":\"no-such-route\",\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]}")).build(),
            HttpResponse.BodyHandlers.ofString());
        assertEquals(404, unknown.statusCode(), unknown.body());
        await().atMost(Duration.ofSeconds(15)).until(() -> latest.get().path("requests").path("errors_total").asLong() == 1);
      }
    }
  }

  /**
   * An event stream never ends by itself; a graceful stop must not wait server.drain_timeout_ms (30 s) for it: the
   * connection's shutdown ends it at once, and the close returns long before the timeout.
   */
  @Test
  void openEventStream_doesNotHoldTheDrain(@TempDir Path dir) throws Exception {
    ServerOptions o = ServerOptions.embedded(SwitchboardHome.find(), dir.resolve("data")).withRequestLog(false).withEnv(k -> null);
    SwitchboardServer server = SwitchboardServer.start(o);
    try {
      AtomicReference<JsonNode> latest = new AtomicReference<>();
      java.util.concurrent.CountDownLatch ended = new java.util.concurrent.CountDownLatch(1);
      Stream<String> lines = http.send(HttpRequest.newBuilder(URI.create(server.baseUrl() + "/dashboard/events")).build(),
          HttpResponse.BodyHandlers.ofLines()).body();
      Thread reader = new Thread(() -> {
        try {
          lines.filter(l -> l.startsWith("data: ")).forEach(l -> latest.set(read(l.substring(6))));
        } catch (RuntimeException e) {
          // the connection closed under the reader: also an end
        }
        ended.countDown();
      });
      reader.setDaemon(true);
      reader.start();
      await().atMost(Duration.ofSeconds(10)).until(() -> latest.get() != null);
      long drainTimeoutMs = server.gateway().snapshot().config().server().drainTimeoutMs();
      org.junit.jupiter.api.Assertions.assertTimeoutPreemptively(Duration.ofMillis(drainTimeoutMs / 2), server::close,
          "close waited for the open event stream");
      assertTrue(ended.await(5, java.util.concurrent.TimeUnit.SECONDS), "the event stream ended");
    } finally {
      server.close();
    }
  }

  @Test
  void embeddedDefaults_withoutKeys_dashboardIsOpen(@TempDir Path dir) throws Exception {
    ServerOptions o = ServerOptions.embedded(SwitchboardHome.find(), dir.resolve("data")).withRequestLog(false).withEnv(k -> null);
    try (SwitchboardServer server = SwitchboardServer.start(o)) {
      HttpResponse<String> page = get(server.baseUrl() + "/dashboard", null);
      assertEquals(200, page.statusCode(), page.body());
      JsonNode snapshot = JSON.readTree(get(server.baseUrl() + "/dashboard/snapshot", null).body());
      assertEquals("full", snapshot.path("capture").asText());
      assertTrue(snapshot.path("cache").isNull() || snapshot.path("cache").isObject(), snapshot.toString());
    }
  }

  private static JsonNode read(String json) {
    try {
      return JSON.readTree(json);
    } catch (Exception e) {
      throw new IllegalStateException(e);
    }
  }

  static String basic(String key) {
    return Base64.getEncoder().encodeToString(("admin:" + key).getBytes(StandardCharsets.UTF_8));
  }

  private HttpResponse<String> get(String url, String authorization) throws Exception {
    HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(url));
    if (authorization != null) b.header("authorization", authorization);
    return http.send(b.build(), HttpResponse.BodyHandlers.ofString());
  }

  static HttpResponse<String> chat(HttpClient http, String base, String secret, String prompt) throws Exception {
    String body = JSON.createObjectNode().put("model", "auto").put("max_tokens", 64)
        .set("messages", JSON.createArrayNode().add(JSON.createObjectNode().put("role", "user").put("content", prompt))).toString();
    return http.send(HttpRequest.newBuilder(URI.create(base + "/v1/chat/completions")).header("authorization", "Bearer " + secret)
        .header("content-type", "application/json").POST(HttpRequest.BodyPublishers.ofString(body)).build(), HttpResponse.BodyHandlers.ofString());
  }

  private HttpResponse<String> chat(String base, String secret, String prompt) throws Exception {
    return chat(http, base, secret, prompt);
  }

  static JsonNode admin(HttpClient http, String base, String method, String path, String body) throws Exception {
    HttpResponse<String> r = http.send(HttpRequest.newBuilder(URI.create(base + path)).header("authorization", "Bearer " + ADMIN_KEY)
        .header("content-type", "application/json")
        .method(method, body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body)).build(),
        HttpResponse.BodyHandlers.ofString());
    assertTrue(r.statusCode() / 100 == 2, method + " " + path + ": " + r.statusCode() + " " + r.body());
    return JSON.readTree(r.body());
  }

  private JsonNode admin(String base, String method, String path, String body) throws Exception {
    return admin(http, base, method, path, body);
  }
}
