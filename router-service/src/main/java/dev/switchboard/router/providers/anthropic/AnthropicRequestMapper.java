package dev.switchboard.router.providers.anthropic;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.databind.node.TextNode;
import dev.switchboard.router.config.ConfigKeys;
import dev.switchboard.router.config.Deployment;
import dev.switchboard.router.providers.contract.ChatRequest;
import dev.switchboard.router.providers.contract.UpstreamRequest;
import dev.switchboard.router.providers.chat.BadRequests;
import dev.switchboard.router.providers.chat.ChatContent;
import dev.switchboard.router.providers.chat.Choices;
import dev.switchboard.router.providers.chat.DataUrl;
import dev.switchboard.router.providers.chat.Json;
import dev.switchboard.router.providers.chat.ProviderOptions;
import dev.switchboard.router.providers.chat.ReasoningEffort;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** OpenAI chat request -> Anthropic Messages API request. */
public final class AnthropicRequestMapper {
  public static final String DEFAULT_VERSION = "2023-06-01";
  /** Anthropic requires max_tokens; used when neither client nor deployment set one. */
  public static final int FALLBACK_MAX_TOKENS = ConfigKeys.MAX_TOKENS_DEFAULT.defaultInt();

  private AnthropicRequestMapper() {}

  public static UpstreamRequest toUpstream(Deployment deployment, ChatRequest request, String apiKey) {
    AnthropicMessagesRequest body = map(deployment, request);
    Map<String, String> headers = new LinkedHashMap<>();
    headers.put("content-type", "application/json");
    if (apiKey != null && !apiKey.isBlank()) headers.put("x-api-key", apiKey);
    headers.put("anthropic-version",
        deployment.apiVersion() == null || deployment.apiVersion().isBlank() ? DEFAULT_VERSION : deployment.apiVersion());
    if (request.stream()) headers.put("accept", "text/event-stream");
    headers.putAll(deployment.headers());
    String base = deployment.baseUrl().endsWith("/")
        ? deployment.baseUrl().substring(0, deployment.baseUrl().length() - 1) : deployment.baseUrl();
    ObjectNode tree = AnthropicWire.MAPPER.valueToTree(body);
    ObjectNode options = request.providerOptions("anthropic");
    if (options == null || !options.has("thinking")) thinking(tree, request.body());
    ProviderOptions.merge(tree, options);
    try {
      return new UpstreamRequest("POST", base + "/v1/messages", headers, AnthropicWire.MAPPER.writeValueAsBytes(tree));
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("cannot serialise Anthropic request", e);
    }
  }

  /**
   * {@code reasoning_effort} -> {@code thinking: {type: enabled, budget_tokens}}. Anthropic wants
   * the budget below {@code max_tokens}, so a smaller {@code max_tokens} is raised by the budget:
   * the answer keeps the room the client asked for. Anthropic rejects a changed temperature or
   * top_p with thinking on, so both are dropped.
   */
  static void thinking(ObjectNode tree, JsonNode body) {
    int budget = ReasoningEffort.budget(body);
    if (budget <= 0) return; // absent, or "none": Anthropic thinks only when asked
    ObjectNode thinking = tree.putObject("thinking");
    thinking.put("type", "enabled");
    thinking.put("budget_tokens", budget);
    long max = tree.path("max_tokens").asLong();
    if (max <= budget) tree.put("max_tokens", max + budget);
    tree.remove("temperature");
    tree.remove("top_p");
  }

  static AnthropicMessagesRequest map(Deployment deployment, ChatRequest request) {
    ObjectNode b = request.body();
    List<String> system = new ArrayList<>();
    List<AnthropicMessage> messages = new ArrayList<>();
    JsonNode msgs = b.path("messages");
    for (int i = 0; i < msgs.size(); i++) {
      JsonNode m = msgs.get(i);
      String role = m.path("role").asText("");
      String where = "messages[" + i + "]";
      switch (role) {
        case "system", "developer" -> {
          String text = ChatContent.text(m.get("content"));
          if (!text.isEmpty()) system.add(text);
        }
        case "user" -> add(messages, "user", userBlocks(m.get("content"), where));
        case "assistant" -> add(messages, "assistant", assistantBlocks(m, where));
        case "tool" -> {
          String id = m.path("tool_call_id").asText(null);
          if (id == null) throw BadRequests.of(where + ".tool_call_id is required for role 'tool'");
          add(messages, "user", List.of(AnthropicContentBlock.toolResult(id, new TextNode(ChatContent.text(m.get("content"))))));
        }
        default -> throw BadRequests.of(where + ".role '" + role + "' is not supported");
      }
    }
    if (AnthropicJsonMode.requested(b)) system.add(AnthropicJsonMode.INSTRUCTION);
    if (request.stream() && Choices.requested(b) > 1) {
      throw BadRequests.of("n > 1 is not supported on streams by Anthropic deployments (without stream, n answers come from n parallel calls)");
    }
    long maxTokens = ChatContent.maxTokens(b);
    if (maxTokens <= 0) maxTokens = deployment.maxTokensDefault() > 0 ? deployment.maxTokensDefault() : FALLBACK_MAX_TOKENS;
    String user = b.path("user").isTextual() ? b.get("user").asText() : null;
    return new AnthropicMessagesRequest(
        deployment.model(),
        maxTokens,
        messages,
        system.isEmpty() ? null : String.join("\n\n", system),
        number(b, "temperature", 1.0),
        number(b, "top_p", Double.MAX_VALUE),
        ChatContent.stopSequences(b.get("stop")),
        tools(b.get("tools")),
        toolChoice(b.get("tool_choice"), b.get("parallel_tool_calls")),
        request.stream() ? Boolean.TRUE : null,
        user == null ? null : new AnthropicMetadata(user));
  }

