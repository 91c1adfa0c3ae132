package dev.switchboard.router.upstream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.openai.client.OpenAIClient;
import com.openai.client.okhttp.OpenAIOkHttpClient;
import com.openai.core.http.StreamResponse;
import com.openai.models.chat.completions.ChatCompletion;
import com.openai.models.chat.completions.ChatCompletionChunk;
import com.openai.models.chat.completions.ChatCompletionCreateParams;
import com.openai.models.chat.completions.ChatCompletionStreamOptions;
import dev.switchboard.router.config.Deployment;
import dev.switchboard.router.providers.contract.ChatRequest;
import dev.switchboard.router.providers.contract.ChatResult;
import dev.switchboard.router.providers.contract.ErrorKind;
import dev.switchboard.router.providers.OpenAiCompatibleProvider;
import dev.switchboard.router.config.ProviderKind;
import dev.switchboard.router.providers.contract.SseEvent;
import dev.switchboard.router.providers.contract.StreamTranslator;
import dev.switchboard.router.providers.contract.UpstreamRequest;
import dev.switchboard.router.providers.contract.Usage;
import dev.switchboard.router.providers.sse.SseParser;
import dev.switchboard.router.testkit.ChunkAssembler;
import dev.switchboard.router.testkit.OnContext;
import dev.switchboard.router.testkit.TestDeployments;
import dev.switchboard.router.testkit.TestRequests;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.RequestOptions;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

class RecordedUpstreamTest {
  private static final String PROMPT = "Explain   recursion\nin one sentence.";
  private static final String ANSWER = "Recursion is when a function calls itself,\n\neach time on a smaller piece of the problem — ✓.";
  private static Vertx vertx;
  private static HttpClient http;
  private static RecordedUpstream upstream;
  private static RecordedUpstream slowUpstream;

  @BeforeAll
  static void start() throws Exception {
    vertx = Vertx.vertx();
    http = vertx.createHttpClient();
    InMemoryRecordedAnswers answers = new InMemoryRecordedAnswers()
        .add("gpt-4o-mini", "Explain recursion in one sentence.", ANSWER, 14, 23)
        .add("llama-3-8b", "Explain recursion in one sentence.", "A function calling itself.", 0, 0);
    upstream = new RecordedUpstream(answers, RecordedUpstreamOptions.immediate());
    slowUpstream = new RecordedUpstream(answers, new RecordedUpstreamOptions("127.0.0.1", 0, LatencyProfile.NONE,
        Map.of("gpt-4o-mini", new LatencyProfile(30, 400))));
    await(vertx.deployVerticle(upstream));
    await(vertx.deployVerticle(slowUpstream));
  }

  @AfterAll
  static void stop() throws Exception {
    await(vertx.close());
  }

  record Response(int status, Map<String, String> headers, String body) {
    JsonNode json() {
      return TestRequests.json(body);
    }
  }

  private static Response call(RecordedUpstream u, HttpMethod method, String path, String body) throws Exception {
    RequestOptions o = new RequestOptions().setMethod(method).setAbsoluteURI("http://127.0.0.1:" + u.port() + path)
        .putHeader("content-type", "application/json");
    Map<String, String> headers = new HashMap<>();
    return await(OnContext.run(vertx, () -> http.request(o).compose(r -> body == null ? r.send() : r.send(body)).compose(resp -> {
      resp.headers().forEach(h -> headers.put(h.getKey().toLowerCase(), h.getValue()));
      return resp.body().map(b -> new Response(resp.statusCode(), headers, b.toString(StandardCharsets.UTF_8)));
    })));
  }

  private static String request(String model, boolean stream, String extra) {
    return "{\"model\":\"" + model + "\",\"stream\":" + stream + ",\"messages\":[{\"role\":\"system\",\"content\":\"Be brief.\"},"
        + "{\"role\":\"user\",\"content\":\"Earlier question\"},{\"role\":\"assistant\",\"content\":\"Earlier answer\"},"
        + "{\"role\":\"user\",\"content\":[{\"type\":\"text\",\"text\":\"Explain   recursion\"},{\"type\":\"text\",\"text\":\"in one sentence.\"}]}]"
        + extra + "}";
  }

