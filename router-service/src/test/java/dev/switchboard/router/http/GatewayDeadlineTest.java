package dev.switchboard.router.http;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.switchboard.router.testkit.FaultyOpenAiUpstream;
import dev.switchboard.router.testkit.GatewayHarness;
import io.vertx.core.Vertx;
import java.net.http.HttpResponse;
import org.junit.jupiter.api.Test;

/** The overall deadline wins over per-attempt timeouts: 504 with the attempts made so far. */
class GatewayDeadlineTest {
  @Test
  void theRequestDeadlineGives504() throws Exception {
    Vertx v = Vertx.vertx();
    try (FaultyOpenAiUpstream up = new FaultyOpenAiUpstream(v);
        GatewayHarness gw = GatewayHarness.start("""
            server: { request_deadline_ms: 400 }
            deployments:
              - { name: slow, provider: openai, base_url: %s, model: slow, timeout_ms: 5000, max_retries: 3 }
            """.formatted(up.baseUrl()))) {
      long t0 = System.nanoTime();
      HttpResponse<String> r = gw.post("/v1/chat/completions", GatewayHarness.chat("slow", false));
      long ms = (System.nanoTime() - t0) / 1_000_000;
      assertEquals(504, r.statusCode(), r.body());
      JsonNode e = new ObjectMapper().readTree(r.body()).path("error");
      assertEquals("deadline_exceeded", e.path("code").asText());
      assertEquals("timeout_error", e.path("type").asText());
      assertTrue(ms < 3000, "answered at the deadline, not after the upstream's 3 s: " + ms + " ms");
    } finally {
      v.close();
    }
  }
}
