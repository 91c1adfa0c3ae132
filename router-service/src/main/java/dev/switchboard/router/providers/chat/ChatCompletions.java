package dev.switchboard.router.providers.chat;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.switchboard.router.providers.contract.Usage;
import java.util.List;

/** Builds OpenAI {@code chat.completion} objects for adapters that translate another format. */
public final class ChatCompletions {
  private ChatCompletions() {}

  public static ObjectNode completion(String id, long created, String model, List<ObjectNode> choices, Usage usage) {
    ObjectNode c = Json.object();
    c.put("id", id);
    c.put("object", "chat.completion");
    c.put("created", created);
    c.put("model", model);
    ArrayNode arr = c.putArray("choices");
    choices.forEach(arr::add);
    c.set("usage", usage(usage));
    return c;
  }

  /** One choice; {@code content} null when the model only called tools (as OpenAI does). */
  /**
   * A choice's non-standard field naming the stop sequence that ended it (vLLM's convention, set by adapters whose
   * provider says so: Anthropic). OpenAI and Gemini do not report it; {@code /v1/messages} maps it to
   * {@code stop_reason: stop_sequence}.
   */
  public static final String STOP_REASON = "stop_reason";

  public static ObjectNode choice(int index, String content, ArrayNode toolCalls, String finishReason) {
    ObjectNode choice = Json.object();
    choice.put("index", index);
    ObjectNode message = choice.putObject("message");
    message.put("role", "assistant");
    if (content == null) message.putNull("content");
    else message.put("content", content);
    if (toolCalls != null && !toolCalls.isEmpty()) message.set("tool_calls", toolCalls);
    choice.putNull("logprobs");
    if (finishReason == null) choice.putNull("finish_reason");
    else choice.put("finish_reason", finishReason);
    return choice;
  }

  /** Adds thinking text to a choice's message as {@code reasoning_content} (nothing when empty). */
  public static ObjectNode withReasoning(ObjectNode choice, CharSequence reasoning) {
    if (reasoning != null && reasoning.length() > 0) {
      ((ObjectNode) choice.get("message")).put("reasoning_content", reasoning.toString());
    }
    return choice;
  }

  public static ObjectNode toolCall(String id, String name, String argumentsJson) {
    ObjectNode call = Json.object();
    call.put("id", id);
    call.put("type", "function");
    ObjectNode fn = call.putObject("function");
    fn.put("name", name);
    fn.put("arguments", argumentsJson);
    return call;
  }

  public static ObjectNode usage(Usage usage) {
    ObjectNode u = Json.object();
    u.put("prompt_tokens", usage.promptTokens());
    u.put("completion_tokens", usage.completionTokens());
    u.put("total_tokens", usage.totalTokens());
    return u;
  }

  /** An id in OpenAI's style for providers whose ids we do not pass through. */
  public static String newId() {
    return "chatcmpl-" + java.util.UUID.randomUUID().toString().replace("-", "");
  }

  public static long nowSeconds() {
    return System.currentTimeMillis() / 1000;
  }
}