  @Test
  void answersWithTheRecordedResponseToTheLastUserMessage() throws Exception {
    Response r = call(upstream, HttpMethod.POST, "/v1/chat/completions", request("gpt-4o-mini", false, ""));
    assertEquals(200, r.status(), r.body());
    assertEquals("true", r.headers().get("x-recorded"));
    assertTrue(r.headers().get("content-type").startsWith("application/json"));
    JsonNode c = r.json();
    assertEquals("chat.completion", c.path("object").asText());
    assertEquals("gpt-4o-mini", c.path("model").asText());
    assertTrue(c.path("id").asText().startsWith("chatcmpl-"));
    JsonNode choice = c.path("choices").get(0);
    assertEquals(ANSWER, choice.path("message").path("content").asText());
    assertEquals("assistant", choice.path("message").path("role").asText());
    assertEquals("stop", choice.path("finish_reason").asText());
    assertEquals(14, c.path("usage").path("prompt_tokens").asInt());
    assertEquals(23, c.path("usage").path("completion_tokens").asInt());
    assertEquals(37, c.path("usage").path("total_tokens").asInt());
  }

  /**
   * Issue #16: the recorded provider answered {@code tools}, {@code response_format: json_object} and {@code n > 1}
   * with one recorded plain-text choice, as if the field had been honoured. It now refuses each by name.
   */
  @Test
  void unsupportedFields_areRefusedByName_issue16() throws Exception {
    String tools = ",\"tools\":[{\"type\":\"function\",\"function\":{\"name\":\"get_weather\",\"parameters\":{\"type\":\"object\"}}}]";
    for (String[] c : new String[][] {{tools, "tools"}, {",\"response_format\":{\"type\":\"json_object\"}", "response_format"}, {",\"n\":2", "n"}}) {
      Response r = call(upstream, HttpMethod.POST, "/v1/chat/completions", request("gpt-4o-mini", false, c[0]));
      assertEquals(400, r.status(), r.body());
      assertEquals(c[1], r.json().at("/error/param").asText(), r.body());
      assertTrue(r.json().at("/error/message").asText().contains("'" + c[1] + "'"), r.body());
    }
    Response plain = call(upstream, HttpMethod.POST, "/v1/chat/completions",
        request("gpt-4o-mini", false, ",\"response_format\":{\"type\":\"text\"},\"n\":1,\"tools\":[]"));
    assertEquals(200, plain.status(), plain.body());
  }

  @Test
  void missingTokenCountsAreEstimated() throws Exception {
    JsonNode c = call(upstream, HttpMethod.POST, "/v1/chat/completions", request("llama-3-8b", false, "")).json();
    assertEquals("A function calling itself.", c.path("choices").get(0).path("message").path("content").asText());
    assertEquals(RecordedReply.estimateTokens("A function calling itself.".length()), c.path("usage").path("completion_tokens").asLong());
    assertTrue(c.path("usage").path("prompt_tokens").asLong() > 0);
  }

  @Test
  void unknownPromptOrModelGetsASyntheticAnswerThatSaysSo() throws Exception {
    Response unknownModel = call(upstream, HttpMethod.POST, "/v1/chat/completions", request("mystery-model", false, ""));
    assertEquals(200, unknownModel.status());
    assertEquals("false", unknownModel.headers().get("x-recorded"));
    String text = unknownModel.json().path("choices").get(0).path("message").path("content").asText();
    assertEquals(RecordedReply.synthetic("mystery-model"), text);
    assertTrue(text.contains("No recording of mystery-model") && text.contains("synthetic"));
    Response unknownPrompt = call(upstream, HttpMethod.POST, "/v1/chat/completions",
        "{\"model\":\"gpt-4o-mini\",\"messages\":[{\"role\":\"user\",\"content\":\"never recorded\"}]}");
    assertEquals("false", unknownPrompt.headers().get("x-recorded"));
    assertEquals(RecordedReply.estimateTokens("never recorded".length()), unknownPrompt.json().path("usage").path("prompt_tokens").asLong());
  }

