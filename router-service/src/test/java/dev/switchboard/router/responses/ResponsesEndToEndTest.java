package dev.switchboard.router.responses;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.openai.client.OpenAIClient;
import com.openai.client.okhttp.OpenAIOkHttpClient;
import com.openai.core.JsonValue;
import com.openai.core.http.StreamResponse;
import com.openai.errors.BadRequestException;
import com.openai.errors.NotFoundException;
import com.openai.models.responses.EasyInputMessage;
import com.openai.models.responses.FunctionTool;
import com.openai.models.responses.Response;
import com.openai.models.responses.ResponseCreateParams;
import com.openai.models.responses.ResponseFunctionToolCall;
import com.openai.models.responses.ResponseInputItem;
import com.openai.models.responses.ResponseStreamEvent;
import dev.switchboard.router.providers.chat.Json;
import dev.switchboard.router.testkit.GatewayHarness;
import dev.switchboard.router.testkit.MockAnthropicServer;
import dev.switchboard.router.testkit.MockOpenAiServer;
import io.vertx.core.Vertx;
import java.net.http.HttpResponse;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * {@code POST /v1/responses} through the official OpenAI SDK, translated to chat and routed to OpenAI and Anthropic
 * mock upstreams (their real wire formats): plain answers, the streaming event sequence in order, function calls and
 * their outputs both ways, {@code previous_response_id} continuations, {@code store: false}, retrieve and delete, and
 * bad input answered in OpenAI's error shape naming the field.
 */
class ResponsesEndToEndTest {
  private static Vertx vertx;
  private static MockOpenAiServer openai;
  private static MockAnthropicServer anthropic;
  private static GatewayHarness gw;
  private static OpenAIClient client;

  @BeforeAll
  static void start() throws Exception {
    vertx = Vertx.vertx();
    openai = new MockOpenAiServer(vertx);
    anthropic = new MockAnthropicServer(vertx);
    for (var m : List.of(openai, anthropic)) m.start().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
    gw = GatewayHarness.start("""
        resilience: { backoff_base_ms: 1, backoff_max_ms: 5 }
        deployments:
          - { name: gpt, provider: openai, base_url: %s, model: gpt-4o-mini, max_retries: 0, input_price_per_mtok: 1, output_price_per_mtok: 2 }
          - { name: claude, provider: anthropic, base_url: %s, api_key_env: AK, model: claude-3-5-haiku-latest, max_retries: 0 }
        routes:
          - { alias: smart, deployments: [claude, gpt] }
        """.formatted(openai.baseUrl(), anthropic.baseUrl()), null, o -> o.withEnv(Map.of("AK", "ak-1")::get));
    client = OpenAIOkHttpClient.builder().baseUrl(gw.baseUrl() + "/v1").apiKey("unused").maxRetries(0).build();
  }

  @AfterAll
  static void stop() throws Exception {
    client.close();
    gw.close();
    vertx.close().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
  }

  @BeforeEach
  void reset() {
    for (var m : List.of(openai, anthropic)) m.succeed().replyText("Hello from the mock.").usage(12, 7).clearRequests();
  }

  private static String text(Response r) {
    return r.output().stream().filter(o -> o.isMessage()).map(o -> o.asMessage().content().get(0).asOutputText().text()).findFirst().orElseThrow();
  }

  private static JsonNode sentMessages(MockOpenAiServer m) {
    return Json.tryRead(m.lastRequest().body()).path("messages");
  }

  private static final FunctionTool WEATHER = FunctionTool.builder().name("get_weather").strict(false)
      .parameters(FunctionTool.Parameters.builder().putAdditionalProperty("type", JsonValue.from("object"))
          .putAdditionalProperty("properties", JsonValue.from(Map.of("city", Map.of("type", "string")))).build()).build();

  // ---------------------------------------------------------------- plain

