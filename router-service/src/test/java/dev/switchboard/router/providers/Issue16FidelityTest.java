package dev.switchboard.router.providers;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.switchboard.router.testkit.GatewayHarness;
import dev.switchboard.router.testkit.MockAnthropicServer;
import dev.switchboard.router.testkit.TestRequests;
import io.vertx.core.Vertx;
import java.net.http.HttpResponse;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Issue #16 "Fidelity of what exists": request fields an adapter used to drop without a word. Each test failed on
 * main at 5ea8f90, where the request got a 200 that ignored the field:
 *
 * <ol>
 *   <li>Anthropic dropped {@code response_format: json_object}; now a system instruction asks for JSON and the
 *       answer is checked (a code fence is taken off; prose is an invalid response, so the next deployment is tried;
 *       on a stream, an error event instead of a normal end);
 *   <li>Anthropic dropped {@code response_format: json_schema}; now a 400 naming {@code response_format};
 *   <li>Anthropic answered one choice for {@code n > 1}; now {@code n} parallel calls, choices in order, usage
 *       summed (a 400 naming {@code n} on a stream);
 *   <li>the recorded provider ignored {@code tools}, {@code response_format} and {@code n}; now a 400 naming each
 *       ({@code RecordedUpstreamTest#unsupportedFields_areRefusedByName_issue16}).
 * </ol>
 */
class Issue16FidelityTest {
  private static Vertx vertx;
  private static MockAnthropicServer anthropic;
  private static GatewayHarness gw;

  @BeforeAll
  static void start() throws Exception {
    vertx = Vertx.vertx();
    anthropic = new MockAnthropicServer(vertx);
    anthropic.start().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
    gw = GatewayHarness.start("""
        resilience: { backoff_base_ms: 1, backoff_max_ms: 5 }
        deployments:
          - { name: claude, provider: anthropic, base_url: %s, api_key_env: KEY, model: claude-sonnet-4-5, max_retries: 0 }
        """.formatted(anthropic.baseUrl()), null, o -> o.withEnv(Map.of("KEY", "k-123")::get));
  }

  @AfterAll
  static void stop() throws Exception {
    gw.close();
    vertx.close().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
  }

  @BeforeEach
  void reset() {
    anthropic.succeed().replyText("Hello.").usage(10, 4).clearRequests();
  }

  private static HttpResponse<String> chat(String model, String extra) throws Exception {
    return gw.post("/v1/chat/completions", "{\"model\":\"" + model + "\",\"messages\":[{\"role\":\"user\",\"content\":\"Give me JSON.\"}]" + extra + "}");
  }

  private static JsonNode json(HttpResponse<String> r) {
    return TestRequests.json(r.body());
  }

  // ---------------------------------------------------------------- Anthropic: response_format

  @Test
  void anthropic_jsonObject_asksForJsonAndReturnsTheObject_unfencingIt() throws Exception {
    anthropic.replyText("```json\n{\"city\": \"Paris\"}\n```");
    HttpResponse<String> r = chat("claude", ",\"response_format\":{\"type\":\"json_object\"}");
    assertEquals(200, r.statusCode(), r.body());
    String content = json(r).at("/choices/0/message/content").asText();
    assertEquals("Paris", TestRequests.json(content).path("city").asText(), content);
    assertTrue(anthropic.lastRequest().json().path("system").asText().contains("JSON object"), "the mode is asked for in the system prompt");
  }

  @Test
  void anthropic_jsonObject_proseAnswer_isAnInvalidResponseNotA200() throws Exception {
    anthropic.replyText("Sure! The city is Paris.");
    HttpResponse<String> r = chat("claude", ",\"response_format\":{\"type\":\"json_object\"}");
    assertEquals(502, r.statusCode(), r.body());
    assertTrue(json(r).at("/error/message").asText().contains("not a JSON object"), r.body());
    assertEquals("invalid_response", json(r).at("/error/attempts/0/outcome").asText(), r.body());
  }

  @Test
  void anthropic_jsonObject_streamedProse_endsWithAnErrorEventNotDone() throws Exception {
    anthropic.replyText("Sure! The city is Paris.");
    HttpResponse<String> r = chat("claude", ",\"stream\":true,\"response_format\":{\"type\":\"json_object\"}");
    assertEquals(200, r.statusCode());
    assertFalse(r.body().contains("data: [DONE]"), r.body());
    assertTrue(r.body().contains("\"code\":\"stream_interrupted\"") && r.body().contains("not a JSON object"), r.body());
    anthropic.replyText("{\"city\":\"Paris\"}");
    HttpResponse<String> ok = chat("claude", ",\"stream\":true,\"response_format\":{\"type\":\"json_object\"}");
    assertTrue(ok.body().endsWith("data: [DONE]\n\n"), ok.body());
  }

  @Test
  void anthropic_jsonSchema_isRefusedNamingResponseFormat() throws Exception {
    HttpResponse<String> r = chat("claude", ",\"response_format\":{\"type\":\"json_schema\",\"json_schema\":{\"name\":\"x\",\"schema\":{\"type\":\"object\"}}}");
    assertEquals(400, r.statusCode(), r.body());
    assertTrue(json(r).at("/error/message").asText().contains("response_format"), r.body());
    assertTrue(anthropic.requests().isEmpty(), "nothing sent upstream");
  }

  // ---------------------------------------------------------------- Anthropic: n

  @Test
  void anthropic_nThree_threeParallelCalls_threeChoices_usageSummed() throws Exception {
    HttpResponse<String> r = chat("claude", ",\"n\":3");
    assertEquals(200, r.statusCode(), r.body());
    JsonNode c = json(r);
    assertEquals(3, c.path("choices").size(), r.body());
    for (int i = 0; i < 3; i++) {
      assertEquals(i, c.at("/choices/" + i + "/index").asInt());
      assertEquals("Hello.", c.at("/choices/" + i + "/message/content").asText());
    }
    assertEquals(30, c.at("/usage/prompt_tokens").asInt());
    assertEquals(12, c.at("/usage/completion_tokens").asInt());
    assertEquals(3, anthropic.requests().size());
    assertEquals("1", r.headers().firstValue("x-switchboard-attempts").orElseThrow(), "one attempt of three calls");
  }

  @Test
  void anthropic_nTwoOnAStream_isRefusedNamingN() throws Exception {
    HttpResponse<String> r = chat("claude", ",\"n\":2,\"stream\":true");
    assertEquals(400, r.statusCode(), r.body());
    assertTrue(json(r).at("/error/message").asText().contains("n > 1"), r.body());
  }
}
