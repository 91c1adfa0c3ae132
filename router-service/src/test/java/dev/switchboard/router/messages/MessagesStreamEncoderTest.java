package dev.switchboard.router.messages;

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.fasterxml.jackson.databind.JsonNode;
import dev.switchboard.router.providers.contract.SseEvent;
import dev.switchboard.router.providers.contract.StreamTranslator;
import dev.switchboard.router.providers.contract.Usage;
import dev.switchboard.router.testkit.TestRequests;
import io.vertx.core.buffer.Buffer;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** OpenAI chunks -> Anthropic events: blocks numbered in order, one open at a time, usage from the translator. */
class MessagesStreamEncoderTest {

  /** Usage as an upstream reported it; nothing else of the translator is used by the encoder. */
  private record FixedUsage(Usage usage) implements StreamTranslator {
    public List<String> onEvent(SseEvent event) {
      return List.of();
    }

    public boolean finished() {
      return true;
    }

    public boolean started() {
      return true;
    }

    public String usageChunk() {
      return null;
    }
  }

  private static String chunk(String delta, String finish) {
    return "{\"id\":\"chatcmpl-1\",\"object\":\"chat.completion.chunk\",\"model\":\"gpt-4o-mini\",\"choices\":[{\"index\":0,\"delta\":" + delta
        + ",\"finish_reason\":" + (finish == null ? "null" : "\"" + finish + "\"") + "}]}";
  }

  /** The events as "name index type" lines, e.g. {@code content_block_delta 1 input_json_delta}. */
  private static List<String> events(Buffer b, List<JsonNode> data) {
    List<String> out = new ArrayList<>();
    for (String frame : b.toString().split("\n\n")) {
      String[] lines = frame.split("\n");
      JsonNode d = TestRequests.json(lines[1].substring("data: ".length()));
      data.add(d);
      String name = lines[0].substring("event: ".length());
      String detail = d.has("index") ? " " + d.get("index").asInt() : "";
      if (d.has("content_block")) detail += " " + d.at("/content_block/type").asText();
      if (d.has("delta") && d.at("/delta/type").isTextual()) detail += " " + d.at("/delta/type").asText();
      out.add(name + detail);
    }
    return out;
  }

  @Test
  void textThenTwoToolCalls_blocksInOrder_stopReasonAndUsageAtTheEnd() {
    MessagesStreamEncoder e = new MessagesStreamEncoder(new FixedUsage(new Usage(21, 9)), "gpt");
    Buffer out = Buffer.buffer();
    e.chunk(chunk("{\"role\":\"assistant\",\"content\":\"\"}", null), out);
    e.chunk(chunk("{\"content\":\"Checking.\"}", null), out);
    e.chunk(chunk("{\"tool_calls\":[{\"index\":0,\"id\":\"call_a\",\"type\":\"function\",\"function\":{\"name\":\"w\",\"arguments\":\"\"}}]}", null), out);
    e.chunk(chunk("{\"tool_calls\":[{\"index\":0,\"function\":{\"arguments\":\"{\\\"city\\\":\"}}]}", null), out);
    e.chunk(chunk("{\"tool_calls\":[{\"index\":0,\"function\":{\"arguments\":\"\\\"Paris\\\"}\"}}]}", null), out);
    e.chunk(chunk("{\"tool_calls\":[{\"index\":1,\"id\":\"call_b\",\"type\":\"function\",\"function\":{\"name\":\"w\",\"arguments\":\"{}\"}}]}", null), out);
    e.chunk(chunk("{}", "tool_calls"), out);
    e.finish(out);
    List<JsonNode> data = new ArrayList<>();
    assertEquals(List.of(
        "message_start",
        "content_block_start 0 text", "ping", "content_block_delta 0 text_delta", "content_block_stop 0",
        "content_block_start 1 tool_use", "content_block_delta 1 input_json_delta", "content_block_delta 1 input_json_delta", "content_block_stop 1",
        "content_block_start 2 tool_use", "content_block_delta 2 input_json_delta", "content_block_stop 2",
        "message_delta", "message_stop"), events(out, data));
    assertEquals("msg_chatcmpl-1", data.get(0).at("/message/id").asText());
    assertEquals("call_a", data.get(5).at("/content_block/id").asText());
    assertEquals("{\"city\":\"Paris\"}", data.get(6).at("/delta/partial_json").asText() + data.get(7).at("/delta/partial_json").asText());
    JsonNode delta = data.get(12);
    assertEquals("tool_use", delta.at("/delta/stop_reason").asText());
    assertEquals(21, delta.at("/usage/input_tokens").asInt());
    assertEquals(9, delta.at("/usage/output_tokens").asInt());
  }

  @Test
  void aStreamWithoutOutput_stillHasTheWholeEnvelope() {
    MessagesStreamEncoder e = new MessagesStreamEncoder(new FixedUsage(Usage.ZERO), "gpt");
    Buffer out = Buffer.buffer();
    e.chunk(chunk("{}", "length"), out);
    e.finish(out);
    List<JsonNode> data = new ArrayList<>();
    assertEquals(List.of("message_start", "message_delta", "message_stop"), events(out, data));
    assertEquals("max_tokens", data.get(1).at("/delta/stop_reason").asText());
  }
}