  @Test
  void maxTokensCutsTheAnswerWithFinishReasonLength() throws Exception {
    JsonNode c = call(upstream, HttpMethod.POST, "/v1/chat/completions", request("gpt-4o-mini", false, ",\"max_tokens\":3")).json();
    assertEquals("length", c.path("choices").get(0).path("finish_reason").asText());
    assertEquals(3, c.path("usage").path("completion_tokens").asInt());
    assertEquals(ANSWER.substring(0, 12), c.path("choices").get(0).path("message").path("content").asText());
  }

  private static List<SseEvent> events(String body) {
    SseParser p = new SseParser();
    List<SseEvent> out = new ArrayList<>(p.feed(body));
    out.addAll(p.finish());
    return out;
  }

  @Test
  void streamsWordChunksWithUsageWhenAskedAndDoneAtTheEnd() throws Exception {
    for (RecordedUpstream u : List.of(upstream, slowUpstream)) {
      Response r = call(u, HttpMethod.POST, "/v1/chat/completions",
          request("gpt-4o-mini", true, ",\"stream_options\":{\"include_usage\":true}"));
      assertEquals(200, r.status());
      assertTrue(r.headers().get("content-type").startsWith("text/event-stream"));
      assertEquals("true", r.headers().get("x-recorded"));
      List<SseEvent> events = events(r.body());
      assertEquals("[DONE]", events.get(events.size() - 1).data());
      ChunkAssembler a = new ChunkAssembler();
      events.subList(0, events.size() - 1).forEach(e -> a.accept(e.data()));
      assertEquals(ANSWER, a.content());
      assertEquals("assistant", a.role());
      assertEquals("stop", a.finishReason());
      assertEquals(37, a.usage().path("total_tokens").asInt());
      JsonNode last = TestRequests.json(events.get(events.size() - 2).data());
      assertEquals(0, last.path("choices").size(), "usage chunk has empty choices");
      // one chunk per word, plus role and finish chunks
      assertEquals(ANSWER.split("\\s+").length + 3, events.size() - 1);
    }
  }

  @Test
  void streamWithoutIncludeUsageHasNoUsageChunk() throws Exception {
    Response r = call(upstream, HttpMethod.POST, "/v1/chat/completions", request("gpt-4o-mini", true, ""));
    List<SseEvent> events = events(r.body());
    ChunkAssembler a = new ChunkAssembler();
    events.subList(0, events.size() - 1).forEach(e -> a.accept(e.data()));
    assertNull(a.usage());
    assertFalse(r.body().contains("\"usage\""));
    assertEquals(ANSWER, a.content());
  }

  @Test
  void malformedRequestsGetOpenAiShaped400s() throws Exception {
    Response notJson = call(upstream, HttpMethod.POST, "/v1/chat/completions", "{not json");
    assertEquals(400, notJson.status());
    assertEquals("invalid_request_error", notJson.json().path("error").path("type").asText());
    assertFalse(notJson.json().path("error").path("message").asText().isEmpty());
    Response noModel = call(upstream, HttpMethod.POST, "/v1/chat/completions", "{\"messages\":[{\"role\":\"user\",\"content\":\"x\"}]}");
    assertEquals(400, noModel.status());
    assertEquals("model", noModel.json().path("error").path("param").asText());
    Response noMessages = call(upstream, HttpMethod.POST, "/v1/chat/completions", "{\"model\":\"m\",\"messages\":[]}");
    assertEquals("messages", noMessages.json().path("error").path("param").asText());
    Response badRole = call(upstream, HttpMethod.POST, "/v1/chat/completions", "{\"model\":\"m\",\"messages\":[{\"role\":\"robot\",\"content\":\"x\"}]}");
    assertEquals(400, badRole.status());
    Response badStream = call(upstream, HttpMethod.POST, "/v1/chat/completions", "{\"model\":\"m\",\"stream\":\"yes\",\"messages\":[{\"role\":\"user\",\"content\":\"x\"}]}");
    assertEquals("stream", badStream.json().path("error").path("param").asText());
    assertEquals(ErrorKind.BAD_REQUEST, OpenAiCompatibleProvider.INSTANCE.classifyError(noModel.status(), noModel.headers(),
        noModel.body().getBytes(StandardCharsets.UTF_8)).kind());
    assertEquals(404, call(upstream, HttpMethod.POST, "/v1/embeddings", "{}").status());
    assertEquals(405, call(upstream, HttpMethod.GET, "/v1/chat/completions", null).status());
  }

