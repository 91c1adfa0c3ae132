package dev.switchboard.router.completions;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.openai.client.OpenAIClient;
import com.openai.client.okhttp.OpenAIOkHttpClient;
import com.openai.core.http.HttpResponseFor;
import com.openai.core.http.StreamResponse;
import com.openai.errors.BadRequestException;
import com.openai.models.completions.Completion;
import com.openai.models.completions.CompletionCreateParams;
import dev.switchboard.router.chat.ChatExchange;
import dev.switchboard.router.chat.ExchangeObserver;
import dev.switchboard.router.chat.ParsedChat;
import dev.switchboard.router.providers.chat.Json;
import dev.switchboard.router.testkit.GatewayHarness;
import dev.switchboard.router.testkit.MockGeminiServer;
import dev.switchboard.router.testkit.MockOpenAiServer;
import io.vertx.core.Vertx;
import java.net.http.HttpResponse;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Legacy {@code POST /v1/completions} through the official OpenAI SDK: forwarded as it is to an OpenAI-compatible
 * mock (plain and streamed, the usage event withheld unless asked for), translated to chat for a Gemini mock, and bad
 * input answered in OpenAI's error shape naming the field.
 */
class CompletionsEndToEndTest {
  private static Vertx vertx;
  private static MockOpenAiServer openai;
  private static MockGeminiServer gemini;
  private static GatewayHarness gw;
  private static OpenAIClient client;
  private static final List<ChatExchange> logged = new CopyOnWriteArrayList<>();

  @BeforeAll
  static void start() throws Exception {
    vertx = Vertx.vertx();
    openai = new MockOpenAiServer(vertx);
    gemini = new MockGeminiServer(vertx);
    for (var m : List.of(openai, gemini)) m.start().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
    ExchangeObserver observer = (ParsedChat chat, ChatExchange ex, String text) -> logged.add(ex);
    gw = GatewayHarness.start("""
        deployments:
          - { name: instruct, provider: openai, base_url: %s, model: gpt-3.5-turbo-instruct, max_retries: 0,
              input_price_per_mtok: 1.5, output_price_per_mtok: 2 }
          - { name: gem, provider: gemini, base_url: %s, model: gemini-2.0-flash, max_retries: 0 }
        routes:
          - { alias: mixed, deployments: [gem, instruct] }
        """.formatted(openai.baseUrl(), gemini.baseUrl()), null, o -> o.withEnv(Map.<String, String>of()::get).withObserver(observer));
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
    for (var m : List.of(openai, gemini)) m.succeed().replyText("Once upon a time.").usage(4, 5).clearRequests();
    logged.clear();
  }

  @Test
  void openAiCompatible_forwardedAsIs_withUsageAndCost() {
    HttpResponseFor<Completion> raw = client.completions().withRawResponse().create(CompletionCreateParams.builder()
        .model("instruct").prompt("Tell a story").maxTokens(20).suffix(" The end.").build());
    Completion c = raw.parse();
    assertEquals("Once upon a time.", c.choices().get(0).text());
    assertEquals(5, c.usage().orElseThrow().completionTokens());
    assertEquals("0.00001600", raw.headers().values("x-switchboard-cost-usd").get(0)); // 4 * 1.5 + 5 * 2 per M
    JsonNode sent = Json.tryRead(openai.lastRequest().body());
    assertEquals("/v1/completions", openai.lastRequest().path());
    assertEquals("gpt-3.5-turbo-instruct", sent.path("model").asText());
    assertEquals(" The end.", sent.path("suffix").asText(), "fields pass through unchanged");
  }

  @Test
  void openAiCompatible_streamed_eventsPassThrough_usageOnlyWhenAsked() throws Exception {
    StringBuilder text = new StringBuilder();
    try (StreamResponse<Completion> s = client.completions().createStreaming(CompletionCreateParams.builder().model("instruct")
        .prompt("Tell a story").build())) {
      s.stream().forEach(c -> c.choices().forEach(ch -> text.append(ch.text())));
    }
    assertEquals("Once upon a time.", text.toString());
    JsonNode sent = Json.tryRead(openai.lastRequest().body());
    assertTrue(sent.path("stream_options").path("include_usage").asBoolean(), "the gateway asks for usage to price the stream");
    // the streamed exchange (an earlier test's request may be logged after the clear: pick this one by its chunks)
    org.awaitility.Awaitility.await().atMost(5, TimeUnit.SECONDS).until(() -> logged.stream().anyMatch(e -> e.streamedChunks > 0));
    ChatExchange streamed = logged.stream().filter(e -> e.streamedChunks > 0).findFirst().orElseThrow();
    assertEquals(5, streamed.usage.completionTokens(), "usage reached the request log");

    HttpResponse<String> plain = gw.post("/v1/completions", "{\"model\":\"instruct\",\"prompt\":\"x\",\"stream\":true}");
    assertFalse(plain.body().contains("\"usage\""), plain.body());
    assertTrue(plain.body().trim().endsWith("data: [DONE]"), plain.body());
    HttpResponse<String> withUsage = gw.post("/v1/completions",
        "{\"model\":\"instruct\",\"prompt\":\"x\",\"stream\":true,\"stream_options\":{\"include_usage\":true}}");
    assertTrue(withUsage.body().contains("\"completion_tokens\":5"), withUsage.body());
  }

  @Test
  void gemini_translatedToChat_andBackAsTextCompletion() {
    Completion c = client.completions().create(CompletionCreateParams.builder().model("mixed").prompt("Tell a story").maxTokens(20).build());
    assertEquals("Once upon a time.", c.choices().get(0).text());
    assertEquals("text_completion", c._object_().asString().orElseThrow());
    assertTrue(gemini.lastRequest().body().contains("Tell a story"), gemini.lastRequest().body());
    assertTrue(openai.requests().isEmpty());
  }

  @Test
  void badInput_openAiErrorShapeNamingTheField() throws Exception {
    BadRequestException suffix = assertThrows(BadRequestException.class, () -> client.completions().create(
        CompletionCreateParams.builder().model("mixed").prompt("x").suffix("y").build()));
    assertEquals("suffix", suffix.param().orElseThrow());
    BadRequestException stream = assertThrows(BadRequestException.class, () -> {
      try (var s = client.completions().createStreaming(CompletionCreateParams.builder().model("gem").prompt("x").build())) {
        s.stream().count();
      }
    });
    assertEquals("stream", stream.param().orElseThrow());
    for (String[] c : List.of(new String[] {"{\"model\":\"instruct\"}", "prompt"}, new String[] {"{\"prompt\":\"x\"}", "model"},
        new String[] {"{\"model\":\"mixed\",\"prompt\":[\"a\",\"b\"]}", "prompt"},
        new String[] {"{\"model\":\"instruct\",\"prompt\":\"x\",\"max_tokens\":-1}", "max_tokens"},
        new String[] {"{\"model\":\"mixed\",\"prompt\":\"x\",\"temperature\":9}", "temperature"})) {
      HttpResponse<String> r = gw.post("/v1/completions", c[0]);
      assertEquals(400, r.statusCode(), c[0] + " -> " + r.body());
      assertEquals(c[1], Json.tryRead(r.body()).path("error").path("param").asText(), r.body());
    }
    assertTrue(openai.requests().isEmpty() && gemini.requests().isEmpty());
  }
}
