package dev.switchboard.router.embeddings;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.openai.client.OpenAIClient;
import com.openai.client.okhttp.OpenAIOkHttpClient;
import com.openai.core.http.HttpResponseFor;
import com.openai.errors.BadRequestException;
import com.openai.errors.NotFoundException;
import com.openai.models.embeddings.CreateEmbeddingResponse;
import com.openai.models.embeddings.EmbeddingCreateParams;
import com.openai.models.models.Model;
import dev.switchboard.classifier.encoder.Encoder;
import dev.switchboard.classifier.encoder.Encoders;
import dev.switchboard.router.chat.ChatExchange;
import dev.switchboard.router.chat.ExchangeObserver;
import dev.switchboard.router.chat.ParsedChat;
import dev.switchboard.router.providers.chat.Json;
import dev.switchboard.router.testkit.GatewayHarness;
import dev.switchboard.router.testkit.MockGeminiServer;
import dev.switchboard.router.testkit.MockOpenAiServer;
import io.vertx.core.Vertx;
import java.net.http.HttpResponse;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * {@code POST /v1/embeddings} through the official OpenAI SDK: OpenAI-compatible and Gemini mock upstreams (their
 * real wire formats), the two local models against their encoders' own output, base64, dimensions, the request log's
 * usage and cost, and bad input answered in OpenAI's error shape naming the field.
 */
class EmbeddingsEndToEndTest {
  private static Vertx vertx;
  private static MockOpenAiServer openai;
  private static MockGeminiServer gemini;
  private static GatewayHarness gw;
  private static OpenAIClient client;
  private static final List<ChatExchange> logged = new CopyOnWriteArrayList<>();
  private static final List<ParsedChat> loggedChats = new CopyOnWriteArrayList<>();

  @BeforeAll
  static void start() throws Exception {
    vertx = Vertx.vertx();
    openai = new MockOpenAiServer(vertx);
    gemini = new MockGeminiServer(vertx);
    for (var m : List.of(openai, gemini)) m.start().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
    openai.requireApiKey("ok-1");
    gemini.requireApiKey("gk-2");
    ExchangeObserver observer = new ExchangeObserver() {
      @Override
      public void completed(ParsedChat chat, ChatExchange ex, String responseText) {
        loggedChats.add(chat);
        logged.add(ex);
      }
    };
    gw = GatewayHarness.start("""
        resilience: { backoff_base_ms: 1, backoff_max_ms: 5 }
        deployments:
          - { name: te3, provider: openai, base_url: %s, api_key_env: OK, model: text-embedding-3-small, max_retries: 0,
              input_price_per_mtok: 0.02 }
          - { name: gem-embed, provider: gemini, base_url: %s, api_key_env: GK, model: gemini-embedding-001, max_retries: 0,
              input_price_per_mtok: 0.15 }
          - { name: claude, provider: anthropic, base_url: http://127.0.0.1:9, model: claude-3-5-haiku-latest }
        routes:
          - { alias: embed, deployments: [gem-embed, te3] }
        """.formatted(openai.baseUrl(), gemini.baseUrl()), null,
        o -> o.withEnv(Map.of("OK", "ok-1", "GK", "gk-2")::get).withObserver(observer));
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
    openai.succeed().clearRequests();
    gemini.succeed().clearRequests();
    logged.clear();
    loggedChats.clear();
  }

  private static EmbeddingCreateParams.Builder ask(String model, List<String> inputs) {
    return EmbeddingCreateParams.builder().model(model).inputOfArrayOfStrings(inputs).encodingFormat(EmbeddingCreateParams.EncodingFormat.FLOAT);
  }

  private static float[] floats(List<Float> v) {
    float[] out = new float[v.size()];
    for (int i = 0; i < out.length; i++) out[i] = v.get(i);
    return out;
  }

  private static List<String> texts(int n) {
    List<String> out = new ArrayList<>();
    for (int i = 0; i < n; i++) out.add("Short text number " + i + " about routing prompts to models.");
    return out;
  }

  // ---------------------------------------------------------------- deployments

