package dev.switchboard.router.messages;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.anthropic.client.AnthropicClient;
import com.anthropic.client.okhttp.AnthropicOkHttpClient;
import com.anthropic.core.JsonValue;
import com.anthropic.core.http.HttpResponseFor;
import com.anthropic.core.http.StreamResponse;
import com.anthropic.errors.BadRequestException;
import com.anthropic.helpers.MessageAccumulator;
import com.anthropic.models.messages.ContentBlockParam;
import com.anthropic.models.messages.Message;
import com.anthropic.models.messages.MessageCountTokensParams;
import com.anthropic.models.messages.MessageCreateParams;
import com.anthropic.models.messages.UserMessageParam;
import com.anthropic.models.messages.RawMessageStreamEvent;
import com.anthropic.models.messages.StopReason;
import com.anthropic.models.messages.Tool;
import com.anthropic.models.messages.ToolResultBlockParam;
import com.anthropic.models.messages.ToolUseBlock;
import com.fasterxml.jackson.databind.JsonNode;
import dev.switchboard.router.chat.ExchangeObserver;
import dev.switchboard.router.testkit.GatewayHarness;
import dev.switchboard.router.testkit.MockAnthropicServer;
import dev.switchboard.router.testkit.MockGeminiServer;
import dev.switchboard.router.testkit.MockOpenAiServer;
import dev.switchboard.router.testkit.MockProviderServer;
import dev.switchboard.router.testkit.TestRequests;
import io.vertx.core.Vertx;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * {@code POST /v1/messages} end to end: the official Anthropic Java SDK, unmodified and pointed at the gateway,
 * against mock upstreams speaking OpenAI's, Anthropic's and Gemini's wire formats. Plain answers, streams (events in
 * order, assembled by the SDK's accumulator), tool use both ways, count_tokens, fallback, and Anthropic-shaped errors
 * that name the field.
 */
class MessagesEndToEndTest {
  private static final List<String> MODELS = List.of("gpt", "claude", "gemini");
  private static Vertx vertx;
  private static MockOpenAiServer openai;
  private static MockAnthropicServer anthropic;
  private static MockGeminiServer gemini;
  private static GatewayHarness gw;
  private static AnthropicClient client;
  private static final List<String> observed = new CopyOnWriteArrayList<>();

  @BeforeAll
  static void start() throws Exception {
    vertx = Vertx.vertx();
    openai = new MockOpenAiServer(vertx);
    anthropic = new MockAnthropicServer(vertx);
    gemini = new MockGeminiServer(vertx);
    for (MockProviderServer<?> m : mocks()) m.start().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
    ExchangeObserver observer = new ExchangeObserver() {
      @Override
      public void completed(dev.switchboard.router.chat.ParsedChat chat, dev.switchboard.router.chat.ChatExchange ex, String text) {
        observed.add(ex.route + "/" + (ex.answered == null ? "none" : ex.answered.name()) + "/" + ex.status + "/"
            + ex.usage.promptTokens() + "+" + ex.usage.completionTokens() + "/" + text);
      }
    };
    gw = GatewayHarness.start("""
        resilience: { backoff_base_ms: 1, backoff_max_ms: 5 }
        deployments:
          - { name: gpt, provider: openai, base_url: %s, api_key_env: OPENAI_KEY, model: gpt-4o-mini, max_retries: 0 }
          - { name: claude, provider: anthropic, base_url: %s, api_key_env: ANTHROPIC_KEY, model: claude-3-5-haiku-latest, max_retries: 0 }
          - { name: gemini, provider: gemini, base_url: %s, api_key_env: GEMINI_KEY, model: gemini-2.0-flash, max_retries: 0 }
        routes:
          - { alias: smart, deployments: [claude, gemini] }
        """.formatted(openai.baseUrl(), anthropic.baseUrl(), gemini.baseUrl()), null,
        o -> o.withObserver(observer).withEnv(Map.of("OPENAI_KEY", "ok-1", "ANTHROPIC_KEY", "ak-2", "GEMINI_KEY", "gk-3")::get));
    client = AnthropicOkHttpClient.builder().baseUrl(gw.baseUrl()).apiKey("unused-with-auth-off").maxRetries(0).build();
  }

  private static List<MockProviderServer<?>> mocks() {
    return List.of(openai, anthropic, gemini);
  }

  @AfterAll
  static void stop() throws Exception {
    client.close();
    gw.close();
    vertx.close().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
  }

  @BeforeEach
  void reset() {
    for (MockProviderServer<?> m : mocks()) m.succeed().replyText("Hello from the mock.").usage(12, 7).clearRequests();
    observed.clear();
  }

