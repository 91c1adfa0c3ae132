package dev.switchboard.router.messages;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.switchboard.router.chat.Ingress;
import dev.switchboard.router.providers.chat.Json;
import dev.switchboard.router.providers.contract.StreamTranslator;
import io.vertx.core.buffer.Buffer;
import java.util.HashMap;
import java.util.Map;

/**
 * OpenAI chunks -> Anthropic's stream events, in Anthropic's order: {@code message_start}; per content block
 * {@code content_block_start}, {@code content_block_delta} ({@code text_delta} or {@code input_json_delta}),
 * {@code content_block_stop}; a {@code ping} after the first block starts (where Anthropic sends it); then
 * {@code message_delta} with the stop reason and usage, and {@code message_stop}.
 *
 * <p>Blocks are sequential, as Anthropic's are: a text block closes when a tool call starts and vice versa.
 * OpenAI-compatible hosts stream parallel tool calls one after the other, so a call's arguments arrive while its
 * block is the open one. Reasoning deltas are not forwarded: the Messages ingress does not accept {@code thinking},
 * so the client never asked for them.
 */
final class MessagesStreamEncoder implements Ingress.StreamEncoder {
  private final StreamTranslator upstream;
  private final String requestedModel;
  private boolean started;
  private boolean pinged;
  /** Index of the open block, -1 when none is open; blocks are numbered from 0 in order. */
  private int open = -1;
  private boolean openIsText;
  private int nextBlock;
  /** OpenAI tool-call index -> our block index. */
  private final Map<Integer, Integer> toolBlocks = new HashMap<>(2);
  private String finishReason;
  private String stopSequence;

  MessagesStreamEncoder(StreamTranslator upstream, String requestedModel) {
    this.upstream = upstream;
    this.requestedModel = requestedModel;
  }

  @Override
  public void chunk(String chunk, Buffer out) {
    JsonNode c = Json.tryRead(chunk);
    if (c == null) return; // the translators only write JSON; nothing to forward from anything else
    if (!started) start(c, out);
    JsonNode choice = c.path("choices").path(0);
    if (choice.isMissingNode()) return; // a usage-only chunk: usage goes out with message_delta
    JsonNode delta = choice.path("delta");
    text(delta.get("content"), out);
    text(delta.get("refusal"), out);
    JsonNode calls = delta.path("tool_calls");
    for (int i = 0; i < calls.size(); i++) toolCall(calls.get(i), out);
    if (choice.path("finish_reason").isTextual()) {
      finishReason = choice.get("finish_reason").asText();
      stopSequence = StopReasons.matchedSequence(choice);
    }
  }

  @Override
  public void finish(Buffer out) {
    if (!started) start(Json.object(), out);
    closeBlock(out);
    ObjectNode e = Json.object().put("type", "message_delta");
    String stop = StopReasons.of(finishReason, stopSequence);
    ObjectNode d = e.putObject("delta").put("stop_reason", stop == null ? (toolBlocks.isEmpty() ? "end_turn" : "tool_use") : stop);
    if ("stop_sequence".equals(stop)) d.put("stop_sequence", stopSequence); else d.putNull("stop_sequence");
    e.set("usage", MessageRenderer.usage(upstream.usage()));
    event(out, "message_delta", e);
    event(out, "message_stop", Json.object().put("type", "message_stop"));
  }

  // ---------------------------------------------------------------- events

  private void start(JsonNode chunk, Buffer out) {
    started = true;
    ObjectNode e = Json.object().put("type", "message_start");
    ObjectNode m = e.putObject("message");
    m.put("id", MessageRenderer.messageId(chunk.path("id").asText("")));
    m.put("type", "message");
    m.put("role", "assistant");
    m.put("model", chunk.path("model").asText(requestedModel));
    m.putArray("content");
    m.putNull("stop_reason");
    m.putNull("stop_sequence");
    // What the upstream reported so far: an Anthropic upstream gives the input tokens up front, OpenAI at the end.
    m.set("usage", MessageRenderer.usage(upstream.usage()));
    event(out, "message_start", e);
  }

  private void text(JsonNode t, Buffer out) {
    if (t == null || !t.isTextual() || t.asText().isEmpty()) return;
    if (open < 0 || !openIsText) {
      closeBlock(out);
      ObjectNode block = Json.object().put("type", "text").put("text", "");
      openBlock(out, block, true);
    }
    ObjectNode e = blockEvent("content_block_delta");
    e.putObject("delta").put("type", "text_delta").put("text", t.asText());
    event(out, "content_block_delta", e);
  }

  private void toolCall(JsonNode call, Buffer out) {
    int index = call.path("index").asInt(0);
    JsonNode fn = call.path("function");
    Integer block = toolBlocks.get(index);
    if (block == null) {
      closeBlock(out);
      ObjectNode b = Json.object().put("type", "tool_use");
      b.put("id", call.path("id").asText(""));
      b.put("name", fn.path("name").asText(""));
      b.putObject("input");
      toolBlocks.put(index, nextBlock);
      openBlock(out, b, false);
    }
    String args = fn.path("arguments").asText("");
    if (args.isEmpty()) return;
    ObjectNode e = Json.object().put("type", "content_block_delta").put("index", toolBlocks.get(index));
    e.putObject("delta").put("type", "input_json_delta").put("partial_json", args);
    event(out, "content_block_delta", e);
  }

  private void openBlock(Buffer out, ObjectNode block, boolean text) {
    open = nextBlock++;
    openIsText = text;
    ObjectNode e = blockEvent("content_block_start");
    e.set("content_block", block);
    event(out, "content_block_start", e);
    if (!pinged) {
      pinged = true;
      event(out, "ping", Json.object().put("type", "ping"));
    }
  }

  private void closeBlock(Buffer out) {
    if (open < 0) return;
    event(out, "content_block_stop", blockEvent("content_block_stop"));
    open = -1;
  }

  private ObjectNode blockEvent(String type) {
    return Json.object().put("type", type).put("index", open);
  }

  private static void event(Buffer out, String name, ObjectNode data) {
    out.appendString("event: ").appendString(name).appendString("\ndata: ").appendBytes(Json.writeBytes(data)).appendString("\n\n");
  }
}
