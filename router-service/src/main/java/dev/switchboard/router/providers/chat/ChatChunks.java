package dev.switchboard.router.providers.chat;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.switchboard.router.providers.contract.Usage;

/**
 * Builds OpenAI {@code chat.completion.chunk} JSON strings sharing one id, created time and model,
 * as every chunk of one OpenAI stream does.
 */
public record ChatChunks(String id, long created, String model) {

  /** The first chunk of a stream: the assistant role with empty content, as OpenAI sends it. */
  public String role() {
    ObjectNode delta = Json.object();
    delta.put("role", "assistant");
    delta.put("content", "");
    return chunk(0, delta, null);
  }

  public String content(String text) {
    ObjectNode delta = Json.object();
    delta.put("content", text);
    return chunk(0, delta, null);
  }

  /**
   * Thinking text as {@code reasoning_content}, the field DeepSeek, vLLM and other
   * OpenAI-compatible hosts use, so one client reads reasoning from every provider alike.
   */
  public String reasoning(String text) {
    ObjectNode delta = Json.object();
    delta.put("reasoning_content", text);
    return chunk(0, delta, null);
  }

  /** A tool call's first delta: id, type, name and the first (possibly empty) arguments. */
  public String toolCallStart(int toolIndex, String callId, String name, String arguments) {
    ObjectNode delta = Json.object();
    ObjectNode call = delta.putArray("tool_calls").addObject();
    call.put("index", toolIndex);
    call.put("id", callId);
    call.put("type", "function");
    ObjectNode fn = call.putObject("function");
    fn.put("name", name);
    fn.put("arguments", arguments);
    return chunk(0, delta, null);
  }

  public String toolCallArguments(int toolIndex, String fragment) {
    ObjectNode delta = Json.object();
    ObjectNode call = delta.putArray("tool_calls").addObject();
    call.put("index", toolIndex);
    call.putObject("function").put("arguments", fragment);
    return chunk(0, delta, null);
  }

  public String finish(String finishReason) {
    return chunk(0, Json.object(), finishReason);
  }

  /**
   * The finish chunk of a stream stopped by one of the request's stop sequences: {@code finish_reason: stop} and,
   * as vLLM writes it, the matched sequence as the choice's {@code stop_reason} (see {@link ChatCompletions#STOP_REASON}).
   */
  public String finishOnStopSequence(String stopSequence) {
    ObjectNode c = header();
    ObjectNode choice = c.putArray("choices").addObject();
    choice.put("index", 0);
    choice.set("delta", Json.object());
    choice.putNull("logprobs");
    choice.put("finish_reason", "stop");
    choice.put(ChatCompletions.STOP_REASON, stopSequence);
    return Json.write(c);
  }

  /** The usage chunk: empty {@code choices}, {@code usage} set (stream_options.include_usage). */
  public String usage(Usage usage) {
    ObjectNode c = header();
    c.putArray("choices");
    c.set("usage", ChatCompletions.usage(usage));
    return Json.write(c);
  }

  public String chunk(int choiceIndex, ObjectNode delta, String finishReason) {
    ObjectNode c = header();
    ObjectNode choice = c.putArray("choices").addObject();
    choice.put("index", choiceIndex);
    choice.set("delta", delta);
    choice.putNull("logprobs");
    if (finishReason == null) choice.putNull("finish_reason");
    else choice.put("finish_reason", finishReason);
    return Json.write(c);
  }

  private ObjectNode header() {
    ObjectNode c = Json.object();
    c.put("id", id);
    c.put("object", "chat.completion.chunk");
    c.put("created", created);
    c.put("model", model);
    return c;
  }
}
