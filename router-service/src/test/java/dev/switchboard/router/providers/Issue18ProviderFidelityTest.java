package dev.switchboard.router.providers;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.switchboard.router.providers.chat.Json;
import dev.switchboard.router.testkit.GatewayHarness;
import dev.switchboard.router.testkit.ReplayUpstream;
import dev.switchboard.router.testkit.ReplayUpstream.Pacing;
import io.vertx.core.Vertx;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * Issue #18 "Provider fidelity": one regression test per defect, end to end through a gateway
 * whose upstreams replay literal provider bytes. Each failed on main at 8fe390e:
 *
 * <ol>
 *   <li>an Anthropic server/MCP tool block followed by input_json_delta killed the stream;
 *   <li>a streamed Anthropic tool call without arguments gave {@code arguments: ""};
 *   <li>a Gemini stream ended at the first chunk with any finishReason (truncated, or several
 *       finish chunks in one choice, or {@code stop} instead of {@code content_filter});
 *   <li>the role chunk committed a stream, so an error right after message_start never fell back;
 *   <li>Gemini's thoughtSignature was dropped, so the follow-up request lacked it;
 *   <li>a last SSE event without its blank line was dropped at the end of the body;
 *   <li>unknown Gemini blocking finish reasons (MODEL_ARMOR...) mapped to {@code stop};
 *   <li>{@code reasoning_effort} and provider-specific fields never reached Anthropic or Gemini.
 * </ol>
 */
class Issue18ProviderFidelityTest {
  private static Vertx vertx;
  private static ReplayUpstream anthropic;
  private static ReplayUpstream gemini;
  private static GatewayHarness gw;

  @BeforeAll
  static void start() throws Exception {
    vertx = Vertx.vertx();
    anthropic = new ReplayUpstream(vertx);
    gemini = new ReplayUpstream(vertx);
    anthropic.start().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
    gemini.start().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
    gw = GatewayHarness.start("""
        resilience: { backoff_base_ms: 1, backoff_max_ms: 5 }
        deployments:
          - { name: claude, provider: anthropic, base_url: %s, api_key_env: KEY, model: claude-sonnet-4-5, max_retries: 0, max_tokens_default: 1000 }
          - { name: gemini, provider: gemini, base_url: %s, api_key_env: KEY, model: gemini-3-pro-preview, max_retries: 0 }
        routes:
          - { alias: smart, deployments: [claude, gemini] }
        """.formatted(anthropic.baseUrl(), gemini.baseUrl()), null, o -> o.withEnv(Map.of("KEY", "k-123")::get));
  }

  @AfterAll
  static void stop() throws Exception {
    gw.close();
    vertx.close().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
  }

  // ---------------------------------------------------------------- Anthropic streams

  private static final String MESSAGE_START = "event: message_start\ndata: {\"type\":\"message_start\",\"message\":{\"id\":\"msg_1\","
      + "\"type\":\"message\",\"role\":\"assistant\",\"model\":\"claude-sonnet-4-5\",\"content\":[],\"usage\":{\"input_tokens\":10,\"output_tokens\":1}}}\n\n";
  private static final String END = "event: message_delta\ndata: {\"type\":\"message_delta\",\"delta\":{\"stop_reason\":\"%s\"},"
      + "\"usage\":{\"output_tokens\":20}}\n\nevent: message_stop\ndata: {\"type\":\"message_stop\"}\n\n";

  private static String block(int index, String startJson, String... deltas) {
    StringBuilder sb = new StringBuilder("event: content_block_start\ndata: {\"type\":\"content_block_start\",\"index\":" + index
        + ",\"content_block\":" + startJson + "}\n\n");
    for (String d : deltas) {
      sb.append("event: content_block_delta\ndata: {\"type\":\"content_block_delta\",\"index\":").append(index)
          .append(",\"delta\":").append(d).append("}\n\n");
    }
    return sb.append("event: content_block_stop\ndata: {\"type\":\"content_block_stop\",\"index\":").append(index).append("}\n\n").toString();
  }

  private static String json(String partial) {
    return "{\"type\":\"input_json_delta\",\"partial_json\":" + Json.write(partial) + "}";
  }

  private static String text(String t) {
    return "{\"type\":\"text_delta\",\"text\":" + Json.write(t) + "}";
  }

