package dev.switchboard.router.testkit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.switchboard.router.providers.contract.SseEvent;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.RequestOptions;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** Wire details of the mock providers that the end-to-end gateway tests rely on. */
class MockProviderServersTest {
  private static Vertx vertx;
  private static HttpClient http;
  private static MockAnthropicServer anthropic;
  private static MockGeminiServer gemini;
  private static MockOpenAiServer openai;

  @BeforeAll
  static void start() throws Exception {
    vertx = Vertx.vertx();
    http = vertx.createHttpClient();
    anthropic = new MockAnthropicServer(vertx);
    gemini = new MockGeminiServer(vertx);
    openai = new MockOpenAiServer(vertx);
    await(Future.all(anthropic.start(), gemini.start(), openai.start()));
  }

  @AfterAll
  static void stop() throws Exception {
    await(vertx.close());
  }

  record Resp(int status, Map<String, String> headers, String body) {}

  private static Resp post(String url, Map<String, String> headers, String body) throws Exception {
    RequestOptions o = new RequestOptions().setMethod(HttpMethod.POST).setAbsoluteURI(url);
    headers.forEach(o::putHeader);
    Map<String, String> h = new HashMap<>();
    return await(OnContext.run(vertx, () -> http.request(o).compose(r -> r.send(body)).compose(r -> {
      r.headers().forEach(e -> h.put(e.getKey().toLowerCase(), e.getValue()));
      return r.body().map(b -> new Resp(r.statusCode(), h, b.toString(StandardCharsets.UTF_8)));
    })));
  }

  private static final Map<String, String> ANTHROPIC_HEADERS = Map.of("x-api-key", "k", "anthropic-version", "2023-06-01",
      "content-type", "application/json");

  @Test
  void anthropicStreamsNamedEventsInTheDocumentedOrder() throws Exception {
    anthropic.succeed().clearRequests().replyText("Hi there");
    Resp r = post(anthropic.baseUrl() + "/v1/messages", ANTHROPIC_HEADERS,
        "{\"model\":\"claude-x\",\"max_tokens\":10,\"stream\":true,\"messages\":[{\"role\":\"user\",\"content\":\"Hi\"}]}");
    assertTrue(r.headers().get("content-type").startsWith("text/event-stream"));
    List<String> names = SseStreams.parse(r.body()).stream().map(SseEvent::event).toList();
    assertEquals(List.of("message_start", "content_block_start", "ping", "content_block_delta", "content_block_delta",
        "content_block_stop", "message_delta", "message_stop"), names);
    RecordedRequest req = anthropic.lastRequest();
    assertEquals("/v1/messages", req.path());
    assertEquals("2023-06-01", req.header("Anthropic-Version"));
    assertEquals("claude-x", req.json().path("model").asText());
  }

  @Test
  void anthropicRejectsWhatTheRealApiRejects() throws Exception {
    anthropic.succeed().requireApiKey("k");
    Resp noMax = post(anthropic.baseUrl() + "/v1/messages", ANTHROPIC_HEADERS, "{\"model\":\"c\",\"messages\":[]}");
    assertEquals(400, noMax.status());
    assertEquals("invalid_request_error", TestRequests.json(noMax.body()).path("error").path("type").asText());
    Resp noVersion = post(anthropic.baseUrl() + "/v1/messages", Map.of("x-api-key", "k"), "{}");
    assertEquals(400, noVersion.status());
    Resp badKey = post(anthropic.baseUrl() + "/v1/messages", Map.of("x-api-key", "bad", "anthropic-version", "2023-06-01"), "{}");
    assertEquals(401, badKey.status());
    assertEquals("authentication_error", TestRequests.json(badKey.body()).path("error").path("type").asText());
    anthropic.requireApiKey(null);
  }

  @Test
  void failuresCountDownThenSucceed() throws Exception {
    anthropic.succeed().clearRequests().replyText("ok").failNext(2, 529, "Overloaded", Map.of("retry-after", "1"));
    String body = "{\"model\":\"c\",\"max_tokens\":5,\"messages\":[{\"role\":\"user\",\"content\":\"Hi\"}]}";
    Resp first = post(anthropic.baseUrl() + "/v1/messages", ANTHROPIC_HEADERS, body);
    assertEquals(529, first.status());
    assertEquals("1", first.headers().get("retry-after"));
    assertEquals("overloaded_error", TestRequests.json(first.body()).path("error").path("type").asText());
    assertEquals(529, post(anthropic.baseUrl() + "/v1/messages", ANTHROPIC_HEADERS, body).status());
    Resp third = post(anthropic.baseUrl() + "/v1/messages", ANTHROPIC_HEADERS, body);
    assertEquals(200, third.status());
    assertEquals("ok", TestRequests.json(third.body()).path("content").get(0).path("text").asText());
    assertEquals(3, anthropic.requests().size());
  }

  @Test
  void geminiStreamsSseOnlyWithAltSseAndAJsonArrayOtherwise() throws Exception {
    gemini.succeed().replyText("one two three");
    String body = "{\"contents\":[{\"role\":\"user\",\"parts\":[{\"text\":\"Hi\"}]}]}";
    Map<String, String> h = Map.of("x-goog-api-key", "k", "content-type", "application/json");
    Resp sse = post(gemini.baseUrl() + "/v1beta/models/gemini-2.0-flash:streamGenerateContent?alt=sse", h, body);
    assertTrue(sse.headers().get("content-type").startsWith("text/event-stream"));
    assertTrue(sse.body().contains("\r\n\r\n"), "Gemini separates events with CRLF");
    List<SseEvent> events = SseStreams.parse(sse.body());
    assertEquals(3, events.size());
    assertEquals("STOP", TestRequests.json(events.get(2).data()).path("candidates").get(0).path("finishReason").asText());
    Resp array = post(gemini.baseUrl() + "/v1beta/models/gemini-2.0-flash:streamGenerateContent", h, body);
    JsonNode arr = TestRequests.json(array.body());
    assertTrue(arr.isArray() && arr.size() == 3, array.body());
    assertEquals("gemini-2.0-flash", TestRequests.json(post(gemini.baseUrl() + "/v1beta/models/gemini-2.0-flash:generateContent", h, body)
        .body()).path("modelVersion").asText());
  }

  @Test
  void openAiStreamsUsageOnlyWhenAsked() throws Exception {
    openai.succeed().replyText("a b");
    Map<String, String> h = Map.of("authorization", "Bearer k", "content-type", "application/json");
    String base = "{\"model\":\"gpt\",\"stream\":true,\"messages\":[{\"role\":\"user\",\"content\":\"Hi\"}]%s}";
    List<SseEvent> plain = SseStreams.parse(post(openai.baseUrl() + "/chat/completions", h, base.formatted("")).body());
    assertEquals("[DONE]", plain.get(plain.size() - 1).data());
    assertTrue(plain.stream().noneMatch(e -> e.data().contains("\"prompt_tokens\"")));
    List<SseEvent> withUsage = SseStreams.parse(post(openai.baseUrl() + "/chat/completions", h,
        base.formatted(",\"stream_options\":{\"include_usage\":true}")).body());
    assertEquals(0, TestRequests.json(withUsage.get(withUsage.size() - 2).data()).path("choices").size());
  }

  private static <T> T await(Future<T> f) throws Exception {
    return f.toCompletionStage().toCompletableFuture().get(60, TimeUnit.SECONDS);
  }
}