  @Test
  void listsRecordedModels() throws Exception {
    JsonNode list = call(upstream, HttpMethod.GET, "/v1/models", null).json();
    assertEquals("list", list.path("object").asText());
    List<String> ids = new ArrayList<>();
    list.path("data").forEach(m -> {
      ids.add(m.path("id").asText());
      assertEquals("model", m.path("object").asText());
    });
    assertEquals(List.of("gpt-4o-mini", "llama-3-8b"), ids);
  }

  private static Deployment recordedDeployment(String model) {
    return TestDeployments.of(ProviderKind.RECORDED, upstream.baseUrl(), model);
  }

  private static String send(UpstreamRequest up) throws Exception {
    RequestOptions o = new RequestOptions().setMethod(HttpMethod.POST).setAbsoluteURI(up.url());
    up.headers().forEach(o::putHeader);
    return await(OnContext.run(vertx, () -> http.request(o).compose(r -> r.send(Buffer.buffer(up.body()))).compose(r -> r.body())))
        .toString(StandardCharsets.UTF_8);
  }

  @Test
  void worksThroughTheOpenAiAdapter() throws Exception {
    Deployment d = recordedDeployment("gpt-4o-mini");
    ChatRequest plain = TestRequests.chat(request("route-alias", false, ""));
    ChatResult result = OpenAiCompatibleProvider.INSTANCE.fromUpstream(d, plain,
        send(OpenAiCompatibleProvider.INSTANCE.toUpstream(d, plain, null)).getBytes(StandardCharsets.UTF_8));
    assertEquals(new Usage(14, 23), result.usage());
    assertEquals(ANSWER, result.completion().path("choices").get(0).path("message").path("content").asText());

    // The client did not ask for usage; the adapter asks upstream anyway and withholds the chunk.
    ChatRequest streaming = TestRequests.chat(request("route-alias", true, ""));
    StreamTranslator t = OpenAiCompatibleProvider.INSTANCE.streamTranslator(d, streaming);
    ChunkAssembler a = new ChunkAssembler();
    for (SseEvent e : events(send(OpenAiCompatibleProvider.INSTANCE.toUpstream(d, streaming, null)))) t.onEvent(e).forEach(a::accept);
    assertTrue(t.finished());
    assertEquals(new Usage(14, 23), t.usage());
    assertEquals(37, TestRequests.json(t.usageChunk()).path("usage").path("total_tokens").asInt());
    assertEquals(ANSWER, a.content());
    assertNull(a.usage());
  }

  @Test
  void theOfficialOpenAiJavaSdkUnderstandsIt() {
    OpenAIClient client = OpenAIOkHttpClient.builder().baseUrl(upstream.baseUrl()).apiKey("unused").maxRetries(0).build();
    try {
      ChatCompletionCreateParams params = ChatCompletionCreateParams.builder().model("gpt-4o-mini")
          .addUserMessage("Explain recursion in one sentence.").build();
      ChatCompletion completion = client.chat().completions().create(params);
      assertEquals(ANSWER, completion.choices().get(0).message().content().orElseThrow());
      assertEquals(23, completion.usage().orElseThrow().completionTokens());
      ChatCompletionCreateParams streamParams = params.toBuilder()
          .streamOptions(ChatCompletionStreamOptions.builder().includeUsage(true).build()).build();
      try (StreamResponse<ChatCompletionChunk> stream = client.chat().completions().createStreaming(streamParams)) {
        List<ChatCompletionChunk> chunks = stream.stream().collect(Collectors.toList());
        String text = chunks.stream().flatMap(c -> c.choices().stream()).map(ch -> ch.delta().content().orElse(""))
            .collect(Collectors.joining());
        assertEquals(ANSWER, text);
        assertEquals(37, chunks.get(chunks.size() - 1).usage().orElseThrow().totalTokens());
      }
    } finally {
      client.close();
    }
  }

  private static <T> T await(Future<T> f) throws Exception {
    return f.toCompletionStage().toCompletableFuture().get(60, TimeUnit.SECONDS);
  }
}