  /** Defect 1: server-run and unknown block types, with their input_json_delta, are skipped. */
  @ParameterizedTest
  @EnumSource(Pacing.class)
  void anthropicServerToolBlocks_areSkipped(Pacing pacing) throws Exception {
    String body = MESSAGE_START
        + block(0, "{\"type\":\"server_tool_use\",\"id\":\"srvtoolu_1\",\"name\":\"web_search\",\"input\":{}}", json(""), json("{\"query\": \"x\"}"))
        + block(1, "{\"type\":\"web_search_tool_result\",\"tool_use_id\":\"srvtoolu_1\",\"content\":[]}")
        + block(2, "{\"type\":\"mcp_tool_use\",\"id\":\"mcptoolu_1\",\"name\":\"echo\",\"server_name\":\"e\",\"input\":{}}", json("{\"m\": 1}"))
        + block(3, "{\"type\":\"block_from_the_future\",\"x\":1}", json("{}"), "{\"type\":\"delta_from_the_future\"}")
        + block(4, "{\"type\":\"text\",\"text\":\"\"}", text("Found "), text("it."))
        + END.formatted("end_turn");
    Sse s = stream("claude", anthropic, body, pacing);
    assertTrue(s.done, s.raw);
    assertEquals("Found it.", s.text());
    assertTrue(s.toolCalls().isEmpty(), "server-run tools are not client tool calls");
    assertEquals(List.of("stop"), s.finishReasons());
  }

  /** Defect 2: a tool call without arguments streams "{}", valid JSON, as OpenAI and non-streaming do. */
  @ParameterizedTest
  @EnumSource(Pacing.class)
  void anthropicToolCallWithoutArguments_streamsAnEmptyObject(Pacing pacing) throws Exception {
    String body = MESSAGE_START + block(0, "{\"type\":\"tool_use\",\"id\":\"toolu_1\",\"name\":\"refresh\",\"input\":{}}", json(""))
        + END.formatted("tool_use");
    Sse s = stream("claude", anthropic, body, pacing);
    assertEquals(Map.of("toolu_1", "{}"), s.toolCalls());
    assertEquals(List.of("tool_calls"), s.finishReasons());
  }

  /** Defect 4: an overloaded_error right after message_start falls back to the route's next deployment. */
  @ParameterizedTest
  @EnumSource(Pacing.class)
  void anthropicErrorAfterTheRoleChunk_fallsBack(Pacing pacing) throws Exception {
    anthropic.serve(200, "text/event-stream", (MESSAGE_START
        + "event: error\ndata: {\"type\":\"error\",\"error\":{\"type\":\"overloaded_error\",\"message\":\"Overloaded\"}}\n\n")
        .getBytes(StandardCharsets.UTF_8), pacing);
    gemini.serve(200, "text/event-stream", geminiEvents(
        "{\"candidates\":[{\"content\":{\"parts\":[{\"text\":\"From Gemini.\"}],\"role\":\"model\"},\"finishReason\":\"STOP\",\"index\":0}]}"), pacing);
    HttpResponse<String> r = gw.post("/v1/chat/completions", request("smart", true, ""));
    assertEquals(200, r.statusCode(), r.body());
    assertEquals("gemini", r.headers().firstValue("x-switchboard-deployment").orElse(""));
    assertEquals("2", r.headers().firstValue("x-switchboard-attempts").orElse(""));
    assertEquals("From Gemini.", new Sse(r.body()).text());
  }

  /** Defect 6: the last event without its blank line is delivered, and with it the usage chunk. */
  @ParameterizedTest
  @EnumSource(Pacing.class)
  void finalEventWithoutBlankLine_isDelivered(Pacing pacing) throws Exception {
    String body = MESSAGE_START + block(0, "{\"type\":\"text\",\"text\":\"\"}", text("Done."))
        + "event: message_delta\ndata: {\"type\":\"message_delta\",\"delta\":{\"stop_reason\":\"end_turn\"},\"usage\":{\"output_tokens\":3}}\n\n"
        + "event: message_stop\ndata: {\"type\":\"message_stop\"}";
    Sse s = stream("claude", anthropic, body, pacing);
    assertTrue(s.done, "a clean end, not stream_interrupted: " + s.raw);
    assertEquals("Done.", s.text());
    assertEquals(13, s.usage().path("total_tokens").asInt());
  }

  // ---------------------------------------------------------------- Gemini

  private static byte[] geminiEvents(String... events) {
    StringBuilder sb = new StringBuilder();
    for (String e : events) sb.append("data: ").append(e).append("\r\n\r\n");
    return sb.toString().getBytes(StandardCharsets.UTF_8);
  }