  @Test
  void plain_instructionsAndInput_translatedToChat_answeredAsResponse() {
    for (String model : List.of("gpt", "claude")) {
      Response r = client.responses().create(ResponseCreateParams.builder().model(model).instructions("Be brief.").input("Say hello.")
          .maxOutputTokens(50).temperature(0.2).build());
      assertEquals("Hello from the mock.", text(r), model);
      assertTrue(r.id().startsWith("resp_"), r.id());
      assertEquals("completed", r.status().orElseThrow().asString(), model);
      assertEquals(12, r.usage().orElseThrow().inputTokens(), model);
      assertEquals(7, r.usage().orElseThrow().outputTokens(), model);
      assertEquals(50, r.maxOutputTokens().orElseThrow());
    }
    JsonNode sent = Json.tryRead(openai.lastRequest().body());
    assertEquals("system", sent.path("messages").path(0).path("role").asText());
    assertEquals("Be brief.", sent.path("messages").path(0).path("content").asText());
    assertEquals("Say hello.", sent.path("messages").path(1).path("content").asText());
    assertEquals(50, sent.path("max_completion_tokens").asInt());
    JsonNode claude = Json.tryRead(anthropic.lastRequest().body());
    assertEquals("Be brief.", claude.path("system").asText(claude.path("system").path(0).path("text").asText()));
    assertEquals(50, claude.path("max_tokens").asInt());
  }

  // ---------------------------------------------------------------- streaming

  @Test
  void streaming_eventsInTheResponsesOrder_withSequenceNumbers() throws Exception {
    HttpResponse<String> raw = gw.post("/v1/responses", "{\"model\":\"gpt\",\"input\":\"Say hello.\",\"stream\":true}");
    assertEquals(200, raw.statusCode(), raw.body());
    assertTrue(raw.headers().firstValue("content-type").orElseThrow().startsWith("text/event-stream"));
    List<String> types = new ArrayList<>();
    StringBuilder deltas = new StringBuilder();
    int seq = 0;
    for (String block : raw.body().split("\n\n")) {
      if (block.isBlank()) continue;
      String[] lines = block.split("\n");
      assertTrue(lines[0].startsWith("event: "), block);
      JsonNode data = Json.tryRead(lines[1].substring("data: ".length()));
      assertEquals(lines[0].substring(7), data.path("type").asText());
      assertEquals(seq++, data.path("sequence_number").asInt(), block);
      types.add(data.path("type").asText());
      if (data.path("type").asText().equals("response.output_text.delta")) deltas.append(data.path("delta").asText());
    }
    List<String> expected = new ArrayList<>(List.of("response.created", "response.in_progress", "response.output_item.added",
        "response.content_part.added"));
    int pieces = types.size() - 8; // every event but the deltas is there once
    for (int i = 0; i < pieces; i++) expected.add("response.output_text.delta");
    expected.addAll(List.of("response.output_text.done", "response.content_part.done", "response.output_item.done", "response.completed"));
    assertEquals(expected, types);
    assertTrue(pieces > 1, "streamed in several deltas");
    assertEquals("Hello from the mock.", deltas.toString());
    assertFalse(raw.body().contains("[DONE]"), "no chat-completions terminator in a Responses stream");
  }

  @Test
  void streaming_throughTheSdk_textAndCompletedResponse_fromAnthropicToo() {
    for (String model : List.of("gpt", "claude")) {
      StringBuilder text = new StringBuilder();
      Response completed = null;
      List<ResponseStreamEvent> events = new ArrayList<>();
      try (StreamResponse<ResponseStreamEvent> s = client.responses().createStreaming(
          ResponseCreateParams.builder().model(model).input("Say hello.").build())) {
        s.stream().forEach(events::add);
      }
      for (ResponseStreamEvent e : events) {
        if (e.isOutputTextDelta()) text.append(e.asOutputTextDelta().delta());
        if (e.isCompleted()) completed = e.asCompleted().response();
      }
      assertTrue(events.get(0).isCreated() && events.get(1).isInProgress(), model);
      assertEquals("Hello from the mock.", text.toString(), model);
      assertEquals("Hello from the mock.", text(completed), model);
      assertEquals(7, completed.usage().orElseThrow().outputTokens(), model);
      // the streamed response is stored like a plain one
      assertEquals(completed.id(), client.responses().retrieve(completed.id()).id());
    }
  }

  @Test
  void streaming_functionCall_argumentsDeltaAndDone() throws Exception {
    openai.replyToolCall("get_weather", "{\"city\":\"Paris\"}");
    HttpResponse<String> raw = gw.post("/v1/responses", """
        {"model":"gpt","input":"Weather in Paris?","stream":true,
         "tools":[{"type":"function","name":"get_weather","parameters":{"type":"object"}}]}""");
    List<String> types = new ArrayList<>();
    JsonNode done = null;
    for (String block : raw.body().split("\n\n")) {
      if (block.isBlank()) continue;
      JsonNode data = Json.tryRead(block.split("\n")[1].substring(6));
      types.add(data.path("type").asText());
      if (data.path("type").asText().equals("response.function_call_arguments.done")) done = data;
    }
    assertEquals(List.of("response.created", "response.in_progress", "response.output_item.added", "response.function_call_arguments.delta",
        "response.function_call_arguments.done", "response.output_item.done", "response.completed"), types);
    assertEquals("{\"city\":\"Paris\"}", done.path("arguments").asText());
    assertEquals("get_weather", done.path("name").asText());
  }

