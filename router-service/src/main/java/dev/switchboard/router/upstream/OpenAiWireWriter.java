package dev.switchboard.router.upstream;

import com.fasterxml.jackson.core.io.JsonStringEncoder;
import java.util.Collection;

/**
 * Serialises OpenAI responses by hand: the recorded upstream is the far end of throughput
 * benchmarks, so each chunk is a precomputed prefix + escaped text + suffix rather than a tree.
 */
final class OpenAiWireWriter {
  private static final JsonStringEncoder ENCODER = JsonStringEncoder.getInstance();

  private final String chunkPrefix;
  private final String chunkSuffix;
  private final String head;
  private final String usageField;

  OpenAiWireWriter(String id, long created, String model, boolean includeUsage) {
    this.head = "{\"id\":\"" + esc(id) + "\",\"object\":\"%s\",\"created\":" + created + ",\"model\":\"" + esc(model)
        + "\",\"system_fingerprint\":null,";
    // With include_usage OpenAI sends "usage":null on every chunk but the last.
    this.usageField = includeUsage ? ",\"usage\":null" : "";
    this.chunkPrefix = head.replace("%s", "chat.completion.chunk") + "\"choices\":[{\"index\":0,\"delta\":";
    this.chunkSuffix = ",\"logprobs\":null,\"finish_reason\":";
  }

  static String esc(String s) {
    return new String(ENCODER.quoteAsString(s));
  }

  String completion(RecordedReply reply) {
    return head.replace("%s", "chat.completion")
        + "\"choices\":[{\"index\":0,\"message\":{\"role\":\"assistant\",\"content\":\"" + esc(reply.text())
        + "\",\"refusal\":null,\"annotations\":[]},\"logprobs\":null,\"finish_reason\":\"" + reply.finishReason() + "\"}],"
        + usage(reply) + "}";
  }

  String roleChunk() {
    return chunk("{\"role\":\"assistant\",\"content\":\"\",\"refusal\":null}", null);
  }

  String contentChunk(String piece) {
    return chunk("{\"content\":\"" + esc(piece) + "\"}", null);
  }

  String finishChunk(String finishReason) {
    return chunk("{}", finishReason);
  }

  String usageChunk(RecordedReply reply) {
    return head.replace("%s", "chat.completion.chunk") + "\"choices\":[]," + usage(reply) + "}";
  }

  private String chunk(String delta, String finishReason) {
    return chunkPrefix + delta + chunkSuffix + (finishReason == null ? "null" : "\"" + finishReason + "\"") + "}]" + usageField + "}";
  }

  private static String usage(RecordedReply r) {
    return "\"usage\":{\"prompt_tokens\":" + r.promptTokens() + ",\"completion_tokens\":" + r.completionTokens()
        + ",\"total_tokens\":" + (r.promptTokens() + r.completionTokens())
        + ",\"prompt_tokens_details\":{\"cached_tokens\":0,\"audio_tokens\":0}"
        + ",\"completion_tokens_details\":{\"reasoning_tokens\":0,\"audio_tokens\":0,\"accepted_prediction_tokens\":0,\"rejected_prediction_tokens\":0}}";
  }

  static String error(String message, String type, String param, String code) {
    return "{\"error\":{\"message\":\"" + esc(message) + "\",\"type\":\"" + type + "\",\"param\":"
        + (param == null ? "null" : "\"" + esc(param) + "\"") + ",\"code\":" + (code == null ? "null" : "\"" + code + "\"") + "}}";
  }

  static String models(Collection<String> models, long created) {
    StringBuilder sb = new StringBuilder("{\"object\":\"list\",\"data\":[");
    boolean first = true;
    for (String m : models) {
      if (!first) sb.append(',');
      first = false;
      sb.append("{\"id\":\"").append(esc(m)).append("\",\"object\":\"model\",\"created\":").append(created)
          .append(",\"owned_by\":\"switchboard-recorded\"}");
    }
    return sb.append("]}").toString();
  }
}