  private static String geminiChunk(String text, String finish) {
    return "{\"candidates\":[{\"content\":{\"parts\":[{\"text\":" + Json.write(text) + "}],\"role\":\"model\"},"
        + (finish == null ? "" : "\"finishReason\":\"" + finish + "\",") + "\"index\":0}],"
        + "\"usageMetadata\":{\"promptTokenCount\":5,\"candidatesTokenCount\":7,\"totalTokenCount\":12}}";
  }

  /** Defect 3: STOP on every chunk ends nothing; the stream's end does, with one finish reason. */
  @ParameterizedTest
  @EnumSource(Pacing.class)
  void geminiFinishReasonOnEveryChunk_doesNotEndTheStream(Pacing pacing) throws Exception {
    gemini.serve(200, "text/event-stream", geminiEvents(geminiChunk("One,", "STOP"), geminiChunk(" two,", "STOP"),
        geminiChunk(" three.", "STOP")), pacing);
    Sse s = new Sse(gw.post("/v1/chat/completions", request("gemini", true, "")).body());
    assertTrue(s.done, s.raw);
    assertEquals("One, two, three.", s.text());
    assertEquals(List.of("stop"), s.finishReasons());
  }

  /** Defect 3: a RECITATION after a STOP is the stream's finish reason, once. */
  @ParameterizedTest
  @EnumSource(Pacing.class)
  void geminiRecitationAfterStop_isContentFilterOnce(Pacing pacing) throws Exception {
    gemini.serve(200, "text/event-stream", geminiEvents(geminiChunk("Quoting", "STOP"), geminiChunk(" a book", "RECITATION"),
        geminiChunk("", "STOP")), pacing);
    Sse s = new Sse(gw.post("/v1/chat/completions", request("gemini", true, "")).body());
    assertEquals("Quoting a book", s.text());
    assertEquals(List.of("content_filter"), s.finishReasons());
  }

  /** Defect 7: blocking finish reasons, known or new, are content_filter; the rest the documented stop. */
  @Test
  void geminiUnknownFinishReasons_blockingOnesAreContentFilter() throws Exception {
    Map<String, String> expected = Map.of("MODEL_ARMOR", "content_filter", "BLOCKLIST", "content_filter", "SPII", "content_filter",
        "PROHIBITED_CONTENT", "content_filter", "IMAGE_SAFETY", "content_filter", "NEW_SAFETY_CHECK", "content_filter",
        "OTHER", "stop", "MALFORMED_FUNCTION_CALL", "stop", "SOMETHING_NEW", "stop");
    for (Map.Entry<String, String> e : expected.entrySet()) {
      gemini.serve(200, "application/json", geminiChunk("x", e.getKey()).getBytes(StandardCharsets.UTF_8), Pacing.ONE_WRITE);
      JsonNode c = Json.tryRead(gw.post("/v1/chat/completions", request("gemini", false, "")).body());
      assertEquals(e.getValue(), c.path("choices").get(0).path("finish_reason").asText(), e.getKey());
    }
  }

  /** Defect 5: the thoughtSignature of a functionCall goes out in the tool call id and comes back upstream. */
  @Test
  void geminiThoughtSignature_survivesTheToolLoop() throws Exception {
    gemini.serve(200, "application/json", ("{\"candidates\":[{\"content\":{\"parts\":[{\"functionCall\":{\"name\":\"get_weather\","
        + "\"args\":{\"city\":\"Paris\"}},\"thoughtSignature\":\"c2lnbmF0dXJl+/==\"}],\"role\":\"model\"},\"finishReason\":\"STOP\",\"index\":0}]}")
        .getBytes(StandardCharsets.UTF_8), Pacing.ONE_WRITE);
    JsonNode first = Json.tryRead(gw.post("/v1/chat/completions", request("gemini", false, "")).body());
    JsonNode call = first.path("choices").get(0).path("message").path("tool_calls").get(0);
    String id = call.path("id").asText();
    assertEquals("call_0__thought__c2lnbmF0dXJl+/==", id);

    gemini.serve(200, "application/json", geminiChunk("Sunny.", "STOP").getBytes(StandardCharsets.UTF_8), Pacing.ONE_WRITE);
    String followUp = "{\"model\":\"gemini\",\"messages\":[{\"role\":\"user\",\"content\":\"Weather?\"},"
        + "{\"role\":\"assistant\",\"content\":null,\"tool_calls\":[" + Json.write(call) + "]},"
        + "{\"role\":\"tool\",\"tool_call_id\":" + Json.write(id) + ",\"content\":\"{\\\"sky\\\":\\\"clear\\\"}\"}]}";
    assertEquals(200, gw.post("/v1/chat/completions", followUp).statusCode());
    JsonNode sent = Json.tryRead(gemini.lastRequestBody());
    JsonNode part = sent.path("contents").get(1).path("parts").get(0);
    assertEquals("get_weather", part.path("functionCall").path("name").asText());
    assertEquals("c2lnbmF0dXJl+/==", part.path("thoughtSignature").asText(), sent.toString());
    assertEquals("get_weather", sent.path("contents").get(2).path("parts").get(0).path("functionResponse").path("name").asText());
  }

