package dev.switchboard.router.providers.openai;

import static dev.switchboard.router.testkit.TestRequests.chat;
import static dev.switchboard.router.testkit.TestRequests.json;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.switchboard.router.config.Deployment;
import dev.switchboard.router.providers.contract.ChatRequest;
import dev.switchboard.router.providers.contract.ChatResult;
import dev.switchboard.router.providers.contract.ErrorKind;
import dev.switchboard.router.providers.OpenAiCompatibleProvider;
import dev.switchboard.router.providers.contract.ProviderException;
import dev.switchboard.router.config.ProviderKind;
import dev.switchboard.router.providers.contract.SseEvent;
import dev.switchboard.router.providers.contract.StreamTranslator;
import dev.switchboard.router.providers.contract.UpstreamError;
import dev.switchboard.router.providers.contract.UpstreamRequest;
import dev.switchboard.router.providers.contract.Usage;
import dev.switchboard.router.testkit.ChunkAssembler;
import dev.switchboard.router.testkit.SseStreams;
import dev.switchboard.router.testkit.TestDeployments;
import java.nio.charset.StandardCharsets;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class OpenAiCompatibleProviderTest {
  private static final OpenAiCompatibleProvider P = OpenAiCompatibleProvider.INSTANCE;
  private static final Deployment OPENAI = TestDeployments.of(ProviderKind.OPENAI, "https://api.openai.com/v1", "gpt-4o-mini");

  private static final String REQUEST = """
      {"model":"cheap","messages":[{"role":"system","content":"Be brief."},{"role":"user","content":"Hi"}],
       "temperature":0.2,"logit_bias":{"50256":-100},"some_future_field":{"x":[1,2]}}""";

  @Test
  void requestKeepsClientBodyReplacesModelAndUsesBearerAuth() {
    UpstreamRequest up = P.toUpstream(OPENAI, chat(REQUEST), "sk-test");
    assertEquals("POST", up.method());
    assertEquals("https://api.openai.com/v1/chat/completions", up.url());
    assertEquals("Bearer sk-test", up.headers().get("Authorization"));
    assertEquals("application/json", up.headers().get("Content-Type"));
    JsonNode expected = json(REQUEST.replace("\"cheap\"", "\"gpt-4o-mini\""));
    assertEquals(expected, json(up.body()));
    assertFalse(up.toString().contains("sk-test"), "toString must not leak the key");
  }

  @Test
  void requestDoesNotMutateTheClientBody() {
    ChatRequest r = chat(REQUEST.replace("\"temperature\"", "\"stream\":true,\"temperature\""));
    String before = r.body().toString();
    P.toUpstream(OPENAI, r, "k");
    assertEquals(before, r.body().toString());
  }

  @Test
  void streamingAlwaysAsksForUsageAndKeepsOtherStreamOptions() {
    ChatRequest r = chat("""
        {"model":"m","stream":true,"stream_options":{"include_obfuscation":false},"messages":[{"role":"user","content":"Hi"}]}""");
    JsonNode body = json(P.toUpstream(OPENAI, r, "k").body());
    assertTrue(body.path("stream").asBoolean());
    assertTrue(body.path("stream_options").path("include_usage").asBoolean());
    assertFalse(body.path("stream_options").path("include_obfuscation").asBoolean(true));
  }

  @Test
  void noAuthHeaderWithoutKeyAndDeploymentHeadersAdded() {
    Deployment d = TestDeployments.of(ProviderKind.OPENAI, "http://127.0.0.1:11434/v1/", "llama3", null,
        Map.of("HTTP-Referer", "https://example.org"), 0);
    UpstreamRequest up = P.toUpstream(d, chat(REQUEST), null);
    assertEquals("http://127.0.0.1:11434/v1/chat/completions", up.url());
    assertFalse(up.headers().containsKey("Authorization"));
    assertEquals("https://example.org", up.headers().get("HTTP-Referer"));
  }

  @Test
  void azureUsesDeploymentPathApiVersionAndApiKeyHeader() {
    Deployment d = TestDeployments.of(ProviderKind.AZURE, "https://myres.openai.azure.com", "gpt4o-prod");
    UpstreamRequest up = P.toUpstream(d, chat(REQUEST), "az-key");
    assertEquals("https://myres.openai.azure.com/openai/deployments/gpt4o-prod/chat/completions?api-version=2024-10-21", up.url());
    assertEquals("az-key", up.headers().get("api-key"));
    assertFalse(up.headers().containsKey("Authorization"));
    Deployment pinned = TestDeployments.of(ProviderKind.AZURE, "https://myres.openai.azure.com/", "gpt4o-prod", "2025-01-01-preview",
        Map.of(), 0);
    assertTrue(P.toUpstream(pinned, chat(REQUEST), "k").url().endsWith("?api-version=2025-01-01-preview"));
  }

  @Test
  void responseIsKeptAndUsageRead() {
    String body = """
        {"id":"chatcmpl-abc","object":"chat.completion","created":1741569952,"model":"gpt-4o-mini-2024-07-18",
         "choices":[{"index":0,"message":{"role":"assistant","content":"Hello!","refusal":null,"annotations":[]},
                     "logprobs":null,"finish_reason":"stop"}],
         "usage":{"prompt_tokens":19,"completion_tokens":10,"total_tokens":29,
                  "prompt_tokens_details":{"cached_tokens":0,"audio_tokens":0}},
         "service_tier":"default","system_fingerprint":"fp_06737a9306"}""";
    ChatResult r = P.fromUpstream(OPENAI, chat(REQUEST), body.getBytes(StandardCharsets.UTF_8));
    assertEquals(new Usage(19, 10), r.usage());
    assertEquals(json(body), r.completion());
  }

  @Test
  void unreadableResponseIsInvalidResponse() {
    ProviderException e = assertThrows(ProviderException.class,
        () -> P.fromUpstream(OPENAI, chat(REQUEST), "<html>bad gateway</html>".getBytes(StandardCharsets.UTF_8)));
    assertEquals(ErrorKind.INVALID_RESPONSE, e.error().kind());
  }

  static final String STREAM = """
      data: {"id":"chatcmpl-123","object":"chat.completion.chunk","created":1694268190,"model":"gpt-4o-mini","system_fingerprint":"fp_44709d6fcb","choices":[{"index":0,"delta":{"role":"assistant","content":"","refusal":null},"logprobs":null,"finish_reason":null}],"usage":null}

      data: {"id":"chatcmpl-123","object":"chat.completion.chunk","created":1694268190,"model":"gpt-4o-mini","system_fingerprint":"fp_44709d6fcb","choices":[{"index":0,"delta":{"content":"Hello"},"logprobs":null,"finish_reason":null}],"usage":null}

      data: {"id":"chatcmpl-123","object":"chat.completion.chunk","created":1694268190,"model":"gpt-4o-mini","system_fingerprint":"fp_44709d6fcb","choices":[{"index":0,"delta":{"content":" there"},"logprobs":null,"finish_reason":null}],"usage":null}

      data: {"id":"chatcmpl-123","object":"chat.completion.chunk","created":1694268190,"model":"gpt-4o-mini","system_fingerprint":"fp_44709d6fcb","choices":[{"index":0,"delta":{},"logprobs":null,"finish_reason":"stop"}],"usage":null}

      data: {"id":"chatcmpl-123","object":"chat.completion.chunk","created":1694268190,"model":"gpt-4o-mini","system_fingerprint":"fp_44709d6fcb","choices":[],"usage":{"prompt_tokens":9,"completion_tokens":2,"total_tokens":11}}

      data: [DONE]

      """;

  @Test
  void streamPassesChunksThroughAndWithholdsTheUsageChunk() {
    StreamTranslator t = P.streamTranslator(OPENAI, chat(REQUEST));
    List<String> chunks = SseStreams.translate(t, STREAM);
    assertEquals(4, chunks.size());
    ChunkAssembler a = new ChunkAssembler().acceptAll(chunks);
    assertEquals("assistant", a.role());
    assertEquals("Hello there", a.content());
    assertEquals("stop", a.finishReason());
    assertTrue(t.finished());
    assertEquals(new Usage(9, 2), t.usage());
    JsonNode usageChunk = json(t.usageChunk());
    assertEquals(0, usageChunk.get("choices").size());
    assertEquals(11, usageChunk.path("usage").path("total_tokens").asInt());
  }

  @Test
  void streamToolCallChunksPassThrough() {
    String stream = """
        data: {"id":"c1","object":"chat.completion.chunk","created":1,"model":"gpt-4o","choices":[{"index":0,"delta":{"role":"assistant","content":null,"tool_calls":[{"index":0,"id":"call_abc","type":"function","function":{"name":"get_weather","arguments":""}}]},"finish_reason":null}]}

        data: {"id":"c1","object":"chat.completion.chunk","created":1,"model":"gpt-4o","choices":[{"index":0,"delta":{"tool_calls":[{"index":0,"function":{"arguments":"{\\"city\\":"}}]},"finish_reason":null}]}

        data: {"id":"c1","object":"chat.completion.chunk","created":1,"model":"gpt-4o","choices":[{"index":0,"delta":{"tool_calls":[{"index":0,"function":{"arguments":"\\"Paris\\"}"}}]},"finish_reason":null}]}

        data: {"id":"c1","object":"chat.completion.chunk","created":1,"model":"gpt-4o","choices":[{"index":0,"delta":{},"finish_reason":"tool_calls"}]}

        data: [DONE]

        """;
    StreamTranslator t = P.streamTranslator(OPENAI, chat(REQUEST));
    ChunkAssembler a = new ChunkAssembler().acceptAll(SseStreams.translate(t, stream));
    assertEquals("tool_calls", a.finishReason());
    JsonNode call = a.toolCalls().get(0);
    assertEquals("call_abc", call.path("id").asText());
    assertEquals("get_weather", call.path("function").path("name").asText());
    assertEquals(json("{\"city\":\"Paris\"}"), json(call.path("function").path("arguments").asText()));
    assertNull(t.usageChunk());
  }

  @Test
  void usageOnTheLastContentChunkIsSplitOff() {
    StreamTranslator t = P.streamTranslator(OPENAI, chat(REQUEST));
    List<String> out = t.onEvent(new SseEvent(null, """
        {"id":"x","object":"chat.completion.chunk","created":1,"model":"llama","choices":[{"index":0,"delta":{},"finish_reason":"stop"}],"usage":{"prompt_tokens":5,"completion_tokens":7,"total_tokens":12}}""", null));
    assertEquals(1, out.size());
    assertFalse(json(out.get(0)).has("usage"));
    assertEquals(new Usage(5, 7), t.usage());
    assertEquals(12, json(t.usageChunk()).path("usage").path("total_tokens").asInt());
  }

  @Test
  void errorInsideTheStreamThrows() {
    StreamTranslator t = P.streamTranslator(OPENAI, chat(REQUEST));
    ProviderException e = assertThrows(ProviderException.class, () -> t.onEvent(new SseEvent(null,
        "{\"error\":{\"message\":\"The server had an error while processing your request.\",\"type\":\"server_error\",\"param\":null,\"code\":null}}", null)));
    assertEquals(ErrorKind.SERVER_ERROR, e.error().kind());
    assertEquals("The server had an error while processing your request.", e.error().message());
  }

  private static UpstreamError classify(int status, Map<String, String> headers, String body) {
    return P.classifyError(status, headers, body == null ? new byte[0] : body.getBytes(StandardCharsets.UTF_8));
  }

  @Test
  void classifiesErrors() {
    String ctx = """
        {"error":{"message":"This model's maximum context length is 128000 tokens. However, your messages resulted in 130000 tokens.","type":"invalid_request_error","param":"messages","code":"context_length_exceeded"}}""";
    assertEquals(ErrorKind.CONTEXT_LENGTH, classify(400, Map.of(), ctx).kind());
    UpstreamError bad = classify(400, Map.of(), "{\"error\":{\"message\":\"Invalid 'temperature'\",\"type\":\"invalid_request_error\",\"param\":\"temperature\",\"code\":null}}");
    assertEquals(ErrorKind.BAD_REQUEST, bad.kind());
    assertEquals("Invalid 'temperature'", bad.message());
    assertEquals(ErrorKind.AUTH, classify(401, Map.of(), "{\"error\":{\"message\":\"Incorrect API key provided\",\"type\":\"invalid_request_error\",\"code\":\"invalid_api_key\"}}").kind());
    assertEquals(ErrorKind.AUTH, classify(403, Map.of(), null).kind());
    assertEquals(ErrorKind.NOT_FOUND, classify(404, Map.of(), null).kind());
    assertEquals(ErrorKind.TIMEOUT, classify(408, Map.of(), null).kind());
    assertEquals(ErrorKind.SERVER_ERROR, classify(500, Map.of(), "<html>oops</html>").kind());
    assertEquals(ErrorKind.SERVER_ERROR, classify(502, Map.of(), null).kind());
    assertTrue(classify(503, Map.of(), null).kind().retriable());
    UpstreamError html = classify(502, Map.of(), "<html>Bad Gateway</html>");
    assertFalse(html.message().contains("<html>"), "no raw bodies in messages");
  }

  @Test
  void rateLimitReadsRetryAfterInAnyCaseAndForm() {
    String body = "{\"error\":{\"message\":\"Rate limit reached for gpt-4o\",\"type\":\"requests\",\"param\":null,\"code\":\"rate_limit_exceeded\"}}";
    UpstreamError seconds = classify(429, Map.of("Retry-After", "2"), body);
    assertEquals(ErrorKind.RATE_LIMITED, seconds.kind());
    assertEquals(2000, seconds.retryAfterMs());
    assertEquals("Rate limit reached for gpt-4o", seconds.message());
    assertEquals(1500, classify(429, Map.of("RETRY-AFTER-MS", "1500", "retry-after", "2"), body).retryAfterMs());
    String date = ZonedDateTime.now(ZoneOffset.UTC).plusSeconds(30).format(DateTimeFormatter.RFC_1123_DATE_TIME);
    long fromDate = classify(429, Map.of("retry-after", date), body).retryAfterMs();
    assertTrue(fromDate > 25_000 && fromDate <= 30_000, "HTTP-date Retry-After gave " + fromDate);
    assertEquals(-1, classify(429, Map.of(), body).retryAfterMs());
  }
}