  private static MessageCreateParams.Builder ask(String model) {
    return MessageCreateParams.builder().model(model).maxTokens(256).system("Be brief.").addUserMessage("Say hello.");
  }

  private static Tool weatherTool() {
    return Tool.builder().name("get_weather").description("Weather for a city")
        .inputSchema(Tool.InputSchema.builder()
            .properties(JsonValue.from(Map.of("city", Map.of("type", "string"))))
            .addRequired("city").build())
        .build();
  }

  // ---------------------------------------------------------------- plain

  @Test
  void create_everyProvider_textStopReasonAndUsage() {
    for (String model : MODELS) {
      HttpResponseFor<Message> raw = client.messages().withRawResponse().create(ask(model).build());
      Message m = raw.parse();
      assertEquals(1, m.content().size(), model);
      assertEquals("Hello from the mock.", m.content().get(0).asText().text(), model);
      assertEquals(StopReason.END_TURN, m.stopReason().orElseThrow(), model);
      assertEquals(12, m.usage().inputTokens(), model);
      assertEquals(7, m.usage().outputTokens(), model);
      assertTrue(m.id().startsWith("msg_"), m.id());
      assertEquals(model, raw.headers().values("x-switchboard-deployment").get(0));
    }
    JsonNode toOpenAi = openai.lastRequest().json();
    assertEquals("system", toOpenAi.at("/messages/0/role").asText(), "the system prompt became OpenAI's system message");
    assertEquals(256, toOpenAi.path("max_tokens").asInt());
    JsonNode toAnthropic = anthropic.lastRequest().json();
    assertEquals("Be brief.", toAnthropic.path("system").asText());
    assertEquals(256, toAnthropic.path("max_tokens").asInt());
    assertTrue(gemini.lastRequest().body().contains("systemInstruction"));
  }

  @Test
  void create_samplingStopSequencesAndMetadata_reachTheUpstream() {
    // This SDK version has no setters for the sampling parameters (newer models reject them); they are still API fields.
    client.messages().create(ask("claude").putAdditionalBodyProperty("temperature", JsonValue.from(0.3))
        .putAdditionalBodyProperty("top_p", JsonValue.from(0.9)).putAdditionalBodyProperty("top_k", JsonValue.from(40)).addStopSequence("END")
        .metadata(com.anthropic.models.messages.Metadata.builder().userId("user-42").build()).build());
    JsonNode a = anthropic.lastRequest().json();
    assertEquals(0.3, a.path("temperature").asDouble(), 1e-9);
    assertEquals(0.9, a.path("top_p").asDouble(), 1e-9);
    assertEquals(40, a.path("top_k").asInt());
    assertEquals("END", a.at("/stop_sequences/0").asText());
    assertEquals("user-42", a.at("/metadata/user_id").asText());
    client.messages().create(ask("gemini").putAdditionalBodyProperty("top_k", JsonValue.from(40)).addStopSequence("END").build());
    JsonNode g = gemini.lastRequest().json();
    assertEquals(40, g.at("/generationConfig/topK").asInt());
    assertEquals("END", g.at("/generationConfig/stopSequences/0").asText());
  }

  @Test
  void create_routesThroughFallback_andIsLoggedLikeChat() {
    anthropic.failWith(529, "Overloaded");
    HttpResponseFor<Message> raw = client.messages().withRawResponse().create(ask("smart").build());
    assertEquals("Hello from the mock.", raw.parse().content().get(0).asText().text());
    assertEquals("gemini", raw.headers().values("x-switchboard-deployment").get(0));
    assertEquals("2", raw.headers().values("x-switchboard-attempts").get(0));
    org.awaitility.Awaitility.await().atMost(5, TimeUnit.SECONDS).until(() -> !observed.isEmpty());
    assertEquals("smart/gemini/200/12+7/Hello from the mock.", observed.get(0));
  }

  @Test
  void stopSequence_fromAnAnthropicUpstream_isReportedAsStopSequence_plainAndStreaming() {
    anthropic.replyText("Hello from the mock. END of the story.");
    MessageCreateParams p = ask("claude").addStopSequence("END").build();
    Message plain = client.messages().create(p);
    assertEquals("Hello from the mock. ", plain.content().get(0).asText().text());
    assertEquals(StopReason.STOP_SEQUENCE, plain.stopReason().orElseThrow());
    assertEquals("END", plain.stopSequence().orElseThrow());
    MessageAccumulator acc = MessageAccumulator.create();
    try (StreamResponse<RawMessageStreamEvent> s = client.messages().createStreaming(p)) {
      s.stream().forEach(acc::accumulate);
    }
    assertEquals(StopReason.STOP_SEQUENCE, acc.message().stopReason().orElseThrow());
    assertEquals("END", acc.message().stopSequence().orElseThrow());
  }

