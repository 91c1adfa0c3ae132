package dev.switchboard.router.completions;

import dev.switchboard.router.providers.UpstreamPosts;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.switchboard.router.api.ApiError;
import dev.switchboard.router.api.ApiException;
import dev.switchboard.router.chat.ChatExecutor.UpstreamCall;
import dev.switchboard.router.chat.ChatRequestParser;
import dev.switchboard.router.config.Deployment;
import dev.switchboard.router.config.ProviderKind;
import dev.switchboard.router.providers.Provider;
import dev.switchboard.router.providers.chat.Json;
import dev.switchboard.router.providers.contract.ChatRequest;
import dev.switchboard.router.providers.contract.ChatResult;
import dev.switchboard.router.providers.contract.ErrorKind;
import dev.switchboard.router.providers.contract.ProviderException;
import dev.switchboard.router.providers.contract.UpstreamError;
import dev.switchboard.router.providers.contract.UpstreamRequest;
import dev.switchboard.router.providers.contract.Usage;
import java.util.List;

/**
 * The two ways a legacy completion reaches a deployment. Pass-through: the client's body with the deployment's model
 * to an OpenAI-compatible host's {@code /completions}. Translated: the prompt as the user message of a chat request
 * through the deployment's own adapter, the chat answer rewritten as a {@code text_completion}; fields chat has no
 * equivalent for ({@code suffix}, {@code echo}, {@code logprobs}, {@code best_of}, several prompts) are refused there.
 */
final class LegacyCompletions {
  private LegacyCompletions() {}

  /** A completion in OpenAI's shape, its usage, and the upstream's bytes when they are that shape already. */
  record Answer(ObjectNode body, Usage usage, byte[] raw) {}

  /** Deployments that take a legacy completion as it is. */
  static boolean passesThrough(Deployment d) {
    return d.provider() == ProviderKind.OPENAI || d.provider() == ProviderKind.AZURE;
  }

  /** Validates what the gateway needs (model, prompt, stream); the rest goes to the upstream as it is. */
  static ObjectNode parse(byte[] bytes) {
    ObjectNode body = ChatRequestParser.readObject(bytes);
    ChatRequestParser.requiredString(body, "model");
    JsonNode prompt = body.get("prompt");
    if (prompt == null || prompt.isNull()) {
      throw new ApiException(ApiError.invalidRequest("Missing required parameter: 'prompt'.", "prompt", "missing_required_parameter"));
    }
    if (!prompt.isTextual() && !(prompt.isArray() && !prompt.isEmpty())) {
      throw ApiException.badRequest("'prompt' must be a string or a non-empty array of strings.", "prompt");
    }
    JsonNode stream = body.get("stream");
    if (stream != null && !stream.isNull() && !stream.isBoolean()) throw ApiException.badRequest("'stream' must be a boolean.", "stream");
    JsonNode maxTokens = body.get("max_tokens");
    if (maxTokens != null && !maxTokens.isNull() && (!maxTokens.isIntegralNumber() || maxTokens.asLong() < 0)) {
      throw ApiException.badRequest("'max_tokens' must be an integer >= 0.", "max_tokens");
    }
    return body;
  }

  /**
   * Why {@code body} cannot be translated to chat, as a 400 naming the field; null when it can. Checked before routing
   * when the plan holds a deployment that needs the translation.
   */
  static ApiException untranslatable(ObjectNode body) {
    JsonNode prompt = body.get("prompt");
    if (prompt.isArray() && (prompt.size() != 1 || !prompt.get(0).isTextual())) {
      return ApiException.badRequest("'prompt' must be one string for a deployment reached through chat (only OpenAI-compatible "
          + "deployments take several prompts or token arrays).", "prompt");
    }
    for (String f : List.of("suffix", "echo", "logprobs", "best_of")) {
      JsonNode v = body.get(f);
      if (v != null && !v.isNull() && !(v.isBoolean() && !v.asBoolean())) {
        return ApiException.badRequest("'" + f + "' is not available for a deployment reached through chat (only OpenAI-compatible "
            + "deployments take it as it is).", f);
      }
    }
    return null;
  }

  /**
   * @param chat the request translated for deployments reached through chat ({@link #asChat}); null when the plan
   *     holds only OpenAI-compatible ones
   */
  static UpstreamCall<Answer> call(ObjectNode body, ChatRequest chat) {
    return new UpstreamCall<>() {
      @Override
      public UpstreamRequest request(Deployment d, String apiKey) {
        if (passesThrough(d)) return passThrough(d, body, apiKey);
        return Provider.forKind(d.provider()).toUpstream(d, chat, apiKey);
      }

      @Override
      public Answer parse(Deployment d, byte[] bytes) {
        if (passesThrough(d)) {
          JsonNode root = Json.tryRead(bytes);
          if (root == null || !root.path("choices").isArray()) {
            throw new ProviderException(new UpstreamError(ErrorKind.INVALID_RESPONSE, 200, "the upstream's completion has no 'choices'"));
          }
          return new Answer((ObjectNode) root, usage(root.path("usage")), bytes);
        }
        ChatResult r = Provider.forKind(d.provider()).fromUpstream(d, chat, bytes);
        return new Answer(textCompletion(r.completion()), r.usage(), null);
      }
    };
  }

  static UpstreamRequest passThrough(Deployment d, ObjectNode body, String apiKey) {
    ObjectNode b = body.deepCopy();
    b.put("model", d.model());
    return UpstreamPosts.openAi(d, "completions", Json.writeBytes(b), apiKey, b.path("stream").asBoolean(false));
  }

  static Usage usage(JsonNode u) {
    return new Usage(u.path("prompt_tokens").asLong(0), u.path("completion_tokens").asLong(0));
  }

  /**
   * The prompt as the user message of a (non-streaming) chat request with the sampling fields chat shares, validated
   * as chat (errors name those fields, which have the same names here).
   */
  static ChatRequest asChat(ObjectNode body) {
    ObjectNode chat = Json.object();
    chat.put("model", body.get("model").asText());
    JsonNode prompt = body.get("prompt");
    chat.putArray("messages").addObject().put("role", "user").put("content", prompt.isArray() ? prompt.get(0).asText() : prompt.asText());
    for (String f : List.of("max_tokens", "temperature", "top_p", "stop", "n", "seed", "presence_penalty", "frequency_penalty", "user")) {
      if (body.hasNonNull(f)) chat.set(f, body.get(f));
    }
    return ChatRequestParser.parse(chat).request();
  }

  /** A {@code chat.completion} rewritten as a {@code text_completion}. */
  static ObjectNode textCompletion(JsonNode chat) {
    ObjectNode c = Json.object();
    c.put("id", "cmpl-" + chat.path("id").asText("gateway"));
    c.put("object", "text_completion");
    c.put("created", chat.path("created").asLong(System.currentTimeMillis() / 1000));
    c.put("model", chat.path("model").asText());
    var choices = c.putArray("choices");
    for (JsonNode ch : chat.path("choices")) {
      ObjectNode o = choices.addObject();
      JsonNode content = ch.path("message").path("content");
      o.put("text", content.isTextual() ? content.asText() : "");
      o.put("index", ch.path("index").asInt(0));
      o.putNull("logprobs");
      o.set("finish_reason", ch.path("finish_reason").isMissingNode() ? null : ch.get("finish_reason"));
    }
    if (chat.has("usage")) c.set("usage", chat.get("usage"));
    return c;
  }
}