  @Test
  void streaming_upstreamFailsMidStream_endsWithResponseFailed() throws Exception {
    openai.failMidStream("the model crashed");
    HttpResponse<String> raw = gw.post("/v1/responses", "{\"model\":\"gpt\",\"input\":\"Say hello.\",\"stream\":true}");
    String[] blocks = raw.body().trim().split("\n\n");
    JsonNode last = Json.tryRead(blocks[blocks.length - 1].split("\n")[1].substring(6));
    assertEquals("response.failed", last.path("type").asText(), raw.body());
    assertEquals("failed", last.path("response").path("status").asText());
    assertEquals("stream_interrupted", last.path("response").path("error").path("code").asText());
    assertTrue(last.path("response").path("error").path("message").asText().contains("the model crashed"), last.toString());
    assertEquals(blocks.length - 1, last.path("sequence_number").asInt());
  }

  // ---------------------------------------------------------------- tools

  @Test
  void tools_functionCallOut_thenFunctionCallOutputBack_asChatToolMessages() {
    openai.replyToolCall("get_weather", "{\"city\":\"Paris\"}");
    Response first = client.responses().create(ResponseCreateParams.builder().model("gpt").input("Weather in Paris?").addTool(WEATHER)
        .toolChoice(com.openai.models.responses.ToolChoiceOptions.REQUIRED).build());
    ResponseFunctionToolCall call = first.output().get(0).asFunctionCall();
    assertEquals("get_weather", call.name());
    assertEquals("{\"city\":\"Paris\"}", call.arguments());
    assertEquals("call_mock01", call.callId());
    JsonNode sent = Json.tryRead(openai.lastRequest().body());
    assertEquals("get_weather", sent.path("tools").path(0).path("function").path("name").asText());
    assertEquals("required", sent.path("tool_choice").asText());

    // the SDK's own items sent back: the function call and its output, without previous_response_id
    openai.replyText("It is sunny in Paris.");
    Response second = client.responses().create(ResponseCreateParams.builder().model("gpt").addTool(WEATHER).inputOfResponse(List.of(
        ResponseInputItem.ofEasyInputMessage(EasyInputMessage.builder().role(EasyInputMessage.Role.USER).content("Weather in Paris?").build()),
        ResponseInputItem.ofFunctionCall(call),
        ResponseInputItem.ofFunctionCallOutput(ResponseInputItem.FunctionCallOutput.builder().callId(call.callId()).output("sunny").build())))
        .build());
    assertEquals("It is sunny in Paris.", text(second));
    JsonNode messages = sentMessages(openai);
    assertEquals(3, messages.size(), messages.toString());
    assertEquals("call_mock01", messages.path(1).path("tool_calls").path(0).path("id").asText());
    assertEquals("get_weather", messages.path(1).path("tool_calls").path(0).path("function").path("name").asText());
    assertEquals("tool", messages.path(2).path("role").asText());
    assertEquals("call_mock01", messages.path(2).path("tool_call_id").asText());
    assertEquals("sunny", messages.path(2).path("content").asText());

    // the same round trip on Anthropic: tool_use out, tool_result back
    anthropic.replyToolCall("get_weather", "{\"city\":\"Paris\"}");
    Response c1 = client.responses().create(ResponseCreateParams.builder().model("claude").input("Weather in Paris?").addTool(WEATHER).build());
    ResponseFunctionToolCall cc = c1.output().get(0).asFunctionCall();
    anthropic.replyText("Sunny.");
    Response c2 = client.responses().create(ResponseCreateParams.builder().model("claude").previousResponseId(c1.id()).addTool(WEATHER)
        .inputOfResponse(List.of(ResponseInputItem.ofFunctionCallOutput(
            ResponseInputItem.FunctionCallOutput.builder().callId(cc.callId()).output("sunny").build()))).build());
    assertEquals("Sunny.", text(c2));
    String body = anthropic.lastRequest().body();
    assertTrue(body.contains("\"tool_use\"") && body.contains("\"tool_result\"") && body.contains(cc.callId()), body);
  }

