package dev.switchboard.router.providers.anthropic;

import static dev.switchboard.router.testkit.TestRequests.chat;
import static dev.switchboard.router.testkit.TestRequests.json;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.switchboard.router.config.Deployment;
import dev.switchboard.router.providers.AnthropicProvider;
import dev.switchboard.router.providers.contract.ChatResult;
import dev.switchboard.router.providers.contract.ErrorKind;
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
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class AnthropicProviderTest {
  private static final AnthropicProvider P = AnthropicProvider.INSTANCE;
  private static final Deployment D = TestDeployments.of(ProviderKind.ANTHROPIC, "https://api.anthropic.com", "claude-3-5-haiku-20241022");

  /** A full agent turn: system + developer, images, assistant tool calls, two tool results, a follow-up. */
  private static final String AGENT_REQUEST = """
      {"model":"smart","user":"user-42","temperature":0.3,"top_p":0.9,"stop":"END",
       "messages":[
        {"role":"system","content":"You are terse."},
        {"role":"developer","content":[{"type":"text","text":"Use tools."}]},
        {"role":"user","content":[{"type":"text","text":"Weather in Paris and Rome? See photo."},
                                  {"type":"image_url","image_url":{"url":"data:image/png;base64,iVBORw0KGgo="}},
                                  {"type":"image_url","image_url":{"url":"https://example.org/a.jpg","detail":"low"}}]},
        {"role":"assistant","content":"Checking.","tool_calls":[
           {"id":"toolu_1","type":"function","function":{"name":"get_weather","arguments":"{\\"city\\":\\"Paris\\"}"}},
           {"id":"toolu_2","type":"function","function":{"name":"get_weather","arguments":"{\\"city\\":\\"Rome\\"}"}}]},
        {"role":"tool","tool_call_id":"toolu_1","content":"18C sunny"},
        {"role":"tool","tool_call_id":"toolu_2","content":[{"type":"text","text":"22C"}]},
        {"role":"user","content":"Thanks"}],
       "tools":[{"type":"function","function":{"name":"get_weather","description":"Current weather",
                 "parameters":{"type":"object","properties":{"city":{"type":"string"}},"required":["city"]}}}],
       "tool_choice":"required"}""";

  private static final String AGENT_EXPECTED = """
      {"model":"claude-3-5-haiku-20241022","max_tokens":4096,
       "system":"You are terse.\\n\\nUse tools.",
       "messages":[
        {"role":"user","content":[{"type":"text","text":"Weather in Paris and Rome? See photo."},
          {"type":"image","source":{"type":"base64","media_type":"image/png","data":"iVBORw0KGgo="}},
          {"type":"image","source":{"type":"url","url":"https://example.org/a.jpg"}}]},
        {"role":"assistant","content":[{"type":"text","text":"Checking."},
          {"type":"tool_use","id":"toolu_1","name":"get_weather","input":{"city":"Paris"}},
          {"type":"tool_use","id":"toolu_2","name":"get_weather","input":{"city":"Rome"}}]},
        {"role":"user","content":[{"type":"tool_result","tool_use_id":"toolu_1","content":"18C sunny"},
          {"type":"tool_result","tool_use_id":"toolu_2","content":"22C"},
          {"type":"text","text":"Thanks"}]}],
       "temperature":0.3,"top_p":0.9,"stop_sequences":["END"],
       "tools":[{"name":"get_weather","description":"Current weather",
                 "input_schema":{"type":"object","properties":{"city":{"type":"string"}},"required":["city"]}}],
       "tool_choice":{"type":"any"},
       "metadata":{"user_id":"user-42"}}""";

  @Test
  void translatesAFullAgentRequest() {
    UpstreamRequest up = P.toUpstream(D, chat(AGENT_REQUEST), "sk-ant-test");
    assertEquals("POST", up.method());
    assertEquals("https://api.anthropic.com/v1/messages", up.url());
    assertEquals("sk-ant-test", up.headers().get("x-api-key"));
    assertEquals("2023-06-01", up.headers().get("anthropic-version"));
    assertEquals("application/json", up.headers().get("content-type"));
    assertEquals(json(AGENT_EXPECTED), json(up.body()));
  }

  @Test
  void maxTokensFromClientElseDeploymentDefault() {
    String base = "{\"model\":\"m\",\"messages\":[{\"role\":\"user\",\"content\":\"Hi\"}]%s}";
    assertEquals(77, json(P.toUpstream(D, chat(base.formatted(",\"max_completion_tokens\":77,\"max_tokens\":5")), "k").body())
        .path("max_tokens").asInt());
    assertEquals(5, json(P.toUpstream(D, chat(base.formatted(",\"max_tokens\":5")), "k").body()).path("max_tokens").asInt());
    Deployment withDefault = TestDeployments.of(ProviderKind.ANTHROPIC, "https://api.anthropic.com/", "claude", "2023-01-01", Map.of(), 1024);
    UpstreamRequest up = P.toUpstream(withDefault, chat(base.formatted("")), "k");
    assertEquals(1024, json(up.body()).path("max_tokens").asInt());
    assertEquals("2023-01-01", up.headers().get("anthropic-version"));
    assertEquals("https://api.anthropic.com/v1/messages", up.url());
  }

  @Test
  void toolChoiceVariantsAndStreamFlag() {
    String base = "{\"model\":\"m\",\"stream\":true,\"messages\":[{\"role\":\"user\",\"content\":\"Hi\"}],\"tool_choice\":%s%s}";
    assertEquals(json("{\"type\":\"auto\"}"), json(P.toUpstream(D, chat(base.formatted("\"auto\"", "")), "k").body()).get("tool_choice"));
    assertEquals(json("{\"type\":\"none\"}"), json(P.toUpstream(D, chat(base.formatted("\"none\"", "")), "k").body()).get("tool_choice"));
    JsonNode named = json(P.toUpstream(D, chat(base.formatted("{\"type\":\"function\",\"function\":{\"name\":\"f\"}}",
        ",\"parallel_tool_calls\":false")), "k").body());
    assertEquals(json("{\"type\":\"tool\",\"name\":\"f\",\"disable_parallel_tool_use\":true}"), named.get("tool_choice"));
    assertTrue(named.path("stream").asBoolean());
    assertEquals(json("[\"a\",\"b\"]"), json(P.toUpstream(D, chat("{\"model\":\"m\",\"stop\":[\"a\",\"b\"],\"messages\":[{\"role\":\"user\",\"content\":\"Hi\"}]}"), "k").body()).get("stop_sequences"));
  }

  @Test
  void consecutiveSameRoleMessagesMergeAndBadArgumentsAreAClientError() {
    JsonNode body = json(P.toUpstream(D, chat("""
        {"model":"m","messages":[{"role":"user","content":"a"},{"role":"user","content":"b"},{"role":"assistant","content":"c"}]}"""), "k").body());
    assertEquals(json("[{\"role\":\"user\",\"content\":[{\"type\":\"text\",\"text\":\"a\"},{\"type\":\"text\",\"text\":\"b\"}]},"
        + "{\"role\":\"assistant\",\"content\":[{\"type\":\"text\",\"text\":\"c\"}]}]"), body.get("messages"));
    ProviderException e = assertThrows(ProviderException.class, () -> P.toUpstream(D, chat("""
        {"model":"m","messages":[{"role":"assistant","tool_calls":[{"id":"t","type":"function","function":{"name":"f","arguments":"{not json"}}]}]}"""), "k"));
    assertEquals(ErrorKind.BAD_REQUEST, e.error().kind());
    assertTrue(e.error().message().contains("messages[0].tool_calls[0].function.arguments"), e.error().message());
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
        {"id":"msg_01XFDUDYJgAACzvnptvVoYEL","type":"message","role":"assistant","model":"claude-3-5-haiku-20241022",
         "content":[{"type":"text","text":"Hello"},{"type":"text","text":" world"}],
         "stop_reason":"end_turn","stop_sequence":null,
         "usage":{"input_tokens":12,"cache_creation_input_tokens":3,"cache_read_input_tokens":5,"output_tokens":6}}""";
    ChatResult r = P.fromUpstream(D, chat(AGENT_REQUEST), body.getBytes(StandardCharsets.UTF_8));
    assertEquals(new Usage(20, 6), r.usage());
    JsonNode c = r.completion();
    assertEquals("chat.completion", c.path("object").asText());
    assertEquals("msg_01XFDUDYJgAACzvnptvVoYEL", c.path("id").asText());
    assertEquals("claude-3-5-haiku-20241022", c.path("model").asText());
    assertTrue(c.path("created").asLong() > 1_700_000_000L);
    JsonNode choice = c.path("choices").get(0);
    assertEquals("assistant", choice.path("message").path("role").asText());
    assertEquals("Hello world", choice.path("message").path("content").asText());
    assertEquals("stop", choice.path("finish_reason").asText());
    assertEquals(26, c.path("usage").path("total_tokens").asInt());
  }

  @Test
  void translatesAToolUseResponse() {
    String body = """
        {"id":"msg_01Aq9w938a90dw8q","type":"message","role":"assistant","model":"claude-3-5-sonnet-20241022",
         "content":[{"type":"text","text":"<thinking>I need the weather</thinking>"},
                    {"type":"tool_use","id":"toolu_01A09q90qw90lq917835lq9","name":"get_weather","input":{"location":"San Francisco, CA","unit":"celsius"}}],
         "stop_reason":"tool_use","stop_sequence":null,"usage":{"input_tokens":472,"output_tokens":89}}""";
    JsonNode choice = P.fromUpstream(D, chat(AGENT_REQUEST), body.getBytes(StandardCharsets.UTF_8)).completion().path("choices").get(0);
    assertEquals("tool_calls", choice.path("finish_reason").asText());
    JsonNode call = choice.path("message").path("tool_calls").get(0);
    assertEquals("toolu_01A09q90qw90lq917835lq9", call.path("id").asText());
    assertEquals("function", call.path("type").asText());
    assertEquals("get_weather", call.path("function").path("name").asText());
    assertEquals(json("{\"location\":\"San Francisco, CA\",\"unit\":\"celsius\"}"), json(call.path("function").path("arguments").asText()));
  }

  @Test
  void maxTokensStopReasonIsLength() {
    String body = "{\"id\":\"m\",\"type\":\"message\",\"role\":\"assistant\",\"model\":\"c\",\"content\":[{\"type\":\"text\",\"text\":\"cut\"}],"
        + "\"stop_reason\":\"max_tokens\",\"usage\":{\"input_tokens\":1,\"output_tokens\":2}}";
    assertEquals("length", P.fromUpstream(D, chat(AGENT_REQUEST), body.getBytes(StandardCharsets.UTF_8)).completion()
        .path("choices").get(0).path("finish_reason").asText());
  }

  /** The documented text stream, with a ping and a content_block_stop. */
  static final String TEXT_STREAM = """
      event: message_start
      data: {"type":"message_start","message":{"id":"msg_1nZdL29xx5MUA1yADyHTEsnR8uuvGzszyY","type":"message","role":"assistant","content":[],"model":"claude-3-5-sonnet-20241022","stop_reason":null,"stop_sequence":null,"usage":{"input_tokens":25,"output_tokens":1}}}

      event: content_block_start
      data: {"type":"content_block_start","index":0,"content_block":{"type":"text","text":""}}

      event: ping
      data: {"type": "ping"}

      event: content_block_delta
      data: {"type":"content_block_delta","index":0,"delta":{"type":"text_delta","text":"Hello"}}

      event: content_block_delta
      data: {"type":"content_block_delta","index":0,"delta":{"type":"text_delta","text":"!"}}

      event: content_block_stop
      data: {"type":"content_block_stop","index":0}

      event: message_delta
      data: {"type":"message_delta","delta":{"stop_reason":"end_turn","stop_sequence":null},"usage":{"output_tokens":15}}

      event: message_stop
      data: {"type":"message_stop"}

      """;

  @ParameterizedTest
  @ValueSource(strings = {"\n", "\r\n"})
  void translatesTheTextStream(String ending) {
    StreamTranslator t = P.streamTranslator(D, chat(AGENT_REQUEST));
    List<String> chunks = SseStreams.translate(t, SseStreams.withLineEnding(TEXT_STREAM, ending));
    ChunkAssembler a = new ChunkAssembler().acceptAll(chunks);
    assertEquals(4, chunks.size(), "role, two deltas, finish: " + chunks);
    assertEquals("assistant", a.role());
    assertEquals("Hello!", a.content());
    assertEquals("stop", a.finishReason());
    a.chunks().forEach(c -> {
      assertEquals("msg_1nZdL29xx5MUA1yADyHTEsnR8uuvGzszyY", c.path("id").asText());
      assertEquals("claude-3-5-sonnet-20241022", c.path("model").asText());
    });
    assertTrue(t.finished());
    assertEquals(new Usage(25, 15), t.usage());
    JsonNode usage = json(t.usageChunk());
    assertEquals(0, usage.path("choices").size());
    assertEquals(40, usage.path("usage").path("total_tokens").asInt());
  }

  /** Text block, then two tool_use blocks: tool call indexes 0 and 1 although block indexes are 1 and 2. */
  static final String TOOL_STREAM = """
      event: message_start
      data: {"type":"message_start","message":{"id":"msg_014p7gG3wDgGV9EUtLvnow3U","type":"message","role":"assistant","model":"claude-3-haiku-20240307","stop_sequence":null,"usage":{"input_tokens":472,"output_tokens":2},"content":[],"stop_reason":null}}

      event: content_block_start
      data: {"type":"content_block_start","index":0,"content_block":{"type":"text","text":""}}

      event: ping
      data: {"type": "ping"}

      event: content_block_delta
      data: {"type":"content_block_delta","index":0,"delta":{"type":"text_delta","text":"Okay, let me check."}}

      event: content_block_stop
      data: {"type":"content_block_stop","index":0}

      event: content_block_start
      data: {"type":"content_block_start","index":1,"content_block":{"type":"tool_use","id":"toolu_01T1x1fJ34qAmk2tNTrN7Up6","name":"get_weather","input":{}}}

      event: content_block_delta
      data: {"type":"content_block_delta","index":1,"delta":{"type":"input_json_delta","partial_json":""}}

      event: content_block_delta
      data: {"type":"content_block_delta","index":1,"delta":{"type":"input_json_delta","partial_json":"{\\"location\\":"}}

      event: content_block_delta
      data: {"type":"content_block_delta","index":1,"delta":{"type":"input_json_delta","partial_json":" \\"San Francisco, CA\\"}"}}

      event: content_block_stop
      data: {"type":"content_block_stop","index":1}

      event: content_block_start
      data: {"type":"content_block_start","index":2,"content_block":{"type":"tool_use","id":"toolu_02","name":"get_time","input":{}}}

      event: content_block_delta
      data: {"type":"content_block_delta","index":2,"delta":{"type":"input_json_delta","partial_json":"{\\"tz\\": \\"PST\\"}"}}

      event: content_block_stop
      data: {"type":"content_block_stop","index":2}

      event: some_future_event
      data: {"type":"some_future_event","x":1}

      event: message_delta
      data: {"type":"message_delta","delta":{"stop_reason":"tool_use","stop_sequence":null},"usage":{"output_tokens":89}}

      event: message_stop
      data: {"type":"message_stop"}

      """;

  @Test
  void translatesTheToolUseStream() {
    StreamTranslator t = P.streamTranslator(D, chat(AGENT_REQUEST));
    ChunkAssembler a = new ChunkAssembler().acceptAll(SseStreams.translate(t, TOOL_STREAM));
    assertEquals("Okay, let me check.", a.content());
    assertEquals("tool_calls", a.finishReason());
    assertEquals(2, a.toolCalls().size());
    JsonNode first = a.toolCalls().get(0);
    assertEquals("toolu_01T1x1fJ34qAmk2tNTrN7Up6", first.path("id").asText());
    assertEquals("function", first.path("type").asText());
    assertEquals("get_weather", first.path("function").path("name").asText());
    assertEquals(json("{\"location\":\"San Francisco, CA\"}"), json(first.path("function").path("arguments").asText()));
    assertEquals("get_time", a.toolCalls().get(1).path("function").path("name").asText());
    assertEquals(json("{\"tz\":\"PST\"}"), json(a.toolCalls().get(1).path("function").path("arguments").asText()));
    assertEquals(new Usage(472, 89), t.usage());
    assertTrue(t.finished());
  }

  @Test
  void errorEventsThrowClassified() {
    StreamTranslator t = P.streamTranslator(D, chat(AGENT_REQUEST));
    SseStreams.translate(t, TEXT_STREAM.substring(0, TEXT_STREAM.indexOf("event: ping")));
    ProviderException e = assertThrows(ProviderException.class, () -> t.onEvent(new SseEvent("error",
        "{\"type\": \"error\", \"error\": {\"type\": \"overloaded_error\", \"message\": \"Overloaded\"}}", null)));
    assertEquals(ErrorKind.OVERLOADED, e.error().kind());
    assertEquals("Overloaded", e.error().message());
    assertFalse(t.finished());
    ProviderException rl = assertThrows(ProviderException.class, () -> P.streamTranslator(D, chat(AGENT_REQUEST)).onEvent(
        new SseEvent("error", "{\"type\":\"error\",\"error\":{\"type\":\"rate_limit_error\",\"message\":\"slow down\"}}", null)));
    assertEquals(ErrorKind.RATE_LIMITED, rl.error().kind());
    ProviderException api = assertThrows(ProviderException.class, () -> P.streamTranslator(D, chat(AGENT_REQUEST)).onEvent(
        new SseEvent("error", "{\"type\":\"error\",\"error\":{\"type\":\"api_error\",\"message\":\"Internal server error\"}}", null)));
    assertEquals(ErrorKind.SERVER_ERROR, api.error().kind());
  }

  private static UpstreamError classify(int status, Map<String, String> headers, String type, String message) {
    String body = type == null ? "" : "{\"type\":\"error\",\"error\":{\"type\":\"" + type + "\",\"message\":\"" + message + "\"}}";
    return P.classifyError(status, headers, body.getBytes(StandardCharsets.UTF_8));
  }

  @Test
  void classifiesErrors() {
    assertEquals(ErrorKind.BAD_REQUEST, classify(400, Map.of(), "invalid_request_error", "messages: field required").kind());
    UpstreamError ctx = classify(400, Map.of(), "invalid_request_error", "prompt is too long: 210000 tokens > 200000 maximum");
    assertEquals(ErrorKind.CONTEXT_LENGTH, ctx.kind());
    assertEquals("prompt is too long: 210000 tokens > 200000 maximum", ctx.message());
    assertEquals(ErrorKind.AUTH, classify(401, Map.of(), "authentication_error", "invalid x-api-key").kind());
    assertEquals(ErrorKind.AUTH, classify(403, Map.of(), "permission_error", "no").kind());
    assertEquals(ErrorKind.NOT_FOUND, classify(404, Map.of(), "not_found_error", "model: claude-9").kind());
    UpstreamError rl = classify(429, Map.of("Retry-After", "7"), "rate_limit_error", "Number of request tokens has exceeded your per-minute rate limit");
    assertEquals(ErrorKind.RATE_LIMITED, rl.kind());
    assertEquals(7000, rl.retryAfterMs());
    assertEquals(ErrorKind.SERVER_ERROR, classify(500, Map.of(), "api_error", "Internal server error").kind());
    assertEquals(ErrorKind.OVERLOADED, classify(529, Map.of(), "overloaded_error", "Overloaded").kind());
    UpstreamError bare = classify(529, Map.of(), null, null);
    assertEquals(ErrorKind.OVERLOADED, bare.kind());
    assertFalse(bare.message().isBlank());
  }
}
