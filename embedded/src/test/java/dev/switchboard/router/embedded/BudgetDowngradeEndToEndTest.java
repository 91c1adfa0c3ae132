package dev.switchboard.router.embedded;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.switchboard.router.governance.Governance;
import dev.switchboard.router.requestlog.CaptureMode;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Budget-aware routing (issue #14): once a key's spend this period passes its budget's {@code downgrade_at}, its
 * requests to an eval-driven route aim at a lower quality target (the shipped classifier and policy decide), and the
 * response says {@code x-switchboard-budget-mode: downgraded}; before that, and on static routes, nothing changes.
 */
class BudgetDowngradeEndToEndTest {
  private static final String ADMIN_KEY = "bootstrap-admin-key-for-downgrade-tests";
  private static final Map<String, String> ENV = Map.of(Governance.PEPPER_ENV, "test-pepper-0123456789abcdef", "SWITCHBOARD_ADMIN_KEY", ADMIN_KEY);
  private static final ObjectMapper JSON = new ObjectMapper();
  /** A prompt the shipped policy sends past the cheapest model at the highest quality target. */
  private static final String HARD = "Prove that there are infinitely many primes p such that p + 2 is also prime, or explain precisely"
      + " why this is an open problem, and write a Rust function that finds all twin primes below n using a segmented sieve.";
  private final HttpClient http = HttpClient.newHttpClient();

  @Test
  void pastTheDowngradePoint_evalDrivenRoutesAimLower_andSaySo(@TempDir Path dir) throws Exception {
    Path home = SwitchboardHome.find();
    Path file = dir.resolve("switchboard.yaml");
    // factor 0.1: a downgraded request's thresholds are a tenth of the policy's, so the cheapest candidate serves it
    Files.writeString(file, dev.switchboard.router.testkit.ShippedAutoRoute.yaml(home, home.resolve("policies/default.yaml"), 10_000,
        "server: { auth: required }\nlimits: { downgrade_quality_factor: 0.1 }"));
    ServerOptions o = new ServerOptions(file, "127.0.0.1", 0, false, home, dir.resolve("data"), false, null, 0, "switchboard.requests",
        CaptureMode.NONE).withEnv(ENV::get);
    try (SwitchboardServer server = SwitchboardServer.start(o)) {
      // $1 a month, downgraded past $0.0001: any answered request crosses it
      JsonNode key = admin(server, "POST", "/admin/keys",
          "{\"name\":\"thrifty\",\"budget\":{\"limit_usd\":1,\"period\":\"month\",\"downgrade_at\":0.0001}}");
      assertEquals(0.0001, key.path("budget").path("downgrade_at").asDouble());
      String secret = key.path("secret").asText();

      HttpResponse<String> first = chat(server, secret, "auto");
      assertEquals(200, first.statusCode(), first.body());
      assertTrue(first.headers().firstValue("x-switchboard-budget-mode").isEmpty(), "nothing spent yet: not downgraded");
      String undowngraded = first.headers().firstValue("x-switchboard-deployment").orElseThrow();
      assertNotEquals("mixtral-8x7b-instruct-v0.1", undowngraded, "at quality target 1 the hard prompt goes past the cheapest model");

      JsonNode spend = admin(server, "GET", "/admin/spend?group_by=key", null).path("data").get(0);
      assertTrue(spend.path("cost_usd").asDouble() >= 0.0001, "the first request passed the downgrade point: " + spend);

      HttpResponse<String> second = chat(server, secret, "auto");
      assertEquals(200, second.statusCode(), second.body());
      assertEquals("downgraded", second.headers().firstValue("x-switchboard-budget-mode").orElse(null));
      assertEquals("mixtral-8x7b-instruct-v0.1", second.headers().firstValue("x-switchboard-deployment").orElseThrow(),
          "the same prompt, downgraded, goes to the cheapest candidate");

      HttpResponse<String> fixed = chat(server, secret, "gpt-4-1106-preview");
      assertEquals(200, fixed.statusCode(), fixed.body());
      assertTrue(fixed.headers().firstValue("x-switchboard-budget-mode").isEmpty(), "a static route is never downgraded");

      // the admin lifts the downgrade point: the next request is served at full quality again
      admin(server, "PATCH", "/admin/keys/" + key.path("id").asText(), "{\"budget\":{\"limit_usd\":1,\"period\":\"month\"}}");
      HttpResponse<String> lifted = chat(server, secret, "auto");
      assertTrue(lifted.headers().firstValue("x-switchboard-budget-mode").isEmpty(), lifted.headers().toString());
      assertEquals(undowngraded, lifted.headers().firstValue("x-switchboard-deployment").orElseThrow());
    }
  }

  private HttpResponse<String> chat(SwitchboardServer s, String secret, String model) throws Exception {
    String body = JSON.createObjectNode().put("model", model).put("max_tokens", 64)
        .set("messages", JSON.createArrayNode().add(JSON.createObjectNode().put("role", "user").put("content", HARD))).toString();
    String withTarget = body.substring(0, body.length() - 1) + ",\"switchboard\":{\"quality_target\":1.0}}";
    return http.send(HttpRequest.newBuilder(URI.create(s.baseUrl() + "/v1/chat/completions")).header("authorization", "Bearer " + secret)
        .header("content-type", "application/json").POST(HttpRequest.BodyPublishers.ofString(model.equals("auto") ? withTarget : body)).build(),
        HttpResponse.BodyHandlers.ofString());
  }

  private JsonNode admin(SwitchboardServer s, String method, String path, String body) throws Exception {
    HttpResponse<String> r = http.send(HttpRequest.newBuilder(URI.create(s.baseUrl() + path)).header("authorization", "Bearer " + ADMIN_KEY)
        .header("content-type", "application/json")
        .method(method, body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body)).build(),
        HttpResponse.BodyHandlers.ofString());
    assertTrue(r.statusCode() / 100 == 2, method + " " + path + ": " + r.statusCode() + " " + r.body());
    return JSON.readTree(r.body());
  }
}