  // ---------------------------------------------------------------- previous_response_id and the store

  @Test
  void previousResponseId_continuesTheConversation_withoutTheOldInstructions() {
    Response r1 = client.responses().create(ResponseCreateParams.builder().model("gpt").instructions("Old rules.").input("My name is Ada.").build());
    anthropic.replyText("Your name is Ada.");
    Response r2 = client.responses().create(ResponseCreateParams.builder().model("smart").previousResponseId(r1.id())
        .instructions("New rules.").input("What is my name?").build());
    assertEquals("Your name is Ada.", text(r2));
    assertEquals(r1.id(), r2.previousResponseId().orElseThrow());
    // "smart" answered from claude (first in the route); its upstream saw the whole conversation
    String claude = anthropic.lastRequest().body();
    assertTrue(claude.contains("My name is Ada.") && claude.contains("Hello from the mock.") && claude.contains("What is my name?"), claude);
    assertTrue(claude.contains("New rules.") && !claude.contains("Old rules."), claude);
    // retrieve, then delete: gone
    assertEquals(r2.id(), client.responses().retrieve(r2.id()).id());
    client.responses().delete(r2.id());
    NotFoundException gone = assertThrows(NotFoundException.class, () -> client.responses().retrieve(r2.id()));
    assertEquals("response_not_found", gone.code().orElseThrow());
  }

  @Test
  void storeFalse_isNotKept_soItCannotBeContinued() {
    Response r = client.responses().create(ResponseCreateParams.builder().model("gpt").input("Hi.").store(false).build());
    assertThrows(NotFoundException.class, () -> client.responses().retrieve(r.id()));
    BadRequestException e = assertThrows(BadRequestException.class, () -> client.responses().create(
        ResponseCreateParams.builder().model("gpt").input("Again.").previousResponseId(r.id()).build()));
    assertEquals("previous_response_id", e.param().orElseThrow());
    assertEquals("previous_response_not_found", e.code().orElseThrow());
  }

  // ---------------------------------------------------------------- bad input

  @Test
  void badInput_openAiErrorShapeNamingTheField() throws Exception {
    String[][] cases = {
        {"{\"model\":\"gpt\"}", "input"},
        {"{\"input\":\"hi\"}", "model"},
        {"{\"model\":\"gpt\",\"input\":\"hi\",\"tools\":[{\"type\":\"web_search\"}]}", "tools[0].type"},
        {"{\"model\":\"gpt\",\"input\":[{\"type\":\"reasoning\",\"summary\":[]}]}", "input[0].type"},
        {"{\"model\":\"gpt\",\"input\":[{\"type\":\"function_call_output\",\"output\":\"x\"}]}", "input[0].call_id"},
        {"{\"model\":\"gpt\",\"input\":[{\"role\":\"robot\",\"content\":\"x\"}]}", "input[0].role"},
        {"{\"model\":\"gpt\",\"input\":\"hi\",\"temperature\":5}", "temperature"},
        {"{\"model\":\"gpt\",\"input\":\"hi\",\"max_output_tokens\":0}", "max_output_tokens"},
        {"{\"model\":\"gpt\",\"input\":\"hi\",\"frobnicate\":1}", "frobnicate"},
        {"{\"model\":\"gpt\",\"input\":\"hi\",\"store\":\"yes\"}", "store"},
        {"{\"model\":\"gpt\",\"input\":\"hi\",\"tool_choice\":{\"type\":\"file_search\"}}", "tool_choice"},
    };
    for (String[] c : cases) {
      HttpResponse<String> r = gw.post("/v1/responses", c[0]);
      assertEquals(400, r.statusCode(), c[0] + " -> " + r.body());
      JsonNode e = Json.tryRead(r.body()).path("error");
      assertEquals(c[1], e.path("param").asText(), r.body());
      assertEquals("invalid_request_error", e.path("type").asText());
    }
    assertEquals(404, gw.post("/v1/responses", "{\"model\":\"nope\",\"input\":\"hi\"}").statusCode());
    assertEquals(404, gw.get("/v1/responses/resp_unknown").statusCode());
    assertTrue(openai.requests().isEmpty(), "nothing bad reached the upstream");
  }
}