  // ---------------------------------------------------------------- streams

  @Test
  void createStreaming_everyProvider_eventsInAnthropicOrder() {
    for (String model : MODELS) {
      List<String> types = new ArrayList<>();
      MessageAccumulator acc = MessageAccumulator.create();
      try (StreamResponse<RawMessageStreamEvent> s = client.messages().createStreaming(ask(model).build())) {
        s.stream().forEach(e -> {
          acc.accumulate(e);
          types.add(e.type().toString());
        });
      }
      assertEquals("message_start", types.get(0), model + " " + types);
      assertEquals("content_block_start", types.get(1), model + " " + types);
      assertEquals("content_block_delta", types.get(2), model + " " + types);
      assertEquals(List.of("content_block_stop", "message_delta", "message_stop"), types.subList(types.size() - 3, types.size()),
          model + " " + types);
      Message m = acc.message();
      assertEquals("Hello from the mock.", m.content().get(0).asText().text(), model);
      assertEquals(StopReason.END_TURN, m.stopReason().orElseThrow(), model);
      assertEquals(7, m.usage().outputTokens(), model);
    }
  }

  @Test
  void stream_rawWire_hasNamedEventsAndAPingAfterTheFirstBlockStart() throws Exception {
    HttpResponse<String> r = gw.post("/v1/messages", ("{\"model\":\"gpt\",\"max_tokens\":50,\"stream\":true,"
        + "\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]}").getBytes(StandardCharsets.UTF_8), Map.of("anthropic-version", "2023-06-01"));
    assertEquals(200, r.statusCode());
    assertTrue(r.headers().firstValue("content-type").orElse("").startsWith("text/event-stream"));
    List<String> names = new ArrayList<>();
    for (String line : r.body().split("\n")) if (line.startsWith("event: ")) names.add(line.substring(7));
    assertEquals(List.of("message_start", "content_block_start", "ping"), names.subList(0, 3), names.toString());
    assertEquals("message_stop", names.get(names.size() - 1));
    assertFalse(r.body().contains("[DONE]"), "no OpenAI terminator on an Anthropic stream");
    int delta = r.body().indexOf("event: message_delta");
    String deltaData = r.body().substring(delta).split("\n")[1].substring(6);
    JsonNode d = TestRequests.json(deltaData);
    assertEquals("end_turn", d.at("/delta/stop_reason").asText());
    assertEquals(7, d.at("/usage/output_tokens").asInt());
    assertEquals(12, d.at("/usage/input_tokens").asInt());
  }

  @Test
  void stream_upstreamFailsMidway_endsWithAnthropicErrorEvent() throws Exception {
    anthropic.replyText("one two three four").failMidStream("Overloaded");
    HttpResponse<String> r = gw.post("/v1/messages", ("{\"model\":\"claude\",\"max_tokens\":50,\"stream\":true,"
        + "\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]}").getBytes(StandardCharsets.UTF_8), Map.of());
    assertEquals(200, r.statusCode(), "the stream had started");
    assertTrue(r.body().contains("event: content_block_delta"), r.body());
    assertFalse(r.body().contains("event: message_stop"), r.body());
    String last = r.body().strip().substring(r.body().strip().lastIndexOf("event: "));
    assertTrue(last.startsWith("event: error\ndata: "), last);
    JsonNode err = TestRequests.json(last.substring(last.indexOf("data: ") + 6));
    assertEquals("error", err.path("type").asText());
    assertEquals("api_error", err.at("/error/type").asText());
    assertTrue(err.at("/error/message").asText().contains("Overloaded"), last);
  }

  // ---------------------------------------------------------------- tools

