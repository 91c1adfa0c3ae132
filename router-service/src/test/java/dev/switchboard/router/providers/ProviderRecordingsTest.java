package dev.switchboard.router.providers;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;
import static org.junit.jupiter.api.DynamicTest.dynamicTest;

import com.fasterxml.jackson.databind.JsonNode;
import com.openai.client.OpenAIClient;
import com.openai.client.okhttp.OpenAIOkHttpClient;
import com.openai.core.JsonValue;
import com.openai.core.http.StreamResponse;
import com.openai.errors.OpenAIServiceException;
import com.openai.models.chat.completions.ChatCompletion;
import com.openai.models.chat.completions.ChatCompletionChunk;
import com.openai.models.chat.completions.ChatCompletionCreateParams;
import com.openai.models.chat.completions.ChatCompletionStreamOptions;
import dev.switchboard.router.providers.chat.Json;
import dev.switchboard.router.testkit.GatewayHarness;
import dev.switchboard.router.testkit.ReplayUpstream;
import dev.switchboard.router.testkit.ReplayUpstream.Pacing;
import io.vertx.core.Vertx;
import java.io.IOException;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;

/**
 * The conformance suite over real provider responses (issue #18): every recording under
 * {@code src/test/resources/recordings} (see its {@code index.json} for sources and licenses) is
 * replayed byte for byte through a real gateway, once in one write and once event by event, and
 * read back with the official OpenAI Java SDK. Checked: text, reasoning, tool calls (ids, names,
 * arguments that are valid JSON), exactly one finish reason per choice, usage, and errors before
 * (an HTTP error) or after (an SSE error event) the first content.
 */
class ProviderRecordingsTest {
  private static final String ROOT = "/recordings/";
  private static Vertx vertx;
  private static ReplayUpstream upstream;
  private static GatewayHarness gw;
  private static OpenAIClient client;

  @BeforeAll
  static void start() throws Exception {
    vertx = Vertx.vertx();
    upstream = new ReplayUpstream(vertx);
    upstream.start().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
    gw = GatewayHarness.start("""
        resilience: { backoff_base_ms: 1, backoff_max_ms: 5 }
        deployments:
          - { name: claude, provider: anthropic, base_url: %1$s, api_key_env: KEY, model: claude-sonnet-4-5, max_retries: 0 }
          - { name: gemini, provider: gemini, base_url: %1$s, api_key_env: KEY, model: gemini-2.5-flash, max_retries: 0 }
          - { name: compat, provider: openai, base_url: %1$s, api_key_env: KEY, model: some-model, max_retries: 0 }
        """.formatted(upstream.baseUrl()), null, o -> o.withEnv(Map.of("KEY", "replay-key")::get));
    // A bounded read: a stream the gateway never ends fails its case instead of hanging the build.
    client = OpenAIOkHttpClient.builder().baseUrl(gw.baseUrl() + "/v1").apiKey("unused").maxRetries(0)
        .timeout(java.time.Duration.ofSeconds(15)).build();
  }

  @AfterAll
  static void stop() throws Exception {
    client.close();
    gw.close();
    vertx.close().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
  }

  @Test
  void theCorpusIsUsefulAndSaysWhereEachCaseComesFrom() throws IOException {
    JsonNode cases = index().get("cases");
    assertTrue(cases.size() >= 12, "at least 12 cases");
    int recorded = 0;
    for (JsonNode c : cases) {
      JsonNode s = c.get("source");
      String fidelity = s.path("fidelity").asText();
      assertFalse(fidelity.isEmpty(), c.path("case") + " says how faithful it is");
      assertFalse(s.path("license").asText().isEmpty(), c.path("case") + " names a license");
      if (fidelity.startsWith("recorded")) {
        recorded++;
        assertEquals(40, s.path("commit").asText().length(), c.path("case") + " names a commit");
        assertFalse(s.path("repository").asText().isEmpty());
        assertFalse(s.path("path").asText().isEmpty());
      }
      assertNotNull(ProviderRecordingsTest.class.getResource(ROOT + c.path("file").asText()), c.path("file").asText());
    }
    assertTrue(recorded >= 12, "at least 12 recorded (not hand-written) cases: " + recorded);
  }

  @TestFactory
  Stream<DynamicTest> everyRecordingInBothPacings() throws IOException {
    List<DynamicTest> tests = new ArrayList<>();
    for (JsonNode c : index().get("cases")) {
      for (Pacing p : Pacing.values()) tests.add(dynamicTest(c.path("case").asText() + " " + p, () -> replay(c, p)));
    }
    return tests.stream();
  }

