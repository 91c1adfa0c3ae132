package dev.switchboard.router.cache;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.openai.client.OpenAIClient;
import com.openai.client.okhttp.OpenAIOkHttpClient;
import com.openai.core.http.HttpResponseFor;
import com.openai.core.http.StreamResponse;
import com.openai.models.chat.completions.ChatCompletion;
import com.openai.models.chat.completions.ChatCompletionChunk;
import com.openai.models.chat.completions.ChatCompletionCreateParams;
import com.openai.models.chat.completions.ChatCompletionStreamOptions;
import dev.switchboard.governance.testkit.MutableClock;
import dev.switchboard.governance.testkit.RedisServer;
import dev.switchboard.router.chat.ExchangeObserver;
import dev.switchboard.router.governance.GovernanceOptions;
import dev.switchboard.router.providers.chat.Json;
import dev.switchboard.router.requestlog.RequestLog;
import dev.switchboard.router.requestlog.RequestLogObserver;
import dev.switchboard.router.requestlog.RequestLogRecord;
import dev.switchboard.router.requestlog.RequestLogStats;
import dev.switchboard.router.testkit.GatewayHarness;
import dev.switchboard.router.testkit.MockOpenAiServer;
import io.vertx.core.Vertx;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The response cache through the HTTP API (issue #16): exact and semantic hits, the guards that must turn a
 * near-miss into a miss, bypasses, expiry on an injected clock, streams served from the cache, the request log's
 * record of a hit, and one cache shared by two gateways through a real Redis.
 */
class ResponseCacheEndToEndTest {
  private static Vertx vertx;
  private static MockOpenAiServer upstream;

  @BeforeAll
  static void startUpstream() throws Exception {
    vertx = Vertx.vertx();
    upstream = new MockOpenAiServer(vertx);
    upstream.start().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
  }

  @AfterAll
  static void stop() throws Exception {
    vertx.close().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
  }

  @BeforeEach
  void reset() {
    upstream.succeed().replyText("Paris is the capital of France.").usage(1000, 500).clearRequests();
  }

  /** A priced deployment, an exact route, a semantic route, an uncached route; {@code extra} appended. */
  private static String yaml(String extra) {
    return """
        deployments:
          - { name: gpt, provider: openai, base_url: %s, input_price_per_mtok: 2, output_price_per_mtok: 8 }
        routes:
          - { alias: exact, deployments: [gpt], cache: exact }
          - { alias: semantic, deployments: [gpt], cache: semantic }
          - { alias: plain, deployments: [gpt] }
        """.formatted(upstream.baseUrl()) + extra;
  }

  private static String body(String model, String user) {
    return body(model, null, user, null, "\"temperature\":0");
  }

  private static String body(String model, String system, String user, String tools, String extra) {
    StringBuilder b = new StringBuilder("{\"model\":\"").append(model).append("\",\"messages\":[");
    if (system != null) b.append("{\"role\":\"system\",\"content\":").append(Json.write(Json.MAPPER.valueToTree(system))).append("},");
    b.append("{\"role\":\"user\",\"content\":").append(Json.write(Json.MAPPER.valueToTree(user))).append("}]");
    if (tools != null) b.append(",\"tools\":").append(tools);
    if (extra != null) b.append(',').append(extra);
    return b.append('}').toString();
  }

  private static HttpResponse<String> post(GatewayHarness gw, String body, Map<String, String> headers) throws Exception {
    return gw.post("/v1/chat/completions", body.getBytes(StandardCharsets.UTF_8), headers);
  }

  private static String cache(HttpResponse<?> r) {
    return r.headers().firstValue("x-switchboard-cache").orElse(null);
  }

  private static String content(HttpResponse<String> r) throws Exception {
    return Json.MAPPER.readTree(r.body()).path("choices").path(0).path("message").path("content").asText();
  }

  @Test
  void otherFrontDoors_hitsAreAnsweredInTheirOwnShape_plainAndStreamed() throws Exception {
    try (GatewayHarness gw = GatewayHarness.start(yaml(""))) {
      // Anthropic Messages: a plain miss stores the answer; the same request streamed is a hit sent as Messages events.
      String messages = "{\"model\":\"exact\",\"max_tokens\":64,\"temperature\":0,"
          + "\"messages\":[{\"role\":\"user\",\"content\":\"What is the capital of France?\"}]%s}";
      HttpResponse<String> plain = gw.post("/v1/messages", messages.formatted("").getBytes(StandardCharsets.UTF_8), Map.of());
      assertEquals(200, plain.statusCode(), plain.body());
      assertEquals("miss", cache(plain));
      assertEquals("message", Json.MAPPER.readTree(plain.body()).path("type").asText());
      HttpResponse<String> streamed = gw.post("/v1/messages", messages.formatted(",\"stream\":true").getBytes(StandardCharsets.UTF_8), Map.of());
      assertEquals(200, streamed.statusCode(), streamed.body());
      assertEquals("hit", cache(streamed));
      String events = streamed.body();
      int start = events.indexOf("event: message_start");
      int delta = events.indexOf("event: content_block_delta");
      int stop = events.indexOf("event: message_stop");
      assertTrue(start >= 0 && start < delta && delta < stop, events);
      assertTrue(events.contains("Paris is the capital of France."), events);
      assertFalse(events.contains("[DONE]"), "no OpenAI terminator in an Anthropic stream: " + events);
      HttpResponse<String> again = gw.post("/v1/messages", messages.formatted("").getBytes(StandardCharsets.UTF_8), Map.of());
      assertEquals("hit", cache(again));
      assertEquals("Paris is the capital of France.", Json.MAPPER.readTree(again.body()).path("content").path(0).path("text").asText());
      assertEquals(1, upstream.requests().size(), "one upstream call for the three Messages requests");
      // Responses API: a plain miss, then the same request streamed is a hit sent as Responses events.
      String responses = "{\"model\":\"exact\",\"input\":\"What is the capital of France?\",\"max_output_tokens\":64,"
          + "\"temperature\":0%s}";
      HttpResponse<String> first = gw.post("/v1/responses", responses.formatted("").getBytes(StandardCharsets.UTF_8), Map.of());
      assertEquals(200, first.statusCode(), first.body());
      assertEquals("miss", cache(first));
      HttpResponse<String> stream = gw.post("/v1/responses", responses.formatted(",\"stream\":true").getBytes(StandardCharsets.UTF_8), Map.of());
      assertEquals(200, stream.statusCode(), stream.body());
      assertEquals("hit", cache(stream));
      String body = stream.body();
      assertTrue(body.indexOf("response.created") < body.indexOf("response.output_text.delta")
          && body.indexOf("response.output_text.delta") < body.indexOf("response.completed"), body);
      assertTrue(body.contains("Paris is the capital of France."), body);
      assertEquals(2, upstream.requests().size());
    }
  }

  @Test
  void exact_repeatedRequest_servedFromCacheWithoutUpstreamCallAtNoCost() throws Exception {
    try (GatewayHarness gw = GatewayHarness.start(yaml(""))) {
      HttpResponse<String> first = post(gw, body("exact", "What is the capital of France?"), Map.of());
      assertEquals(200, first.statusCode(), first.body());
      assertEquals("miss", cache(first));
      // the same request with its fields in another order and streaming options that do not change the answer
      HttpResponse<String> second = post(gw, "{\"temperature\":0,\"messages\":[{\"content\":\"What is the capital of France?\",\"role\":\"user\"}],"
          + "\"model\":\"exact\",\"user\":\"someone\"}", Map.of());
      assertEquals(200, second.statusCode(), second.body());
      assertEquals("hit", cache(second));
      assertEquals(first.body(), second.body());
      assertEquals("0.00000000", second.headers().firstValue("x-switchboard-cost-usd").orElseThrow());
      assertEquals("gpt", second.headers().firstValue("x-switchboard-deployment").orElseThrow());
      assertEquals(1, upstream.requests().size());
      // another question: a miss
      assertEquals("miss", cache(post(gw, body("exact", "What is the capital of Spain?"), Map.of())));
      assertEquals(2, upstream.requests().size());
      // a route without cache: no header, every request upstream
      HttpResponse<String> plain = post(gw, body("plain", "What is the capital of France?"), Map.of());
      assertNull(cache(plain));
      post(gw, body("plain", "What is the capital of France?"), Map.of());
      assertEquals(4, upstream.requests().size());
      String metrics = gw.get("/metrics").body();
      assertTrue(metrics.contains("switchboard_cache_requests_total{mode=\"exact\",outcome=\"hit\"} 1.0"), metrics);
      assertTrue(metrics.contains("switchboard_cache_requests_total{mode=\"exact\",outcome=\"miss\"} 2.0"), metrics);
    }
  }

  @Test
  void bypass_byHeaderBodyOrTemperature_callsUpstreamAndStoresNothing() throws Exception {
    try (GatewayHarness gw = GatewayHarness.start(yaml(""))) {
      String q = body("exact", "Name a prime number.");
      assertEquals("bypass", cache(post(gw, q, Map.of("cache-control", "no-cache"))));
      assertEquals("miss", cache(post(gw, q, Map.of())), "the bypassed answer was not stored");
      assertEquals("hit", cache(post(gw, q, Map.of())));
      assertEquals("bypass", cache(post(gw, q, Map.of("Cache-Control", "no-store"))));
      HttpResponse<String> off = post(gw, body("exact", null, "Name a prime number.", null, "\"temperature\":0,\"switchboard\":{\"cache\":false}"), Map.of());
      assertEquals("bypass", cache(off));
      String warm = body("exact", null, "Name a prime number.", null, "\"temperature\":0.7");
      assertEquals("bypass", cache(post(gw, warm, Map.of())));
      assertEquals("bypass", cache(post(gw, warm, Map.of())), "temperature above cache.max_temperature is never cached");
      assertEquals(6, upstream.requests().size());
      HttpResponse<String> bad = post(gw, body("exact", null, "x", null, "\"switchboard\":{\"cache\":\"no\"}"), Map.of());
      assertEquals(400, bad.statusCode());
      assertEquals("switchboard.cache", Json.MAPPER.readTree(bad.body()).path("error").path("param").asText());
      assertEquals("hit", cache(post(gw, q, Map.of("x-switchboard-replay", "run-1", "x-switchboard-replay-key", "anything"))),
          "a replay header without the admin key is ignored");
    }
  }

  @Test
  void temperature_configuredMaximum_cachesUpToIt() throws Exception {
    try (GatewayHarness gw = GatewayHarness.start(yaml("cache: { max_temperature: 0.8 }\n"))) {
      String warm = body("exact", null, "Tell me a story.", null, "\"temperature\":0.7");
      assertEquals("miss", cache(post(gw, warm, Map.of())));
      assertEquals("hit", cache(post(gw, warm, Map.of())));
      assertEquals("bypass", cache(post(gw, body("exact", null, "Tell me a story.", null, "\"temperature\":0.9"), Map.of())));
    }
  }

  @Test
  void ttl_injectedClock_expiresAfterTtl(@TempDir Path dir) throws Exception {
    MutableClock clock = new MutableClock(Instant.parse("2026-12-08T00:00:00Z"));
    try (GatewayHarness gw = GatewayHarness.start(yaml("cache: { ttl_ms: 60000 }\n"), null,
        o -> o.withGovernance(new GovernanceOptions(dir, clock)))) {
      String q = body("exact", "What time zone is Paris in?");
      assertEquals("miss", cache(post(gw, q, Map.of())));
      clock.advance(Duration.ofSeconds(59));
      assertEquals("hit", cache(post(gw, q, Map.of())));
      clock.advance(Duration.ofSeconds(2));
      assertEquals("miss", cache(post(gw, q, Map.of())), "expired after 60 s");
      assertEquals(2, upstream.requests().size());
    }
  }

  @Test
  void semantic_paraphraseHits_nearMissesDoNot() throws Exception {
    try (GatewayHarness gw = GatewayHarness.start(yaml(""))) {
      assertEquals("miss", cache(post(gw, body("semantic", "What is the capital of France?"), Map.of())));
      HttpResponse<String> para = post(gw, body("semantic", "  what is the   CAPITAL of france ? "), Map.of());
      assertEquals("semantic-hit", cache(para));
      double sim = Double.parseDouble(para.headers().firstValue("x-switchboard-cache-similarity").orElseThrow());
      assertTrue(sim >= 0.95 && sim <= 1.0001, "similarity " + sim);
      assertEquals("Paris is the capital of France.", content(para));
      assertEquals(1, upstream.requests().size());

      // a named entity differs: miss
      assertEquals("miss", cache(post(gw, body("semantic", "What is the capital of Germany?"), Map.of())));
      // differs only in a number: miss, both ways
      upstream.replyText("4");
      assertEquals("miss", cache(post(gw, body("semantic", "What is 2 + 2?"), Map.of())));
      upstream.replyText("5");
      HttpResponse<String> other = post(gw, body("semantic", "What is 2 + 3?"), Map.of());
      assertEquals("miss", cache(other));
      assertEquals("5", content(other));
      assertEquals("hit", cache(post(gw, body("semantic", "What is 2 + 3?"), Map.of())));
      // another system prompt: miss
      assertEquals("miss", cache(post(gw, body("semantic", "Answer in French.", "What is the capital of France?", null,
          "\"temperature\":0"), Map.of())));
      // other tools: miss
      String tools = "[{\"type\":\"function\",\"function\":{\"name\":\"lookup\",\"parameters\":{\"type\":\"object\"}}}]";
      assertEquals("miss", cache(post(gw, body("semantic", null, "What is the capital of France?", tools, "\"temperature\":0"), Map.of())));
      // an earlier turn differs: miss
      String twoTurns = "{\"model\":\"semantic\",\"temperature\":0,\"messages\":[{\"role\":\"user\",\"content\":\"Hi\"},"
          + "{\"role\":\"assistant\",\"content\":\"Hello!\"},{\"role\":\"user\",\"content\":\"What is the capital of France?\"}]}";
      assertEquals("miss", cache(post(gw, twoTurns, Map.of())));
      assertEquals(7, upstream.requests().size());
    }
  }

  @Test
  void streaming_servedFromCacheAsValidStream_sdkReadsIt() throws Exception {
    try (GatewayHarness gw = GatewayHarness.start(yaml(""))) {
      OpenAIClient client = OpenAIOkHttpClient.builder().baseUrl(gw.baseUrl() + "/v1").apiKey("unused").maxRetries(0).build();
      try {
        ChatCompletionCreateParams params = ChatCompletionCreateParams.builder().model("exact").temperature(0)
            .addUserMessage("Which city is the capital of France?").build();
        HttpResponseFor<ChatCompletion> first = client.chat().completions().withRawResponse().create(params);
        assertEquals("miss", first.headers().values("x-switchboard-cache").get(0));
        ChatCompletionCreateParams streamed = params.toBuilder()
            .streamOptions(ChatCompletionStreamOptions.builder().includeUsage(true).build()).build();
        HttpResponseFor<StreamResponse<ChatCompletionChunk>> r = client.chat().completions().withRawResponse().createStreaming(streamed);
        assertEquals("hit", r.headers().values("x-switchboard-cache").get(0));
        StringBuilder text = new StringBuilder();
        List<ChatCompletionChunk> chunks;
        try (StreamResponse<ChatCompletionChunk> s = r.parse()) {
          chunks = s.stream().toList();
        }
        String finish = null;
        for (ChatCompletionChunk c : chunks) {
          for (ChatCompletionChunk.Choice ch : c.choices()) {
            ch.delta().content().ifPresent(text::append);
            if (ch.finishReason().isPresent()) finish = ch.finishReason().get().asString();
          }
        }
        assertEquals("Paris is the capital of France.", text.toString());
        assertEquals("stop", finish);
        assertEquals(1000, chunks.get(chunks.size() - 1).usage().orElseThrow().promptTokens());
        assertEquals(1, upstream.requests().size());

        // a streamed miss is stored too, and served to a plain request
        ChatCompletionCreateParams other = ChatCompletionCreateParams.builder().model("exact").temperature(0)
            .addUserMessage("And of Italy?").build();
        try (StreamResponse<ChatCompletionChunk> s = client.chat().completions().createStreaming(other)) {
          s.stream().forEach(c -> {});
        }
        HttpResponseFor<ChatCompletion> after = client.chat().completions().withRawResponse().create(other);
        assertEquals("hit", after.headers().values("x-switchboard-cache").get(0));
        assertEquals("Paris is the capital of France.", after.parse().choices().get(0).message().content().orElseThrow());
        assertEquals(2, upstream.requests().size());
      } finally {
        client.close();
      }
    }
    // the raw stream: data lines of chunks, then [DONE]
    try (GatewayHarness gw = GatewayHarness.start(yaml(""))) {
      post(gw, body("exact", "Say hi."), Map.of());
      HttpResponse<String> s = post(gw, body("exact", null, "Say hi.", null, "\"temperature\":0,\"stream\":true"), Map.of());
      assertEquals("hit", cache(s));
      assertTrue(s.headers().firstValue("content-type").orElseThrow().startsWith("text/event-stream"));
      String[] events = s.body().split("\n\n");
      assertEquals("data: [DONE]", events[events.length - 1]);
      for (int i = 0; i < events.length - 1; i++) {
        JsonNode c = Json.MAPPER.readTree(events[i].substring("data: ".length()));
        assertEquals("chat.completion.chunk", c.path("object").asText());
      }
    }
  }

  /** The request log as records. */
  static final class MemoryRequestLog implements RequestLog {
    final List<RequestLogRecord> records = new CopyOnWriteArrayList<>();

    @Override
    public void append(RequestLogRecord r) {
      records.add(r);
    }

    @Override
    public RequestLogStats stats() {
      return null;
    }

    @Override
    public void close() {}
  }

  @Test
  void requestLog_recordsHitAndCostSaved() throws Exception {
    MemoryRequestLog log = new MemoryRequestLog();
    try (GatewayHarness gw = GatewayHarness.start(yaml(""), null, o -> o.withObserver(new RequestLogObserver(log)))) {
      post(gw, body("semantic", "What is the capital of France?"), Map.of());
      post(gw, body("semantic", "What is the capital of France?"), Map.of());
      post(gw, body("semantic", "what is the capital of France"), Map.of());
      org.awaitility.Awaitility.await().atMost(Duration.ofSeconds(5)).until(() -> log.records.size() == 3);
      RequestLogRecord miss = log.records.get(0), hit = log.records.get(1), semantic = log.records.get(2);
      assertEquals("miss", miss.metadata().get("cache"));
      assertEquals(0.006, miss.costUsd(), 1e-9); // 1000 × $2 + 500 × $8 per million
      assertEquals("hit", hit.metadata().get("cache"));
      assertEquals("0.00600000", hit.metadata().get("cache_saved_usd"));
      assertEquals("gpt", hit.metadata().get("cache_deployment"));
      assertEquals(0.0, hit.costUsd());
      assertEquals(200, hit.status());
      assertEquals("Paris is the capital of France.", hit.response());
      assertTrue(hit.attempts().isEmpty());
      assertEquals("semantic-hit", semantic.metadata().get("cache"));
      assertFalse(semantic.metadata().get("cache_similarity").isEmpty());
      assertEquals(1, upstream.requests().size());
    }
  }

  @Test
  void redis_twoGatewaysShareOneCache_exactAndSemantic() throws Exception {
    try (RedisServer redis = RedisServer.start()) {
      String shared = "limits: { redis: \"" + redis.url() + "\" }\ncache: { store: redis }\n";
      try (GatewayHarness a = GatewayHarness.start(yaml(shared)); GatewayHarness b = GatewayHarness.start(yaml(shared))) {
        assertEquals("miss", cache(post(a, body("exact", "What is the capital of France?"), Map.of())));
        HttpResponse<String> fromB = post(b, body("exact", "What is the capital of France?"), Map.of());
        assertEquals("hit", cache(fromB));
        assertEquals("Paris is the capital of France.", content(fromB));
        assertEquals("miss", cache(post(b, body("semantic", "What is the capital of France?"), Map.of())));
        assertEquals("semantic-hit", cache(post(a, body("semantic", "what is the capital of FRANCE"), Map.of())));
        assertEquals("miss", cache(post(a, body("semantic", "What is the capital of France in 1800?"), Map.of())));
        assertEquals(3, upstream.requests().size());
      }
    }
  }
}