  @Test
  void toolUse_modelCallsATool_everyProvider_plainAndStreaming() {
    for (MockProviderServer<?> m : mocks()) m.replyToolCall("get_weather", "{\"city\":\"Paris\"}");
    for (String model : MODELS) {
      MessageCreateParams p = ask(model).addTool(weatherTool()).build();
      Message plain = client.messages().create(p);
      ToolUseBlock call = plain.content().stream().filter(b -> b.isToolUse()).findFirst().orElseThrow().asToolUse();
      assertEquals("get_weather", call.name(), model);
      assertEquals("Paris", call._input().convert(JsonNode.class).path("city").asText(), model);
      assertEquals(StopReason.TOOL_USE, plain.stopReason().orElseThrow(), model);

      MessageAccumulator acc = MessageAccumulator.create();
      try (StreamResponse<RawMessageStreamEvent> s = client.messages().createStreaming(p)) {
        s.stream().forEach(acc::accumulate);
      }
      Message streamed = acc.message();
      ToolUseBlock sc = streamed.content().stream().filter(b -> b.isToolUse()).findFirst().orElseThrow().asToolUse();
      assertEquals("get_weather", sc.name(), model);
      assertEquals("Paris", sc._input().convert(JsonNode.class).path("city").asText(), model + " streamed input");
      assertEquals(StopReason.TOOL_USE, streamed.stopReason().orElseThrow(), model);
    }
    JsonNode tools = openai.lastRequest().json().path("tools");
    assertEquals("get_weather", tools.at("/0/function/name").asText());
    assertEquals("object", tools.at("/0/function/parameters/type").asText());
    assertEquals("get_weather", anthropic.lastRequest().json().at("/tools/0/name").asText());
  }

  @Test
  void toolResult_sentBack_reachesEveryProviderInItsShape() {
    for (MockProviderServer<?> m : mocks()) m.replyToolCall("get_weather", "{\"city\":\"Paris\"}");
    for (String model : MODELS) {
      Message first = client.messages().create(ask(model).addTool(weatherTool()).build());
      ToolUseBlock call = first.content().stream().filter(b -> b.isToolUse()).findFirst().orElseThrow().asToolUse();
      for (MockProviderServer<?> m : mocks()) m.replyText("It is sunny in Paris.");
      MessageCreateParams followUp = ask(model).addTool(weatherTool()).addMessage(first)
          .addUserMessageOfContentBlockParams(List.of(ContentBlockParam.ofToolResult(
              ToolResultBlockParam.builder().toolUseId(call.id()).content("18 C, sunny").build())))
          .build();
      Message answer = client.messages().create(followUp);
      assertEquals("It is sunny in Paris.", answer.content().get(0).asText().text(), model);
      for (MockProviderServer<?> m : mocks()) m.replyToolCall("get_weather", "{\"city\":\"Paris\"}");
    }
    JsonNode o = openai.lastRequest().json().path("messages");
    JsonNode assistant = o.get(o.size() - 2);
    JsonNode tool = o.get(o.size() - 1);
    assertEquals("assistant", assistant.path("role").asText());
    assertEquals("get_weather", assistant.at("/tool_calls/0/function/name").asText());
    assertEquals("tool", tool.path("role").asText());
    assertEquals(assistant.at("/tool_calls/0/id").asText(), tool.path("tool_call_id").asText());
    assertEquals("18 C, sunny", tool.path("content").asText());
    JsonNode a = anthropic.lastRequest().json().path("messages");
    JsonNode result = a.get(a.size() - 1).at("/content/0");
    assertEquals("tool_result", result.path("type").asText());
    assertEquals("toolu_mock01", result.path("tool_use_id").asText());
    assertTrue(gemini.lastRequest().body().contains("functionResponse"), gemini.lastRequest().body());
  }

  // ---------------------------------------------------------------- count_tokens

  @Test
  void countTokens_estimatesAndGrowsWithTheInput() {
    long small = client.messages().countTokens(MessageCountTokensParams.builder().model("claude").addUserMessage("Hi.").build()).inputTokens();
    long large = client.messages().countTokens(MessageCountTokensParams.builder().model("claude").system("Be brief.")
        .addUserMessage("Tell me about the weather in Paris in spring, please. ".repeat(20)).build()).inputTokens();
    assertTrue(small >= 1, "small " + small);
    assertTrue(large > small * 20, small + " vs " + large);
    assertTrue(mocks().stream().allMatch(m -> m.requests().isEmpty()), "count_tokens sends nothing upstream");
    com.anthropic.errors.NotFoundException unknown = assertThrows(com.anthropic.errors.NotFoundException.class, () -> client.messages()
        .countTokens(MessageCountTokensParams.builder().model("no-such-model").addUserMessage("Hi.").build()));
    assertTrue(unknown.getMessage().contains("no-such-model"), unknown.getMessage());
  }

  // ---------------------------------------------------------------- errors

  @Test
  void missingMaxTokens_isAnAnthropic400NamingTheField() throws Exception {
    HttpResponse<String> r = post("{\"model\":\"gpt\",\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]}");
    assertAnthropicError(r, 400, "invalid_request_error", "max_tokens");
  }

