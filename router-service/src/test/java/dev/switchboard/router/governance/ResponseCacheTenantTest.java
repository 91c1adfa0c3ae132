package dev.switchboard.router.governance;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import dev.switchboard.router.chat.ExchangeObserver;
import dev.switchboard.router.testkit.MockOpenAiServer;
import io.vertx.core.Vertx;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The response cache per tenant (issue #16): a key's answer is never served to a key of another team or to a key
 * without a team; keys of one team share; a key's {@code cache} tag turns caching on (or off) whatever the route says.
 */
class ResponseCacheTenantTest {
  private static final HttpClient HTTP = HttpClient.newHttpClient();
  private static Vertx vertx;
  private static MockOpenAiServer upstream;

  @BeforeAll
  static void start() throws Exception {
    vertx = Vertx.vertx();
    upstream = GovernedGateway.upstream(vertx);
    upstream.succeed().replyText("The answer.").usage(10, 5);
  }

  @AfterAll
  static void stop() throws Exception {
    GovernedGateway.close(vertx);
  }

  private static String yaml() {
    return """
        server: { auth: required }
        deployments:
          - { name: gpt, provider: openai, base_url: %s, input_price_per_mtok: 2, output_price_per_mtok: 8 }
        routes:
          - { alias: cached, deployments: [gpt], cache: exact }
          - { alias: uncached, deployments: [gpt] }
        """.formatted(upstream.baseUrl());
  }

  private static String ask(GovernedGateway gw, String secret, String model) throws Exception {
    HttpResponse<String> r = HTTP.send(HttpRequest.newBuilder(URI.create(gw.baseUrl() + "/v1/chat/completions"))
        .header("authorization", "Bearer " + secret).header("content-type", "application/json")
        .POST(HttpRequest.BodyPublishers.ofString("{\"model\":\"" + model + "\",\"temperature\":0,"
            + "\"messages\":[{\"role\":\"user\",\"content\":\"What is our Q3 revenue?\"}]}")).build(), HttpResponse.BodyHandlers.ofString());
    assertEquals(200, r.statusCode(), r.body());
    return r.headers().firstValue("x-switchboard-cache").orElse(null);
  }

  private static String key(GovernedGateway gw, String name, String teamId, String tags) throws Exception {
    AdminClient.Reply k = gw.admin.post("/admin/keys", "{\"name\":\"" + name + "\"" + (teamId == null ? "" : ",\"team_id\":\"" + teamId + "\"")
        + (tags == null ? "" : ",\"tags\":" + tags) + "}");
    assertEquals(201, k.status(), k.text());
    return k.json().path("secret").asText();
  }

  @Test
  void tenants_neverSeeAnothersAnswer_teamKeysShare_keyTagOverridesRoute(@TempDir Path dir) throws Exception {
    try (GovernedGateway gw = GovernedGateway.start(yaml(), dir, GovernedGateway.env(), ExchangeObserver.NONE, o -> o)) {
      String red = gw.admin.post("/admin/teams", "{\"name\":\"red\"}").json().path("id").asText();
      String blue = gw.admin.post("/admin/teams", "{\"name\":\"blue\"}").json().path("id").asText();
      String red1 = key(gw, "red1", red, null), red2 = key(gw, "red2", red, null), blue1 = key(gw, "blue1", blue, null);
      String solo1 = key(gw, "solo1", null, null), solo2 = key(gw, "solo2", null, null);

      assertEquals("miss", ask(gw, red1, "cached"));
      assertEquals("hit", ask(gw, red2, "cached"), "keys of one team share its cache");
      assertEquals("miss", ask(gw, blue1, "cached"), "another team never sees red's answer");
      assertEquals("miss", ask(gw, solo1, "cached"), "a key without a team is its own tenant");
      assertEquals("miss", ask(gw, solo2, "cached"));
      assertEquals("hit", ask(gw, solo1, "cached"));
      assertEquals(4, upstream.requests().size());

      // the key's tag: on for a route that does not cache, off for one that does
      String tagged = key(gw, "tagged", null, "{\"cache\":\"exact\"}");
      String optedOut = key(gw, "opted-out", red, "{\"cache\":\"off\"}");
      assertNull(ask(gw, red1, "uncached"));
      assertEquals("miss", ask(gw, tagged, "uncached"));
      assertEquals("hit", ask(gw, tagged, "uncached"));
      assertNull(ask(gw, optedOut, "cached"), "its tag turns the cache off, even in a team whose answer is cached");
    }
  }
}
