package dev.switchboard.router.providers;

import dev.switchboard.router.providers.contract.ChatRequest;
import dev.switchboard.router.providers.contract.ChatResult;
import dev.switchboard.router.providers.contract.ErrorKind;
import dev.switchboard.router.providers.contract.ProviderException;
import dev.switchboard.router.providers.contract.SseEvent;
import dev.switchboard.router.providers.contract.StreamTranslator;
import dev.switchboard.router.providers.contract.UpstreamError;
import dev.switchboard.router.providers.contract.UpstreamRequest;
import dev.switchboard.router.providers.contract.Usage;
import dev.switchboard.router.config.ProviderKind;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.DynamicTest.dynamicTest;

import com.fasterxml.jackson.databind.JsonNode;
import dev.switchboard.router.config.Deployment;
import dev.switchboard.router.providers.sse.SseParser;
import dev.switchboard.router.testkit.ChunkAssembler;
import dev.switchboard.router.testkit.MockAnthropicServer;
import dev.switchboard.router.testkit.MockGeminiServer;
import dev.switchboard.router.testkit.MockOpenAiServer;
import dev.switchboard.router.testkit.MockProviderServer;
import dev.switchboard.router.testkit.OnContext;
import dev.switchboard.router.testkit.TestDeployments;
import dev.switchboard.router.testkit.TestRequests;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.RequestOptions;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.EnumSet;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;

/**
 * The same scenarios against every {@link Provider}, end to end over HTTP: adapter request ->
 * wire-faithful mock provider -> adapter response/stream translation/error classification.
 * Each case declares the scenarios it supports.
 */
class ProviderConformanceTest {
  enum Scenario { TEXT, TEXT_STREAM, TOOL_CALL, TOOL_CALL_STREAM, RATE_LIMITED, OVERLOADED, BAD_KEY, MID_STREAM_ERROR }

  record Case(String name, Provider provider, MockProviderServer<?> mock, Deployment deployment, int overloadStatus, Set<Scenario> supports) {}

  private static final String TEXT = "The quick brown fox jumps over the lazy dog. Ünïcödé ✓";
  private static final String TOOL_ARGS = "{\"city\":\"Paris\",\"days\":[1,2]}";
  private static Vertx vertx;
  private static HttpClient http;
  private static List<Case> cases;

  @BeforeAll
  static void start() throws Exception {
    vertx = Vertx.vertx();
    http = vertx.createHttpClient();
    MockOpenAiServer openai = new MockOpenAiServer(vertx);
    MockAnthropicServer anthropic = new MockAnthropicServer(vertx);
    MockGeminiServer gemini = new MockGeminiServer(vertx);
    await(Future.all(openai.start(), anthropic.start(), gemini.start()));
    Set<Scenario> all = EnumSet.allOf(Scenario.class);
    cases = List.of(
        new Case("openai", OpenAiCompatibleProvider.INSTANCE, openai,
            TestDeployments.of(ProviderKind.OPENAI, openai.baseUrl(), "gpt-4o-mini"), 503, all),
        new Case("azure", OpenAiCompatibleProvider.INSTANCE, openai,
            TestDeployments.of(ProviderKind.AZURE, openai.azureBaseUrl(), "my-gpt4o"), 503, all),
        new Case("anthropic", AnthropicProvider.INSTANCE, anthropic,
            TestDeployments.of(ProviderKind.ANTHROPIC, anthropic.baseUrl(), "claude-3-5-haiku-20241022"), 529, all),
        new Case("gemini", GeminiProvider.INSTANCE, gemini,
            TestDeployments.of(ProviderKind.GEMINI, gemini.baseUrl(), "gemini-2.0-flash"), 503, all));
  }

  @AfterAll
  static void stop() throws Exception {
    await(vertx.close());
  }

  @Test
  void everyPermittedProviderHasACase() {
    Set<Class<?>> covered = cases.stream().map(c -> c.provider().getClass()).collect(Collectors.toSet());
    assertEquals(Set.of(Provider.class.getPermittedSubclasses()), covered);
  }

  @TestFactory
  Stream<DynamicTest> scenarios() {
    List<DynamicTest> tests = new ArrayList<>();
    for (Case c : cases) {
      for (Scenario s : c.supports()) tests.add(dynamicTest(c.name() + " " + s, () -> run(c, s)));
    }
    return tests.stream();
  }