  @Test
  void badRole_isAnAnthropic400NamingTheField_throughTheSdk() {
    MessageCreateParams p = MessageCreateParams.builder().model("gpt").maxTokens(10)
        .addMessage(UserMessageParam.builder().role(JsonValue.from("tool")).content("hi").build()).build();
    BadRequestException e = assertThrows(BadRequestException.class, () -> client.messages().create(p));
    assertEquals(400, e.statusCode());
    assertTrue(e.getMessage().contains("messages[0].role"), e.getMessage());
    assertEquals("invalid_request_error", e.body().convert(JsonNode.class).at("/error/type").asText());
    assertTrue(mocks().stream().allMatch(m -> m.requests().isEmpty()));
  }

  @Test
  void wrongContentBlockType_isAnAnthropic400NamingTheField() throws Exception {
    HttpResponse<String> r = post("{\"model\":\"gpt\",\"max_tokens\":10,\"messages\":[{\"role\":\"user\",\"content\":"
        + "[{\"type\":\"text\",\"text\":\"hi\"},{\"type\":\"video\",\"url\":\"x\"}]}]}");
    assertAnthropicError(r, 400, "invalid_request_error", "messages[0].content[1].type");
    r = post("{\"model\":\"gpt\",\"max_tokens\":10,\"messages\":[{\"role\":\"user\",\"content\":"
        + "[{\"type\":\"tool_use\",\"id\":\"t\",\"name\":\"n\",\"input\":{}}]}]}");
    assertAnthropicError(r, 400, "invalid_request_error", "messages[0].content[0].type");
  }

  @Test
  void untranslatableFields_areRefusedByName_notDropped() throws Exception {
    assertAnthropicError(post("{\"model\":\"gpt\",\"max_tokens\":10,\"thinking\":{\"type\":\"enabled\",\"budget_tokens\":1024},"
        + "\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]}"), 400, "invalid_request_error", "thinking");
    assertAnthropicError(post("{\"model\":\"gpt\",\"max_tokens\":10,\"tools\":[{\"type\":\"web_search_20250305\",\"name\":\"web_search\"}],"
        + "\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]}"), 400, "invalid_request_error", "tools[0].type");
    assertAnthropicError(post("{\"model\":\"gpt\",\"max_tokens\":10,\"frobnicate\":1,"
        + "\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]}"), 400, "invalid_request_error", "frobnicate");
  }

  @Test
  void unknownModelAndUpstreamFailure_areAnthropicShaped() throws Exception {
    HttpResponse<String> r = post("{\"model\":\"no-such-model\",\"max_tokens\":10,\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]}");
    assertEquals("error", TestRequests.json(r.body()).path("type").asText(), r.body());
    assertEquals(404, r.statusCode(), r.body());
    assertEquals("not_found_error", TestRequests.json(r.body()).at("/error/type").asText());
    openai.failWith(500, "boom");
    r = post("{\"model\":\"gpt\",\"max_tokens\":10,\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]}");
    assertEquals(502, r.statusCode(), r.body());
    assertEquals("api_error", TestRequests.json(r.body()).at("/error/type").asText());
    HttpResponse<String> unknownPath = post("/v1/messages/batches", "{}");
    assertEquals(404, unknownPath.statusCode());
    assertEquals("not_found_error", TestRequests.json(unknownPath.body()).at("/error/type").asText());
    HttpResponse<String> chat = gw.post("/v1/chat/completions", "{\"model\":\"gpt\"}");
    assertEquals("invalid_request_error", TestRequests.json(chat.body()).at("/error/type").asText(), "OpenAI shape stays on chat");
    assertEquals("messages", TestRequests.json(chat.body()).at("/error/param").asText());
  }

  private static HttpResponse<String> post(String body) throws Exception {
    return post("/v1/messages", body);
  }

  private static HttpResponse<String> post(String path, String body) throws Exception {
    return gw.post(path, body.getBytes(StandardCharsets.UTF_8), Map.of("anthropic-version", "2023-06-01", "x-api-key", "k"));
  }

  private static void assertAnthropicError(HttpResponse<String> r, int status, String type, String field) {
    assertEquals(status, r.statusCode(), r.body());
    JsonNode b = TestRequests.json(r.body());
    assertEquals("error", b.path("type").asText(), r.body());
    assertEquals(type, b.at("/error/type").asText(), r.body());
    assertTrue(b.at("/error/message").asText().contains(field), r.body());
    assertFalse(b.has("param") || b.path("error").has("param"), "Anthropic's shape has no param: " + r.body());
  }
}