  private static void replay(JsonNode c, Pacing pacing) throws IOException {
    boolean stream = c.path("stream").asBoolean();
    byte[] body = bytes(c.path("file").asText());
    upstream.serve(c.path("status").asInt(), stream ? "text/event-stream" : "application/json", body, pacing);
    JsonNode expect = c.get("expect");
    Result r = stream ? streamed(deployment(c), expect) : complete(deployment(c), expect);
    String name = c.path("case").asText() + " " + pacing;
    if (expect.has("error_code")) {
      assertEquals(expect.get("error_code").asText(), r.errorCode, name + ": error code");
      if (expect.has("error_status")) assertEquals(expect.get("error_status").asInt(), r.errorStatus, name);
      if (expect.has("text")) assertEquals(expect.get("text").asText(), r.text.toString(), name + ": text before the error");
      return;
    }
    assertEquals(null, r.errorCode, name + ": no error");
    assertEquals(expect.path("text").asText(""), r.text.toString(), name + ": text");
    assertEquals(expect.path("reasoning").asText(""), r.reasoning.toString(), name + ": reasoning_content");
    assertEquals(expect.path("finish_reason").asText(), r.finishReason, name + ": finish_reason");
    assertEquals(1, r.finishReasons, name + ": exactly one finish_reason in the choice");
    assertEquals(expect.get("usage").get(0).asLong(), r.promptTokens, name + ": prompt_tokens");
    assertEquals(expect.get("usage").get(1).asLong(), r.completionTokens, name + ": completion_tokens");
    JsonNode calls = expect.get("tool_calls");
    assertEquals(calls.size(), r.calls.size(), name + ": tool calls " + r.calls);
    for (int i = 0; i < calls.size(); i++) {
      ToolCall got = r.calls.get(i);
      assertEquals(calls.get(i).get("id").asText(), got.id, name + ": tool call id");
      assertEquals(calls.get(i).get("name").asText(), got.name.toString(), name + ": tool name");
      if (expect.path("tool_arguments_complete").asBoolean(true)) {
        JsonNode args = Json.tryRead(got.arguments.toString());
        assertTrue(args != null && args.isObject(), name + ": arguments are a JSON object: " + got.arguments);
        assertEquals(Json.tryRead(calls.get(i).get("arguments").asText()), args, name + ": arguments");
      }
    }
  }

  // ---------------------------------------------------------------- reading with the SDK

  static final class ToolCall {
    String id;
    final StringBuilder name = new StringBuilder();
    final StringBuilder arguments = new StringBuilder();

    @Override
    public String toString() {
      return id + " " + name + "(" + arguments + ")";
    }
  }

  static final class Result {
    final StringBuilder text = new StringBuilder();
    final StringBuilder reasoning = new StringBuilder();
    final List<ToolCall> calls = new ArrayList<>();
    String finishReason;
    int finishReasons;
    long promptTokens = -1;
    long completionTokens = -1;
    String errorCode;
    int errorStatus;
  }

  private static ChatCompletionCreateParams.Builder ask(String model) {
    return ChatCompletionCreateParams.builder().model(model).addUserMessage("Replay, please.");
  }

  private static Result complete(String model, JsonNode expect) {
    Result r = new Result();
    try {
      ChatCompletion cc = client.chat().completions().create(ask(model).build());
      ChatCompletion.Choice choice = cc.choices().get(0);
      choice.message().content().ifPresent(r.text::append);
      string(choice.message()._additionalProperties().get("reasoning_content"), r.reasoning);
      choice.message().toolCalls().ifPresent(list -> list.forEach(tc -> {
        ToolCall t = new ToolCall();
        t.id = tc.asFunction().id();
        t.name.append(tc.asFunction().function().name());
        t.arguments.append(tc.asFunction().function().arguments());
        r.calls.add(t);
      }));
      r.finishReason = choice.finishReason().asString();
      r.finishReasons = 1;
      cc.usage().ifPresent(u -> {
        r.promptTokens = u.promptTokens();
        r.completionTokens = u.completionTokens();
      });
    } catch (OpenAIServiceException e) {
      r.errorCode = e.code().orElse("?");
      r.errorStatus = e.statusCode();
    }
    return r;
  }

  private static Result streamed(String model, JsonNode expect) {
    Result r = new Result();
    Map<Long, ToolCall> calls = new TreeMap<>();
    ChatCompletionCreateParams params = ask(model).streamOptions(ChatCompletionStreamOptions.builder().includeUsage(true).build()).build();
    try (StreamResponse<ChatCompletionChunk> s = client.chat().completions().createStreaming(params)) {
      s.stream().forEach(chunk -> {
        chunk.usage().ifPresent(u -> {
          r.promptTokens = u.promptTokens();
          r.completionTokens = u.completionTokens();
        });
        for (ChatCompletionChunk.Choice ch : chunk.choices()) {
          ch.delta().content().ifPresent(r.text::append);
          string(ch.delta()._additionalProperties().get("reasoning_content"), r.reasoning);
          ch.delta().toolCalls().ifPresent(list -> list.forEach(tc -> {
            ToolCall t = calls.computeIfAbsent(tc.index(), i -> new ToolCall());
            tc.id().ifPresent(id -> t.id = id);
            tc.function().ifPresent(f -> {
              f.name().ifPresent(t.name::append);
              f.arguments().ifPresent(t.arguments::append);
            });
          }));
          if (ch.finishReason().isPresent()) {
            r.finishReason = ch.finishReason().get().asString();
            r.finishReasons++;
          }
        }
      });
    } catch (OpenAIServiceException e) {
      r.errorCode = e.code().orElse(e.getMessage());
      r.errorStatus = e.statusCode();
    } catch (RuntimeException e) {
      fail("unexpected " + e, e);
    }
    r.calls.addAll(calls.values());
    return r;
  }

  private static void string(JsonValue v, StringBuilder into) {
    if (v != null && !v.isNull() && !v.isMissing()) into.append(v.convert(String.class));
  }

  // ---------------------------------------------------------------- corpus files

  private static String deployment(JsonNode c) {
    return switch (c.path("provider").asText()) {
      case "anthropic" -> "claude";
      case "gemini" -> "gemini";
      default -> "compat"; // openai, groq, deepseek: the OpenAI wire format
    };
  }

  private static JsonNode index() throws IOException {
    return Json.MAPPER.readTree(bytes("index.json"));
  }

  private static byte[] bytes(String file) throws IOException {
    try (InputStream in = ProviderRecordingsTest.class.getResourceAsStream(ROOT + file)) {
      if (in == null) throw new IOException("no recording " + file);
      return in.readAllBytes();
    }
  }
}