  @Test
  void openAiDeployment_forwardedAsIs_usageAndCostInRequestLog() {
    HttpResponseFor<CreateEmbeddingResponse> raw = client.embeddings().withRawResponse().create(ask("te3", List.of("alpha", "beta gamma")).build());
    CreateEmbeddingResponse r = raw.parse();
    assertEquals(2, r.data().size());
    assertArrayEquals(MockOpenAiServer.vectorFor("beta gamma", 8), floats(r.data().get(1).embedding()), 0f);
    assertEquals(3, r.usage().promptTokens());
    assertEquals("te3", raw.headers().values("x-switchboard-deployment").get(0));
    assertEquals("0.00000006", raw.headers().values("x-switchboard-cost-usd").get(0)); // 3 tokens at $0.02 / M
    JsonNode sent = Json.tryRead(openai.lastRequest().body());
    assertEquals("/v1/embeddings", openai.lastRequest().path());
    assertEquals("text-embedding-3-small", sent.path("model").asText());
    assertEquals("Bearer ok-1", openai.lastRequest().header("authorization"));
    org.awaitility.Awaitility.await().atMost(5, TimeUnit.SECONDS).until(() -> logged.size() == 1);
    ChatExchange ex = logged.get(0);
    assertEquals(200, ex.status);
    assertEquals(3, ex.usage.promptTokens());
    assertEquals(6e-8, ex.costUsd(), 1e-15);
    assertEquals("te3", ex.answered.name());
    assertEquals("alpha\nbeta gamma", loggedChats.get(0).request().body().path("messages").path(0).path("content").asText());
  }

  @Test
  void geminiDeployment_batchEmbedContents_translatedBack_withDimensionsAndBase64() {
    CreateEmbeddingResponse r = client.embeddings().create(ask("gem-embed", List.of("one", "two")).dimensions(4)
        .encodingFormat(EmbeddingCreateParams.EncodingFormat.BASE64).build());
    assertEquals(2, r.data().size());
    assertArrayEquals(MockOpenAiServer.vectorFor("two", 4), floats(r.data().get(1).embedding()), 0f);
    JsonNode sent = Json.tryRead(gemini.lastRequest().body());
    assertTrue(gemini.lastRequest().path().endsWith("/v1beta/models/gemini-embedding-001:batchEmbedContents"), gemini.lastRequest().path());
    assertEquals(4, sent.path("requests").path(0).path("outputDimensionality").asInt());
    assertEquals("gk-2", gemini.lastRequest().header("x-goog-api-key"));
  }

  @Test
  void route_geminiFailsOver_toOpenAi() {
    gemini.failWith(503, "overloaded");
    HttpResponseFor<CreateEmbeddingResponse> raw = client.embeddings().withRawResponse().create(ask("embed", List.of("x")).build());
    assertEquals(1, raw.parse().data().size());
    assertEquals("te3", raw.headers().values("x-switchboard-deployment").get(0));
    assertEquals(1, gemini.requests().size());
  }

  // ---------------------------------------------------------------- local models

  @Test
  void localMiniLm_batchOf32_matchesTheEncodersOwnOutput() {
    List<String> inputs = texts(32);
    HttpResponseFor<CreateEmbeddingResponse> raw = client.embeddings().withRawResponse().create(ask(LocalModels.MINILM.id(), inputs).build());
    CreateEmbeddingResponse r = raw.parse();
    assertEquals(32, r.data().size());
    assertEquals("0.00000000", raw.headers().values("x-switchboard-cost-usd").get(0));
    try (Encoder e = Encoders.open(LocalModels.MINILM.encoderId(), null, 1, s -> { })) {
      long tokens = 0;
      for (int i = 0; i < 32; i++) {
        var own = e.encode(inputs.get(i));
        float[] got = floats(r.data().get(i).embedding());
        assertEquals(384, got.length);
        assertArrayEquals(own.embedding(), got, 1e-5f, "input " + i);
        assertEquals(i, r.data().get(i).index());
        tokens += own.tokenCount();
      }
      assertEquals(tokens, r.usage().promptTokens());
    }
    assertTrue(openai.requests().isEmpty() && gemini.requests().isEmpty(), "no provider involved");
  }