  /** Anthropic rejects two consecutive turns of one role: merge them into one. */
  private static void add(List<AnthropicMessage> messages, String role, List<AnthropicContentBlock> blocks) {
    if (blocks.isEmpty()) return;
    if (!messages.isEmpty() && messages.get(messages.size() - 1).role().equals(role)) {
      AnthropicMessage last = messages.remove(messages.size() - 1);
      List<AnthropicContentBlock> merged = new ArrayList<>(last.content());
      merged.addAll(blocks);
      messages.add(new AnthropicMessage(role, merged));
    } else {
      messages.add(new AnthropicMessage(role, new ArrayList<>(blocks)));
    }
  }

  private static List<AnthropicContentBlock> userBlocks(JsonNode content, String where) {
    List<AnthropicContentBlock> out = new ArrayList<>();
    if (content == null || content.isNull()) return out;
    if (content.isTextual()) {
      if (!content.asText().isEmpty()) out.add(AnthropicContentBlock.text(content.asText()));
      return out;
    }
    for (int i = 0; i < content.size(); i++) {
      JsonNode part = content.get(i);
      String type = part.path("type").asText("");
      if (ChatContent.isTextPart(part)) {
        // Anthropic rejects empty text blocks.
        if (!part.path("text").asText().isEmpty()) out.add(AnthropicContentBlock.text(part.path("text").asText()));
      } else if (type.equals("image_url")) {
        String url = ChatContent.imageUrl(part, where + ".content[" + i + "]");
        DataUrl data = DataUrl.parse(url);
        out.add(AnthropicContentBlock.image(data != null
            ? new AnthropicImageSource("base64", data.mediaType(), data.base64(), null)
            : new AnthropicImageSource("url", null, null, url)));
      } else {
        throw BadRequests.of(where + ".content[" + i + "].type '" + type + "' is not supported by Anthropic deployments");
      }
    }
    return out;
  }

  private static List<AnthropicContentBlock> assistantBlocks(JsonNode m, String where) {
    List<AnthropicContentBlock> out = new ArrayList<>();
    String text = ChatContent.text(m.get("content"));
    if (!text.isEmpty()) out.add(AnthropicContentBlock.text(text));
    JsonNode calls = m.path("tool_calls");
    for (int i = 0; i < calls.size(); i++) {
      JsonNode fn = calls.get(i).path("function");
      String args = fn.path("arguments").asText("");
      JsonNode input;
      if (args.isBlank()) {
        input = Json.object();
      } else {
        input = Json.tryRead(args);
        if (input == null || !input.isObject()) {
          throw BadRequests.of(where + ".tool_calls[" + i + "].function.arguments is not a JSON object");
        }
      }
      out.add(AnthropicContentBlock.toolUse(calls.get(i).path("id").asText(), fn.path("name").asText(), input));
    }
    return out;
  }

  private static List<AnthropicTool> tools(JsonNode tools) {
    if (tools == null || !tools.isArray() || tools.isEmpty()) return null;
    List<AnthropicTool> out = new ArrayList<>();
    for (int i = 0; i < tools.size(); i++) {
      JsonNode fn = tools.get(i).path("function");
      if (!fn.has("name")) throw BadRequests.of("tools[" + i + "].function.name is required");
      JsonNode schema = fn.get("parameters");
      if (schema == null || !schema.isObject()) {
        ObjectNode empty = Json.object();
        empty.put("type", "object");
        empty.putObject("properties");
        schema = empty;
      }
      out.add(new AnthropicTool(fn.get("name").asText(), fn.path("description").asText(null), schema));
    }
    return out;
  }

  private static AnthropicToolChoice toolChoice(JsonNode choice, JsonNode parallel) {
    Boolean disableParallel = parallel != null && parallel.isBoolean() && !parallel.asBoolean() ? Boolean.TRUE : null;
    if (choice == null || choice.isNull()) {
      return disableParallel == null ? null : new AnthropicToolChoice("auto", null, disableParallel);
    }
    if (choice.isTextual()) {
      return switch (choice.asText()) {
        case "none" -> new AnthropicToolChoice("none", null, null);
        case "required" -> new AnthropicToolChoice("any", null, disableParallel);
        case "auto" -> new AnthropicToolChoice("auto", null, disableParallel);
        default -> throw BadRequests.of("tool_choice '" + choice.asText() + "' is not one of none, auto, required");
      };
    }
    String name = choice.path("function").path("name").asText(null);
    if (name == null) throw BadRequests.of("tool_choice.function.name is required");
    return new AnthropicToolChoice("tool", name, disableParallel);
  }

  /** A numeric parameter, clamped to Anthropic's range (OpenAI allows temperature up to 2). */
  private static Double number(JsonNode body, String field, double max) {
    JsonNode n = body.get(field);
    if (n == null || !n.isNumber()) return null;
    return Math.min(n.asDouble(), max);
  }
}
