package dev.switchboard.router.embedded;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.switchboard.router.api.ApiException;
import dev.switchboard.router.providers.chat.Json;
import dev.switchboard.router.testkit.GatewayHarness;
import dev.switchboard.router.testkit.MockOpenAiServer;
import io.vertx.core.Vertx;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The gateway's upstream side called in-process: same plan, retries, fallbacks and breakers as over HTTP. */
class InProcessGatewayTest {
  static Vertx vertx;
  static MockOpenAiServer primary;
  static MockOpenAiServer backup;

  @BeforeAll
  static void start() throws Exception {
    vertx = Vertx.vertx();
    primary = new MockOpenAiServer(vertx);
    backup = new MockOpenAiServer(vertx);
    primary.start().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
    backup.start().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
  }

  @AfterAll
  static void stop() throws Exception {
    vertx.close().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
  }

  private static String yaml() {
    return """
        server: { port: 0 }
        resilience: { backoff_base_ms: 1, backoff_max_ms: 5, breaker_failure_threshold: 2, breaker_open_ms: 600000 }
        deployments:
          - { name: primary, provider: openai, base_url: %s, max_retries: 0, input_price_per_mtok: 1, output_price_per_mtok: 1 }
          - { name: backup, provider: openai, base_url: %s, max_retries: 0 }
          - { name: keyed, provider: openai, base_url: %s, api_key_env: SWITCHBOARD_IN_PROCESS_TEST_UNSET_KEY }
        routes:
          - { alias: smart, type: fallback, deployments: [primary, backup] }
        """.formatted(primary.baseUrl(), backup.baseUrl(), backup.baseUrl());
  }

  private static ObjectNode chat(String model) {
    ObjectNode b = Json.object().put("model", model);
    b.putArray("messages").addObject().put("role", "user").put("content", "Hi");
    return b;
  }

  @Test
  void attachedToARunningGatewayItSharesItsBreakersAndFallsBackLikeIt() throws Exception {
    primary.succeed().clearRequests().failWith(500, "boom");
    backup.succeed().clearRequests().replyText("from backup");
    try (GatewayHarness gw = GatewayHarness.start(yaml()); InProcessGateway direct = InProcessGateway.attach(gw.gateway)) {
      // Two failures over HTTP open primary's breaker in the gateway...
      for (int i = 0; i < 2; i++) assertEquals(200, gw.post("/v1/chat/completions", GatewayHarness.chat("smart", false)).statusCode());
      assertEquals(2, primary.requests().size());
      // ...so the in-process call skips primary and the backup answers.
      InProcessGateway.Answer a = direct.complete(chat("smart")).get(10, TimeUnit.SECONDS);
      assertEquals("backup", a.deployment().name());
      assertEquals("from backup", a.result().completion().path("choices").path(0).path("message").path("content").asText());
      assertEquals("circuit_open", a.attempts().get(0).outcome());
      assertEquals(2, primary.requests().size(), "primary was not called again");
    }
  }

  @Test
  void checkNamesWhatCannotBeCalledAndCompleteFailsWithTheGatewaysError() throws Exception {
    primary.succeed().clearRequests().replyText("hi").usage(1000, 2000);
    try (GatewayHarness gw = GatewayHarness.start(yaml()); InProcessGateway direct = InProcessGateway.attach(gw.gateway)) {
      assertEquals(2, direct.check("smart").size());
      IllegalArgumentException unknown = assertThrows(IllegalArgumentException.class, () -> direct.check("nope"));
      assertTrue(unknown.getMessage().startsWith("'nope' is neither a deployment nor a route of "), unknown.getMessage());
      IllegalArgumentException keyless = assertThrows(IllegalArgumentException.class, () -> direct.check("keyed"));
      assertEquals("'keyed' cannot be called: keyed needs $SWITCHBOARD_IN_PROCESS_TEST_UNSET_KEY, which is not set", keyless.getMessage());
      ExecutionException e = assertThrows(ExecutionException.class, () -> direct.complete(chat("nope")).get(10, TimeUnit.SECONDS));
      assertEquals("model_not_found", ((ApiException) e.getCause()).error().code());
      InProcessGateway.Answer a = direct.complete(chat("primary")).get(10, TimeUnit.SECONDS);
      assertEquals(0.003, a.costUsd(), 1e-12, "1000 in + 2000 out at $1/M each");
      assertFalse(primary.lastRequest().body().contains("switchboard"));
    }
  }
}