  @Test
  void localStatic_base64AndDimensions_matchTheEncoderTruncatedAndRenormalised() throws Exception {
    List<String> inputs = texts(32);
    CreateEmbeddingResponse full = client.embeddings().create(ask(LocalModels.STATIC.id(), inputs).build());
    // base64 by raw HTTP, decoded here: little-endian float32, truncated to 64 and renormalised
    HttpResponse<String> raw = gw.post("/v1/embeddings", Json.write(Json.object().put("model", LocalModels.STATIC.id())
        .put("encoding_format", "base64").put("dimensions", 64).set("input", Json.MAPPER.valueToTree(inputs))));
    assertEquals(200, raw.statusCode(), raw.body());
    JsonNode data = Json.tryRead(raw.body()).path("data");
    try (Encoder e = Encoders.open(LocalModels.STATIC.encoderId(), null, 1, s -> { })) {
      for (int i = 0; i < 32; i++) {
        float[] own = e.encode(inputs.get(i)).embedding();
        assertArrayEquals(own, floats(full.data().get(i).embedding()), 1e-5f, "input " + i);
        ByteBuffer b = ByteBuffer.wrap(Base64.getDecoder().decode(data.get(i).path("embedding").asText())).order(ByteOrder.LITTLE_ENDIAN);
        float[] got = new float[64];
        b.asFloatBuffer().get(got);
        assertEquals(0, b.asFloatBuffer().remaining() - 64, "exactly 64 floats");
        double norm = 0;
        for (int j = 0; j < 64; j++) norm += own[j] * own[j];
        for (int j = 0; j < 64; j++) assertEquals(own[j] / Math.sqrt(norm), got[j], 1e-5, "input " + i + " component " + j);
      }
    }
  }

  @Test
  void models_listAndRetrieveLocalModels_unknownIs404() {
    var ids = client.models().list().data().stream().map(Model::id).toList();
    assertTrue(ids.containsAll(List.of("local/all-minilm-l6-v2", "local/minilm-static-256", "te3", "embed")), ids.toString());
    Model m = client.models().retrieve("local/minilm-static-256");
    assertEquals("local/minilm-static-256", m.id());
    assertEquals("te3", client.models().retrieve("te3").id());
    NotFoundException nf = assertThrows(NotFoundException.class, () -> client.models().retrieve("no-such-model"));
    assertEquals("model_not_found", nf.code().orElseThrow());
    assertEquals("model", nf.param().orElseThrow());
  }

  // ---------------------------------------------------------------- bad input

  @Test
  void badInput_openAiErrorShapeNamingTheField() throws Exception {
    BadRequestException tokens = assertThrows(BadRequestException.class, () -> client.embeddings().create(
        EmbeddingCreateParams.builder().model(LocalModels.MINILM.id()).inputOfArrayOfTokens(List.of(1L, 2L)).build()));
    assertEquals("input[0]", tokens.param().orElseThrow());
    BadRequestException dims = assertThrows(BadRequestException.class, () -> client.embeddings().create(
        ask(LocalModels.MINILM.id(), List.of("x")).dimensions(128).build()));
    assertEquals("dimensions", dims.param().orElseThrow());
    BadRequestException tooWide = assertThrows(BadRequestException.class, () -> client.embeddings().create(
        ask(LocalModels.STATIC.id(), List.of("x")).dimensions(300).build()));
    assertEquals("dimensions", tooWide.param().orElseThrow());
    BadRequestException anthropic = assertThrows(BadRequestException.class, () -> client.embeddings().create(ask("claude", List.of("x")).build()));
    assertEquals("model", anthropic.param().orElseThrow());
    NotFoundException unknown = assertThrows(NotFoundException.class, () -> client.embeddings().create(ask("nope", List.of("x")).build()));
    assertEquals("model_not_found", unknown.code().orElseThrow());
    for (String[] c : List.of(new String[] {"{\"model\":\"te3\"}", "input"}, new String[] {"{\"model\":\"te3\",\"input\":[]}", "input"},
        new String[] {"{\"model\":\"te3\",\"input\":[\"a\",\"\"]}", "input[1]"},
        new String[] {"{\"model\":\"te3\",\"input\":\"a\",\"encoding_format\":\"hex\"}", "encoding_format"},
        new String[] {"{\"input\":\"a\"}", "model"}, new String[] {"{\"model\":\"te3\",\"input\":\"a\",\"dimensions\":0}", "dimensions"})) {
      HttpResponse<String> r = gw.post("/v1/embeddings", c[0]);
      assertEquals(400, r.statusCode(), c[0]);
      assertEquals(c[1], Json.tryRead(r.body()).path("error").path("param").asText(), r.body());
      assertEquals("invalid_request_error", Json.tryRead(r.body()).path("error").path("type").asText());
    }
    assertTrue(openai.requests().isEmpty(), "nothing bad reached the upstream");
  }
}