  // ---------------------------------------------------------------- requests (defect 8)

  /** Defect 8: reasoning_effort becomes Anthropic thinking and Gemini thinkingConfig. */
  @Test
  void reasoningEffort_reachesAnthropicAndGemini() throws Exception {
    anthropic.serve(200, "application/json", ANTHROPIC_OK, Pacing.ONE_WRITE);
    gw.post("/v1/chat/completions", request("claude", false, ",\"reasoning_effort\":\"medium\",\"temperature\":0.2"));
    JsonNode a = Json.tryRead(anthropic.lastRequestBody());
    assertEquals("enabled", a.path("thinking").path("type").asText(), a.toString());
    assertEquals(8192, a.path("thinking").path("budget_tokens").asInt());
    assertEquals(9192, a.path("max_tokens").asInt(), "max_tokens raised above the budget by it");
    assertFalse(a.has("temperature"), "Anthropic rejects temperature with thinking on");

    gemini.serve(200, "application/json", geminiChunk("ok", "STOP").getBytes(StandardCharsets.UTF_8), Pacing.ONE_WRITE);
    gw.post("/v1/chat/completions", request("gemini", false, ",\"reasoning_effort\":\"low\""));
    JsonNode g = Json.tryRead(gemini.lastRequestBody()).path("generationConfig").path("thinkingConfig");
    assertEquals(1024, g.path("thinkingBudget").asInt());
    assertTrue(g.path("includeThoughts").asBoolean());
  }

  /** Defect 8: switchboard.provider_options is merged into the upstream body of its provider only. */
  @Test
  void providerOptions_areMergedIntoTheirProvidersBody() throws Exception {
    String options = ",\"switchboard\":{\"provider_options\":{\"anthropic\":{\"thinking\":{\"type\":\"enabled\",\"budget_tokens\":2000},"
        + "\"mcp_servers\":[{\"type\":\"url\",\"url\":\"https://mcp.example\",\"name\":\"m\"}]},"
        + "\"gemini\":{\"safetySettings\":[{\"category\":\"HARM_CATEGORY_HARASSMENT\",\"threshold\":\"BLOCK_NONE\"}],"
        + "\"generationConfig\":{\"thinkingConfig\":{\"thinkingLevel\":\"high\"}}}}}";
    anthropic.serve(200, "application/json", ANTHROPIC_OK, Pacing.ONE_WRITE);
    assertEquals(200, gw.post("/v1/chat/completions", request("claude", false, ",\"reasoning_effort\":\"high\"" + options)).statusCode());
    JsonNode a = Json.tryRead(anthropic.lastRequestBody());
    assertEquals(2000, a.path("thinking").path("budget_tokens").asInt(), "the explicit option wins over reasoning_effort");
    assertEquals("https://mcp.example", a.path("mcp_servers").get(0).path("url").asText());
    assertFalse(a.has("safetySettings"));
    assertFalse(a.has("switchboard"));

    gemini.serve(200, "application/json", geminiChunk("ok", "STOP").getBytes(StandardCharsets.UTF_8), Pacing.ONE_WRITE);
    assertEquals(200, gw.post("/v1/chat/completions", request("gemini", false, ",\"max_tokens\":50" + options)).statusCode());
    JsonNode g = Json.tryRead(gemini.lastRequestBody());
    assertEquals("BLOCK_NONE", g.path("safetySettings").get(0).path("threshold").asText());
    assertEquals("high", g.path("generationConfig").path("thinkingConfig").path("thinkingLevel").asText());
    assertEquals(50, g.path("generationConfig").path("maxOutputTokens").asInt(), "merged, not replaced");
    assertFalse(g.has("mcp_servers"));
  }