  private static void run(Case c, Scenario s) throws Exception {
    c.mock().succeed().clearRequests().requireApiKey("right-key").usage(21, 13).replyText(TEXT);
    String tools = ",\"tools\":[{\"type\":\"function\",\"function\":{\"name\":\"get_weather\",\"parameters\":{\"type\":\"object\",\"properties\":{\"city\":{\"type\":\"string\"}}}}}]";
    boolean stream = s == Scenario.TEXT_STREAM || s == Scenario.TOOL_CALL_STREAM || s == Scenario.MID_STREAM_ERROR;
    String json = "{\"model\":\"alias\",\"stream\":" + stream + ",\"messages\":[{\"role\":\"system\",\"content\":\"Be brief.\"},"
        + "{\"role\":\"user\",\"content\":\"What's the weather in Paris?\"}]" + tools + "}";
    ChatRequest request = TestRequests.chat(json);
    String key = "right-key";
    switch (s) {
      case TOOL_CALL, TOOL_CALL_STREAM -> c.mock().replyToolCall("get_weather", TOOL_ARGS);
      case RATE_LIMITED -> c.mock().failNext(1, 429, "Too many requests, slow down", Map.of("retry-after", "3"));
      case OVERLOADED -> c.mock().failNext(1, c.overloadStatus(), "The model is overloaded");
      case BAD_KEY -> key = "wrong-key";
      case MID_STREAM_ERROR -> c.mock().failMidStream("Overloaded mid-stream");
      default -> { }
    }
    UpstreamRequest up = c.provider().toUpstream(c.deployment(), request, key);
    Response resp = send(up);
    assertEquals(1, c.mock().requests().size(), "one request reached the mock");

    switch (s) {
      case TEXT, TOOL_CALL -> {
        assertEquals(200, resp.status(), resp.bodyText());
        ChatResult result = c.provider().fromUpstream(c.deployment(), request, resp.body());
        assertEquals(new Usage(21, 13), result.usage());
        JsonNode choice = result.completion().path("choices").get(0);
        assertEquals("chat.completion", result.completion().path("object").asText());
        if (s == Scenario.TEXT) {
          assertEquals(TEXT, choice.path("message").path("content").asText());
          assertEquals("stop", choice.path("finish_reason").asText());
        } else {
          assertEquals("tool_calls", choice.path("finish_reason").asText());
          JsonNode call = choice.path("message").path("tool_calls").get(0);
          assertEquals("get_weather", call.path("function").path("name").asText());
          assertFalse(call.path("id").asText().isEmpty());
          assertEquals(TestRequests.json(TOOL_ARGS), TestRequests.json(call.path("function").path("arguments").asText()));
        }
      }
      case TEXT_STREAM, TOOL_CALL_STREAM -> {
        assertEquals(200, resp.status(), resp.bodyText());
        assertTrue(resp.contentType().startsWith("text/event-stream"), resp.contentType());
        StreamTranslator t = c.provider().streamTranslator(c.deployment(), request);
        ChunkAssembler a = new ChunkAssembler();
        for (SseEvent e : resp.events()) t.onEvent(e).forEach(a::accept);
        t.onEnd().forEach(a::accept);
        assertTrue(t.finished(), "terminal event seen");
        assertEquals(new Usage(21, 13), t.usage());
        assertEquals(34, TestRequests.json(t.usageChunk()).path("usage").path("total_tokens").asInt());
        assertEquals("assistant", a.role());
        if (s == Scenario.TEXT_STREAM) {
          assertEquals(TEXT, a.content());
          assertEquals("stop", a.finishReason());
        } else {
          assertEquals("tool_calls", a.finishReason());
          assertEquals(1, a.toolCalls().size());
          assertEquals("get_weather", a.toolCalls().get(0).path("function").path("name").asText());
          assertEquals(TestRequests.json(TOOL_ARGS), TestRequests.json(a.toolCalls().get(0).path("function").path("arguments").asText()));
        }
        a.chunks().forEach(ch -> assertFalse(ch.path("usage").isObject(), "usage withheld from content chunks"));
      }
      case RATE_LIMITED -> {
        UpstreamError e = c.provider().classifyError(resp.status(), resp.headers(), resp.body());
        assertEquals(ErrorKind.RATE_LIMITED, e.kind());
        assertEquals("Too many requests, slow down", e.message());
        assertEquals(3000, e.retryAfterMs());
      }
      case OVERLOADED -> {
        UpstreamError e = c.provider().classifyError(resp.status(), resp.headers(), resp.body());
        assertEquals(ErrorKind.OVERLOADED, e.kind());
        assertTrue(e.kind().retriable());
      }
      case BAD_KEY -> {
        assertTrue(resp.status() >= 400);
        assertEquals(ErrorKind.AUTH, c.provider().classifyError(resp.status(), resp.headers(), resp.body()).kind());
      }
      case MID_STREAM_ERROR -> {
        assertEquals(200, resp.status());
        StreamTranslator t = c.provider().streamTranslator(c.deployment(), request);
        ProviderException e = assertThrows(ProviderException.class, () -> {
          for (SseEvent ev : resp.events()) t.onEvent(ev);
        });
        assertTrue(e.error().kind().retriable(), e.error().toString());
        assertEquals("Overloaded mid-stream", e.error().message());
        assertFalse(t.finished());
      }
    }
  }

  record Response(int status, Map<String, String> headers, byte[] body, List<SseEvent> events) {
    String bodyText() {
      return new String(body, java.nio.charset.StandardCharsets.UTF_8);
    }

    String contentType() {
      return headers.getOrDefault("content-type", "");
    }
  }

  /** Sends an adapter's request as the gateway would, parsing SSE incrementally as buffers arrive. */
  private static Response send(UpstreamRequest up) throws Exception {
    RequestOptions opts = new RequestOptions().setMethod(HttpMethod.valueOf(up.method())).setAbsoluteURI(up.url());
    up.headers().forEach(opts::putHeader);
    SseParser parser = new SseParser();
    List<SseEvent> events = new ArrayList<>();
    Buffer all = Buffer.buffer();
    Map<String, String> headers = new HashMap<>();
    int status = await(OnContext.run(vertx, () -> http.request(opts).compose(req -> req.send(Buffer.buffer(up.body()))).compose(resp -> {
      resp.headers().forEach(h -> headers.put(h.getKey().toLowerCase(), h.getValue()));
      resp.handler(buf -> {
        all.appendBuffer(buf);
        events.addAll(parser.feed(buf.getBytes()));
      });
      return resp.end().map(v -> resp.statusCode());
    })));
    events.addAll(parser.finish());
    return new Response(status, headers, all.getBytes(), events);
  }

  private static <T> T await(Future<T> f) throws Exception {
    return f.toCompletionStage().toCompletableFuture().get(60, TimeUnit.SECONDS);
  }

  @SuppressWarnings("unused")
  private static String names(Scenario... s) {
    return Arrays.toString(s);
  }
}
