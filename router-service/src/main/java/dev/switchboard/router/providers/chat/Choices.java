package dev.switchboard.router.providers.chat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.switchboard.router.providers.contract.ChatResult;
import dev.switchboard.router.providers.contract.Usage;
import java.util.List;

/** OpenAI's {@code n}: how many choices a request asks for, and several one-choice answers merged into one. */
public final class Choices {
  private Choices() {}

  /** The request's {@code n}, 1 when absent. */
  public static int requested(JsonNode body) {
    JsonNode n = body.get("n");
    return n != null && n.canConvertToInt() ? Math.max(1, n.asInt()) : 1;
  }

  /**
   * One completion from {@code n} answers to the same request: the first answer's envelope, each answer's first
   * choice in order (re-indexed), and the usage summed, since every call paid for its prompt and its answer.
   */
  public static ChatResult merge(List<ChatResult> answers) {
    ObjectNode merged = answers.get(0).completion().deepCopy();
    ArrayNode choices = merged.putArray("choices");
    long prompt = 0;
    long completion = 0;
    for (int i = 0; i < answers.size(); i++) {
      ChatResult a = answers.get(i);
      if (!(a.completion().path("choices").path(0) instanceof ObjectNode first)) throw BadRequests.invalidResponse("an answer has no choice");
      ObjectNode choice = first.deepCopy();
      choice.put("index", i);
      choices.add(choice);
      prompt += a.usage().promptTokens();
      completion += a.usage().completionTokens();
    }
    Usage usage = new Usage(prompt, completion);
    merged.set("usage", ChatCompletions.usage(usage));
    return new ChatResult(merged, usage);
  }
}
