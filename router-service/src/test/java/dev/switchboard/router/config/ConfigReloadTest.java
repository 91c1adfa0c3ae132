package dev.switchboard.router.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.switchboard.router.testkit.FaultyOpenAiUpstream;
import dev.switchboard.router.testkit.GatewayHarness;
import io.vertx.core.Vertx;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Hot reload: a valid change is picked up atomically; an invalid one is rejected and the old config keeps serving. */
class ConfigReloadTest {
  @TempDir Path dir;

  private static void await(java.util.function.BooleanSupplier cond, String what) {
    org.awaitility.Awaitility.await(what).atMost(java.time.Duration.ofSeconds(10)).pollInterval(java.time.Duration.ofMillis(50))
        .until(cond::getAsBoolean);
  }

  @Test
  void validChangesApplyAndInvalidOnesAreRejected() throws Exception {
    Vertx v = Vertx.vertx();
    try (FaultyOpenAiUpstream up = new FaultyOpenAiUpstream(v)) {
      String one = "deployments:\n  - { name: a, provider: openai, base_url: %s, model: ok }\n".formatted(up.baseUrl());
      Path file = dir.resolve("switchboard.yaml");
      Files.writeString(file, one);
      try (GatewayHarness gw = GatewayHarness.start(one, file, o -> o)) {
        assertEquals(404, gw.post("/v1/chat/completions", GatewayHarness.chat("b", false)).statusCode());

        Files.writeString(file, one + "  - { name: b, provider: openai, base_url: %s, model: ok }\n".formatted(up.baseUrl()));
        await(() -> gw.gateway.snapshot().config().deployments().containsKey("b"), "reload adding b");
        assertEquals(200, gw.post("/v1/chat/completions", GatewayHarness.chat("b", false)).statusCode());

        Files.writeString(file, "deployments:\n  - { name: c, provider: nope, base_url: x }\n");
        await(() -> gw.gateway.lastReloadRejection() != null, "rejection of the invalid file");
        assertNotNull(gw.gateway.lastReloadRejection());
        assertTrue(gw.gateway.lastReloadRejection().contains("line 2: deployments[0] (c).provider"), gw.gateway.lastReloadRejection());
        assertEquals(200, gw.post("/v1/chat/completions", GatewayHarness.chat("b", false)).statusCode(), "old config still serves");
        assertTrue(gw.gateway.snapshot().config().deployments().containsKey("a"));
      }
    } finally {
      v.close();
    }
  }
}
