package dev.switchboard.router.http;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.openai.client.OpenAIClient;
import com.openai.client.okhttp.OpenAIOkHttpClient;
import com.openai.core.JsonValue;
import com.openai.core.http.HttpResponseFor;
import com.openai.core.http.StreamResponse;
import com.openai.models.FunctionDefinition;
import com.openai.models.FunctionParameters;
import com.openai.models.chat.completions.ChatCompletion;
import com.openai.models.chat.completions.ChatCompletionChunk;
import com.openai.models.chat.completions.ChatCompletionCreateParams;
import com.openai.models.chat.completions.ChatCompletionFunctionTool;
import dev.switchboard.router.testkit.GatewayHarness;
import dev.switchboard.router.testkit.MockAnthropicServer;
import dev.switchboard.router.testkit.MockGeminiServer;
import dev.switchboard.router.testkit.MockOpenAiServer;
import io.vertx.core.Vertx;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The whole path with every wire format: the official OpenAI SDK -> gateway -> Anthropic,
 * Gemini and Azure mock servers that speak those providers' real wire formats -> back, for
 * plain text, streams and tool calls, and a fallback from an overloaded Anthropic to Gemini.
 */
class GatewayProvidersEndToEndTest {
  private static Vertx vertx;
  private static MockAnthropicServer anthropic;
  private static MockGeminiServer gemini;
  private static MockOpenAiServer azure;
  private static GatewayHarness gw;
  private static OpenAIClient client;

  @BeforeAll
  static void start() throws Exception {
    vertx = Vertx.vertx();
    anthropic = new MockAnthropicServer(vertx);
    gemini = new MockGeminiServer(vertx);
    azure = new MockOpenAiServer(vertx);
    for (var m : java.util.List.of(anthropic, gemini, azure)) m.start().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
    anthropic.requireApiKey("ak-123");
    gemini.requireApiKey("gk-456");
    gw = GatewayHarness.start("""
        resilience: { backoff_base_ms: 1, backoff_max_ms: 5 }
        deployments:
          - { name: claude, provider: anthropic, base_url: %s, api_key_env: ANTHROPIC_KEY, model: claude-3-5-haiku-latest, max_retries: 0,
              input_price_per_mtok: 0.8, output_price_per_mtok: 4 }
          - { name: gemini, provider: gemini, base_url: %s, api_key_env: GEMINI_KEY, model: gemini-2.0-flash, max_retries: 0 }
          - { name: azure-gpt, provider: azure, base_url: %s, api_key_env: AZURE_KEY, model: prod-gpt4o, api_version: 2024-10-21 }
        routes:
          - { alias: smart, deployments: [claude, gemini] }
        """.formatted(anthropic.baseUrl(), gemini.baseUrl(), azure.azureBaseUrl()), null,
        o -> o.withEnv(Map.of("ANTHROPIC_KEY", "ak-123", "GEMINI_KEY", "gk-456", "AZURE_KEY", "az-789")::get));
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
    for (var m : java.util.List.of(anthropic, gemini, azure)) m.succeed().replyText("Hello from the mock.").usage(12, 7).clearRequests();
  }

  private static ChatCompletionCreateParams.Builder ask(String model) {
    return ChatCompletionCreateParams.builder().model(model).addSystemMessage("Be brief.").addUserMessage("Say hello.");
  }

  @Test
  void textAndUsageThroughEveryProvider() {
    for (String model : java.util.List.of("claude", "gemini", "azure-gpt")) {
      HttpResponseFor<ChatCompletion> raw = client.chat().completions().withRawResponse().create(ask(model).build());
      ChatCompletion c = raw.parse();
      assertEquals("Hello from the mock.", c.choices().get(0).message().content().orElseThrow(), model);
      assertEquals(7, c.usage().orElseThrow().completionTokens(), model);
      assertEquals(model, raw.headers().values("x-switchboard-deployment").get(0));
    }
    assertEquals("ak-123", anthropic.lastRequest().header("x-api-key"));
    assertTrue(anthropic.lastRequest().body().contains("\"system\""), "system prompt moved to Anthropic's top-level field");
    assertEquals("gk-456", gemini.lastRequest().header("x-goog-api-key"));
    assertTrue(gemini.lastRequest().body().contains("systemInstruction"));
    assertEquals("/openai/deployments/prod-gpt4o/chat/completions", azure.lastRequest().path());
    assertEquals("az-789", azure.lastRequest().header("api-key"));
    assertTrue(azure.lastRequest().query().contains("api-version=2024-10-21"));
  }

  @Test
  void streamsAreTranslatedToOpenAiChunks() {
    for (String model : java.util.List.of("claude", "gemini")) {
      StringBuilder text = new StringBuilder();
      try (StreamResponse<ChatCompletionChunk> s = client.chat().completions().createStreaming(ask(model).build())) {
        s.stream().forEach(ch -> ch.choices().forEach(x -> x.delta().content().ifPresent(text::append)));
      }
      assertEquals("Hello from the mock.", text.toString(), model);
    }
  }

  @Test
  void toolCallsComeBackAsOpenAiToolCalls() {
    for (var m : java.util.List.of(anthropic, gemini)) m.replyToolCall("get_weather", "{\"city\":\"Paris\"}");
    ChatCompletionFunctionTool tool = ChatCompletionFunctionTool.builder().function(FunctionDefinition.builder().name("get_weather")
        .parameters(FunctionParameters.builder().putAdditionalProperty("type", JsonValue.from("object"))
            .putAdditionalProperty("properties", JsonValue.from(Map.of("city", Map.of("type", "string")))).build()).build()).build();
    for (String model : java.util.List.of("claude", "gemini")) {
      ChatCompletion c = client.chat().completions().create(ask(model).addTool(tool).build());
      var call = c.choices().get(0).message().toolCalls().orElseThrow().get(0).asFunction().function();
      assertEquals("get_weather", call.name(), model);
      assertTrue(call.arguments().replace(" ", "").contains("\"city\":\"Paris\""), call.arguments());
      assertEquals(ChatCompletion.Choice.FinishReason.TOOL_CALLS, c.choices().get(0).finishReason(), model);
    }
  }

  @Test
  void anOverloadedAnthropicFallsBackToGemini() {
    anthropic.failWith(529, "Overloaded");
    HttpResponseFor<ChatCompletion> raw = client.chat().completions().withRawResponse().create(ask("smart").build());
    assertEquals("Hello from the mock.", raw.parse().choices().get(0).message().content().orElseThrow());
    assertEquals("gemini", raw.headers().values("x-switchboard-deployment").get(0));
    assertEquals("2", raw.headers().values("x-switchboard-attempts").get(0));
  }
}
