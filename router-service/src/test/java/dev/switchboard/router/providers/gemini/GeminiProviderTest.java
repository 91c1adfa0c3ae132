package dev.switchboard.router.providers.gemini;

import static dev.switchboard.router.testkit.TestRequests.chat;
import static dev.switchboard.router.testkit.TestRequests.json;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.switchboard.router.config.Deployment;
import dev.switchboard.router.providers.contract.ChatResult;
import dev.switchboard.router.providers.contract.ErrorKind;
import dev.switchboard.router.providers.GeminiProvider;
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
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class GeminiProviderTest {
  private static final GeminiProvider P = GeminiProvider.INSTANCE;
  private static final Deployment D = TestDeployments.of(ProviderKind.GEMINI, "https://generativelanguage.googleapis.com", "gemini-2.0-flash");

  private static final String AGENT_REQUEST = """
      {"model":"fast","temperature":0.5,"top_p":0.8,"max_tokens":300,"stop":["END"],"n":2,"seed":7,
       "response_format":{"type":"json_object"},
       "messages":[
        {"role":"system","content":"You are terse."},
        {"role":"user","content":[{"type":"text","text":"Weather in Paris? Photo:"},
                                  {"type":"image_url","image_url":{"url":"data:image/jpeg;base64,/9j/4AAQ"}}]},
        {"role":"assistant","content":null,"tool_calls":[
           {"id":"call_0","type":"function","function":{"name":"get_weather","arguments":"{\\"city\\":\\"Paris\\"}"}},
           {"id":"call_1","type":"function","function":{"name":"get_time","arguments":"{}"}}]},
        {"role":"tool","tool_call_id":"call_0","content":"{\\"temp_c\\":18}"},
        {"role":"tool","tool_call_id":"call_1","content":"10:00"},
        {"role":"user","content":"Thanks"}],
       "tools":[{"type":"function","function":{"name":"get_weather","description":"Current weather",
                 "parameters":{"$schema":"http://json-schema.org/draft-07/schema#","type":"object","additionalProperties":false,
                               "properties":{"city":{"type":"string"},"additionalProperties":{"type":"boolean"}},"required":["city"]}}},
                {"type":"function","function":{"name":"get_time"}}],
       "tool_choice":{"type":"function","function":{"name":"get_weather"}}}""";

  private static final String AGENT_EXPECTED = """
      {"contents":[
        {"role":"user","parts":[{"text":"Weather in Paris? Photo:"},{"inlineData":{"mimeType":"image/jpeg","data":"/9j/4AAQ"}}]},
        {"role":"model","parts":[{"functionCall":{"name":"get_weather","args":{"city":"Paris"}}},
                                 {"functionCall":{"name":"get_time","args":{}}}]},
        {"role":"user","parts":[{"functionResponse":{"name":"get_weather","response":{"temp_c":18}}},
                                {"functionResponse":{"name":"get_time","response":{"content":"10:00"}}},
                                {"text":"Thanks"}]}],
       "systemInstruction":{"parts":[{"text":"You are terse."}]},
       "tools":[{"functionDeclarations":[
         {"name":"get_weather","description":"Current weather",
          "parameters":{"type":"object","properties":{"city":{"type":"string"},"additionalProperties":{"type":"boolean"}},"required":["city"]}},
         {"name":"get_time"}]}],
       "toolConfig":{"functionCallingConfig":{"mode":"ANY","allowedFunctionNames":["get_weather"]}},
       "generationConfig":{"temperature":0.5,"topP":0.8,"maxOutputTokens":300,"stopSequences":["END"],"candidateCount":2,
                           "responseMimeType":"application/json","seed":7}}""";

  @Test
  void translatesAFullAgentRequest() {
    UpstreamRequest up = P.toUpstream(D, chat(AGENT_REQUEST), "AIza-test");
    assertEquals("https://generativelanguage.googleapis.com/v1beta/models/gemini-2.0-flash:generateContent", up.url());
    assertEquals("AIza-test", up.headers().get("x-goog-api-key"));
    assertEquals("application/json", up.headers().get("Content-Type"));
    assertEquals(json(AGENT_EXPECTED), json(up.body()));
  }

  @Test
  void streamingUsesStreamGenerateContentWithAltSse() {
    UpstreamRequest up = P.toUpstream(D, chat("{\"model\":\"m\",\"stream\":true,\"messages\":[{\"role\":\"user\",\"content\":\"Hi\"}]}"), "k");
    assertEquals("https://generativelanguage.googleapis.com/v1beta/models/gemini-2.0-flash:streamGenerateContent?alt=sse", up.url());
    assertEquals(json("{\"contents\":[{\"role\":\"user\",\"parts\":[{\"text\":\"Hi\"}]}]}"), json(up.body()));
  }

  @Test
  void toolChoiceModes() {
    String base = "{\"model\":\"m\",\"messages\":[{\"role\":\"user\",\"content\":\"Hi\"}],\"tool_choice\":\"%s\"}";
    assertEquals("AUTO", json(P.toUpstream(D, chat(base.formatted("auto")), "k").body()).path("toolConfig").path("functionCallingConfig").path("mode").asText());
    assertEquals("NONE", json(P.toUpstream(D, chat(base.formatted("none")), "k").body()).path("toolConfig").path("functionCallingConfig").path("mode").asText());
    assertEquals("ANY", json(P.toUpstream(D, chat(base.formatted("required")), "k").body()).path("toolConfig").path("functionCallingConfig").path("mode").asText());
  }

  @Test
  void toolResultWithUnknownIdIsAClientError() {
    ProviderException e = assertThrows(ProviderException.class, () -> P.toUpstream(D, chat("""
        {"model":"m","messages":[{"role":"user","content":"Hi"},{"role":"tool","tool_call_id":"nope","content":"x"}]}"""), "k"));
    assertEquals(ErrorKind.BAD_REQUEST, e.error().kind());
    assertTrue(e.error().message().contains("messages[1].tool_call_id"), e.error().message());
  }

  @Test
  void anImagePartWithoutAUrlIsAClientErrorNamingThePart() {
    ProviderException e = assertThrows(ProviderException.class, () -> P.toUpstream(D, chat("""
        {"model":"m","messages":[{"role":"user","content":[{"type":"text","text":"What is this?"},{"type":"image_url","image_url":{}}]}]}"""), "k"));
    assertEquals(ErrorKind.BAD_REQUEST, e.error().kind());
    assertTrue(e.error().message().contains("messages[0].content[1].image_url.url is required"), e.error().message());
  }

  @Test
  void translatesATextResponse() {
    String body = """
        {"candidates":[{"content":{"parts":[{"text":"thinking...","thought":true},{"text":"Hello"},{"text":" world"}],"role":"model"},
                        "finishReason":"STOP","index":0,"safetyRatings":[]}],
         "usageMetadata":{"promptTokenCount":8,"candidatesTokenCount":4,"thoughtsTokenCount":3,"totalTokenCount":15},
         "modelVersion":"gemini-2.0-flash-001","responseId":"resp-1"}""";
    ChatResult r = P.fromUpstream(D, chat(AGENT_REQUEST), body.getBytes(StandardCharsets.UTF_8));
    assertEquals(new Usage(8, 7), r.usage());
    JsonNode c = r.completion();
    assertEquals("chat.completion", c.path("object").asText());
    assertEquals("gemini-2.0-flash-001", c.path("model").asText());
    JsonNode choice = c.path("choices").get(0);
    assertEquals("Hello world", choice.path("message").path("content").asText());
    assertEquals("stop", choice.path("finish_reason").asText());
  }

  @Test
  void translatesAFunctionCallResponse() {
    String body = """
        {"candidates":[{"content":{"parts":[{"functionCall":{"name":"get_weather","args":{"city":"Paris"}}},
                                            {"functionCall":{"name":"get_time","args":{}}}],"role":"model"},
                        "finishReason":"STOP","index":0}],
         "usageMetadata":{"promptTokenCount":20,"candidatesTokenCount":10,"totalTokenCount":30},"modelVersion":"gemini-2.0-flash"}""";
    JsonNode choice = P.fromUpstream(D, chat(AGENT_REQUEST), body.getBytes(StandardCharsets.UTF_8)).completion().path("choices").get(0);
    assertEquals("tool_calls", choice.path("finish_reason").asText());
    assertTrue(choice.path("message").path("content").isNull());
    JsonNode calls = choice.path("message").path("tool_calls");
    assertEquals("call_0", calls.get(0).path("id").asText());
    assertEquals("call_1", calls.get(1).path("id").asText());
    assertEquals("get_weather", calls.get(0).path("function").path("name").asText());
    assertEquals(json("{\"city\":\"Paris\"}"), json(calls.get(0).path("function").path("arguments").asText()));
  }

  @Test
  void finishReasonsMap() {
    for (String[] pair : new String[][] {{"MAX_TOKENS", "length"}, {"SAFETY", "content_filter"}, {"RECITATION", "content_filter"},
        {"BLOCKLIST", "content_filter"}, {"PROHIBITED_CONTENT", "content_filter"}}) {
      String body = "{\"candidates\":[{\"content\":{\"parts\":[{\"text\":\"x\"}],\"role\":\"model\"},\"finishReason\":\"" + pair[0] + "\"}]}";
      assertEquals(pair[1], P.fromUpstream(D, chat(AGENT_REQUEST), body.getBytes(StandardCharsets.UTF_8)).completion()
          .path("choices").get(0).path("finish_reason").asText(), pair[0]);
    }
  }

  @Test
  void blockedPromptIsAContentFilterError() {
    String body = "{\"promptFeedback\":{\"blockReason\":\"SAFETY\",\"safetyRatings\":[]},\"usageMetadata\":{\"promptTokenCount\":5,\"totalTokenCount\":5}}";
    ProviderException e = assertThrows(ProviderException.class, () -> P.fromUpstream(D, chat(AGENT_REQUEST), body.getBytes(StandardCharsets.UTF_8)));
    assertEquals(ErrorKind.CONTENT_FILTER, e.error().kind());
  }

  /** streamGenerateContent?alt=sse: CRLF-terminated events, each a GenerateContentResponse, no terminal event. */
  static final String TEXT_STREAM = """
      data: {"candidates": [{"content": {"parts": [{"text": "The"}],"role": "model"},"index": 0}],"usageMetadata": {"promptTokenCount": 8,"totalTokenCount": 8},"modelVersion": "gemini-2.0-flash","responseId": "r1"}

      data: {"candidates": [{"content": {"parts": [{"text": " quick brown fox"}],"role": "model"},"index": 0}],"usageMetadata": {"promptTokenCount": 8,"totalTokenCount": 8},"modelVersion": "gemini-2.0-flash","responseId": "r1"}

      data: {"candidates": [{"content": {"parts": [{"text": " jumps."}],"role": "model"},"finishReason": "STOP","index": 0}],"usageMetadata": {"promptTokenCount": 8,"candidatesTokenCount": 12,"totalTokenCount": 20},"modelVersion": "gemini-2.0-flash","responseId": "r1"}

      """;

  @Test
  void translatesTheTextStream() {
    StreamTranslator t = P.streamTranslator(D, chat(AGENT_REQUEST));
    List<String> chunks = SseStreams.translate(t, SseStreams.withLineEnding(TEXT_STREAM, "\r\n"));
    assertEquals(4, chunks.size(), "three text chunks, then the finish chunk at the end of the body");
    ChunkAssembler a = new ChunkAssembler().acceptAll(chunks);
    assertEquals("assistant", a.role());
    assertEquals("The quick brown fox jumps.", a.content());
    assertEquals("stop", a.finishReason());
    assertTrue(t.finished());
    assertEquals(new Usage(8, 12), t.usage());
    assertEquals(20, json(t.usageChunk()).path("usage").path("total_tokens").asInt());
    a.chunks().forEach(c -> assertEquals("r1", c.path("id").asText()));
  }

  @Test
  void translatesAFunctionCallStream() {
    String stream = """
        data: {"candidates": [{"content": {"parts": [{"text": "Let me check."}],"role": "model"},"index": 0}],"modelVersion": "gemini-2.0-flash"}

        data: {"candidates": [{"content": {"parts": [{"functionCall": {"name": "get_weather","args": {"city": "Paris"}}},{"functionCall": {"name": "get_time","args": {"tz": "CET"}}}],"role": "model"},"finishReason": "STOP","index": 0}],"usageMetadata": {"promptTokenCount": 30,"candidatesTokenCount": 9,"totalTokenCount": 39},"modelVersion": "gemini-2.0-flash"}

        """;
    StreamTranslator t = P.streamTranslator(D, chat(AGENT_REQUEST));
    assertFalse(t.finished());
    ChunkAssembler a = new ChunkAssembler().acceptAll(SseStreams.translate(t, stream));
    assertEquals("Let me check.", a.content());
    assertEquals("tool_calls", a.finishReason());
    assertEquals(2, a.toolCalls().size());
    assertEquals("call_0", a.toolCalls().get(0).path("id").asText());
    assertEquals("get_time", a.toolCalls().get(1).path("function").path("name").asText());
    assertEquals(json("{\"tz\":\"CET\"}"), json(a.toolCalls().get(1).path("function").path("arguments").asText()));
    assertEquals(new Usage(30, 9), t.usage());
    assertTrue(t.finished());
  }

  @Test
  void errorInsideTheStreamThrows() {
    StreamTranslator t = P.streamTranslator(D, chat(AGENT_REQUEST));
    ProviderException e = assertThrows(ProviderException.class, () -> t.onEvent(new SseEvent(null,
        "{\"error\":{\"code\":503,\"message\":\"The model is overloaded. Please try again later.\",\"status\":\"UNAVAILABLE\"}}", null)));
    assertEquals(ErrorKind.OVERLOADED, e.error().kind());
    assertNull(t.usageChunk());
  }

  private static UpstreamError classify(int status, String body) {
    return P.classifyError(status, Map.of(), body.getBytes(StandardCharsets.UTF_8));
  }

  @Test
  void classifiesErrors() {
    UpstreamError rl = classify(429, """
        {"error":{"code":429,"message":"You exceeded your current quota.","status":"RESOURCE_EXHAUSTED",
          "details":[{"@type":"type.googleapis.com/google.rpc.RetryInfo","retryDelay":"21s"}]}}""");
    assertEquals(ErrorKind.RATE_LIMITED, rl.kind());
    assertEquals(21_000, rl.retryAfterMs());
    assertEquals("You exceeded your current quota.", rl.message());
    assertEquals(ErrorKind.OVERLOADED, classify(503, "{\"error\":{\"code\":503,\"message\":\"The model is overloaded.\",\"status\":\"UNAVAILABLE\"}}").kind());
    assertEquals(ErrorKind.BAD_REQUEST, classify(400, "{\"error\":{\"code\":400,\"message\":\"Invalid JSON payload\",\"status\":\"INVALID_ARGUMENT\"}}").kind());
    assertEquals(ErrorKind.AUTH, classify(400, """
        {"error":{"code":400,"message":"API key not valid. Please pass a valid API key.","status":"INVALID_ARGUMENT",
          "details":[{"@type":"type.googleapis.com/google.rpc.ErrorInfo","reason":"API_KEY_INVALID","domain":"googleapis.com"}]}}""").kind());
    assertEquals(ErrorKind.AUTH, classify(403, "{\"error\":{\"code\":403,\"message\":\"denied\",\"status\":\"PERMISSION_DENIED\"}}").kind());
    assertEquals(ErrorKind.AUTH, classify(401, "{\"error\":{\"code\":401,\"message\":\"no\",\"status\":\"UNAUTHENTICATED\"}}").kind());
    assertEquals(ErrorKind.NOT_FOUND, classify(404, "{\"error\":{\"code\":404,\"message\":\"models/x is not found\",\"status\":\"NOT_FOUND\"}}").kind());
    assertEquals(ErrorKind.SERVER_ERROR, classify(500, "{\"error\":{\"code\":500,\"message\":\"An internal error has occurred.\",\"status\":\"INTERNAL\"}}").kind());
    assertEquals(ErrorKind.TIMEOUT, classify(504, "{\"error\":{\"code\":504,\"message\":\"deadline\",\"status\":\"DEADLINE_EXCEEDED\"}}").kind());
    assertEquals(ErrorKind.CONTEXT_LENGTH, classify(400, "{\"error\":{\"code\":400,\"message\":\"The input token count (1200000) exceeds the maximum number of tokens allowed (1048576).\",\"status\":\"INVALID_ARGUMENT\"}}").kind());
    assertEquals(ErrorKind.RATE_LIMITED, classify(429, "[{\"error\":{\"code\":429,\"message\":\"quota\",\"status\":\"RESOURCE_EXHAUSTED\"}}]").kind());
    assertEquals(ErrorKind.SERVER_ERROR, classify(502, "<html>bad gateway</html>").kind());
  }
}