  @Test
  void providerOptions_unknownProvider_isUnknownParameter() throws Exception {
    HttpResponse<String> r = gw.post("/v1/chat/completions",
        request("claude", false, ",\"switchboard\":{\"provider_options\":{\"bedrock\":{}}}"));
    assertEquals(400, r.statusCode());
    JsonNode e = Json.tryRead(r.body()).path("error");
    assertEquals("unknown_parameter", e.path("code").asText());
    assertEquals("switchboard.provider_options.bedrock", e.path("param").asText());
  }

  private static final byte[] ANTHROPIC_OK = ("{\"id\":\"msg_2\",\"type\":\"message\",\"role\":\"assistant\",\"model\":\"claude-sonnet-4-5\","
      + "\"content\":[{\"type\":\"thinking\",\"thinking\":\"Hmm.\",\"signature\":\"s\"},{\"type\":\"text\",\"text\":\"Hi.\"}],"
      + "\"stop_reason\":\"end_turn\",\"usage\":{\"input_tokens\":3,\"output_tokens\":2}}").getBytes(StandardCharsets.UTF_8);

  /** Reasoning content: Anthropic thinking is exposed as reasoning_content (non-streaming here). */
  @Test
  void anthropicThinking_isReasoningContent() throws Exception {
    anthropic.serve(200, "application/json", ANTHROPIC_OK, Pacing.ONE_WRITE);
    JsonNode m = Json.tryRead(gw.post("/v1/chat/completions", request("claude", false, "")).body()).path("choices").get(0).path("message");
    assertEquals("Hi.", m.path("content").asText());
    assertEquals("Hmm.", m.path("reasoning_content").asText());
  }

  // ---------------------------------------------------------------- helpers

  private static String request(String model, boolean stream, String extra) {
    return "{\"model\":\"" + model + "\",\"stream\":" + stream + (stream ? ",\"stream_options\":{\"include_usage\":true}" : "")
        + ",\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]" + extra + "}";
  }

  private static Sse stream(String model, ReplayUpstream up, String body, Pacing pacing) throws Exception {
    up.serve(200, "text/event-stream", body.getBytes(StandardCharsets.UTF_8), pacing);
    HttpResponse<String> r = gw.post("/v1/chat/completions", request(model, true, ""));
    assertEquals(200, r.statusCode(), r.body());
    return new Sse(r.body());
  }

  /** The client's view of one SSE answer of the gateway. */
  static final class Sse {
    final String raw;
    final List<JsonNode> chunks = new ArrayList<>();
    boolean done;

    Sse(String raw) {
      this.raw = raw;
      for (String line : raw.split("\n")) {
        if (!line.startsWith("data: ")) continue;
        String data = line.substring(6);
        if (data.equals("[DONE]")) done = true;
        else chunks.add(Json.tryRead(data));
      }
      chunks.forEach(c -> assertNull(c.get("error"), raw));
    }

    String text() {
      StringBuilder sb = new StringBuilder();
      for (JsonNode c : chunks) for (JsonNode ch : c.path("choices")) sb.append(ch.path("delta").path("content").asText(""));
      return sb.toString();
    }

    List<String> finishReasons() {
      List<String> out = new ArrayList<>();
      for (JsonNode c : chunks) for (JsonNode ch : c.path("choices")) if (ch.path("finish_reason").isTextual()) out.add(ch.get("finish_reason").asText());
      return out;
    }

    /** id -> concatenated arguments, by tool call index. */
    Map<String, String> toolCalls() {
      Map<Integer, String[]> byIndex = new java.util.TreeMap<>();
      for (JsonNode c : chunks) {
        for (JsonNode ch : c.path("choices")) {
          for (JsonNode tc : ch.path("delta").path("tool_calls")) {
            String[] v = byIndex.computeIfAbsent(tc.path("index").asInt(), i -> new String[] {null, ""});
            if (tc.hasNonNull("id")) v[0] = tc.get("id").asText();
            v[1] += tc.path("function").path("arguments").asText("");
          }
        }
      }
      Map<String, String> out = new java.util.LinkedHashMap<>();
      byIndex.values().forEach(v -> out.put(v[0], v[1]));
      return out;
    }

    JsonNode usage() {
      for (JsonNode c : chunks) if (c.path("usage").isObject()) return c.get("usage");
      return Json.object();
    }
  }
}
