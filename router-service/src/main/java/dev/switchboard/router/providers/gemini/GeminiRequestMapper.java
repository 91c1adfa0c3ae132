package dev.switchboard.router.providers.gemini;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.switchboard.router.config.Deployment;
import dev.switchboard.router.providers.contract.ChatRequest;
import dev.switchboard.router.providers.contract.UpstreamRequest;
import dev.switchboard.router.providers.chat.BadRequests;
import dev.switchboard.router.providers.chat.ChatContent;
import dev.switchboard.router.providers.chat.DataUrl;
import dev.switchboard.router.providers.chat.Json;
import dev.switchboard.router.providers.chat.ProviderOptions;
import dev.switchboard.router.providers.chat.ReasoningEffort;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** OpenAI chat request -> Gemini generateContent / streamGenerateContent request. */
public final class GeminiRequestMapper {
  private GeminiRequestMapper() {}

  public static UpstreamRequest toUpstream(Deployment deployment, ChatRequest request, String apiKey) {
    GeminiRequest body = map(request);
    ObjectNode tree = GeminiWire.MAPPER.valueToTree(body);
    ObjectNode options = request.providerOptions("gemini");
    if (options == null || !options.path("generationConfig").has("thinkingConfig")) thinkingConfig(tree, request.body());
    ProviderOptions.merge(tree, options);
    try {
      return post(deployment, request.stream() ? "streamGenerateContent?alt=sse" : "generateContent",
          GeminiWire.MAPPER.writeValueAsBytes(tree), apiKey, request.stream());
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("cannot serialise Gemini request", e);
    }
  }

  /**
   * {@code reasoning_effort} -> {@code generationConfig.thinkingConfig}: a budget, with thought
   * summaries included (they come back as {@code reasoning_content}); "none" sets budget 0.
   */
  /** A POST of {@code body} to the deployment model's {@code method} ({@code generateContent}, {@code batchEmbedContents}, ...). */
  public static UpstreamRequest post(Deployment deployment, String method, byte[] body, String apiKey, boolean stream) {
    String base = deployment.baseUrl().endsWith("/")
        ? deployment.baseUrl().substring(0, deployment.baseUrl().length() - 1) : deployment.baseUrl();
    String url = base + "/v1beta/models/" + URLEncoder.encode(deployment.model(), StandardCharsets.UTF_8) + ":" + method;
    Map<String, String> headers = new LinkedHashMap<>();
    headers.put("Content-Type", "application/json");
    if (apiKey != null && !apiKey.isBlank()) headers.put("x-goog-api-key", apiKey);
    if (stream) headers.put("Accept", "text/event-stream");
    headers.putAll(deployment.headers());
    return new UpstreamRequest("POST", url, headers, body);
  }

  static void thinkingConfig(ObjectNode tree, JsonNode body) {
    int budget = ReasoningEffort.budget(body);
    if (budget == ReasoningEffort.ABSENT) return;
    ObjectNode gc = tree.has("generationConfig") ? (ObjectNode) tree.get("generationConfig") : tree.putObject("generationConfig");
    ObjectNode tc = gc.putObject("thinkingConfig");
    tc.put("thinkingBudget", budget);
    if (budget > 0) tc.put("includeThoughts", true);
  }

  static GeminiRequest map(ChatRequest request) {
    ObjectNode b = request.body();
    List<String> system = new ArrayList<>();
    List<GeminiContent> contents = new ArrayList<>();
    // functionResponse needs the function's name, which OpenAI tool messages only give by id;
    // later calls overwrite earlier ones so a reused synthetic id resolves to the latest call.
    Map<String, String> functionNameById = new HashMap<>();
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
        case "user" -> add(contents, "user", userParts(m.get("content"), where));
        case "assistant" -> add(contents, "model", modelParts(m, where, functionNameById));
        case "tool" -> {
          String id = m.path("tool_call_id").asText(null);
          String name = id == null ? null : functionNameById.get(id);
          if (name == null) name = m.path("name").asText(null);
          if (name == null) {
            throw BadRequests.of(where + ".tool_call_id '" + id + "' matches no earlier assistant tool_calls[].id");
          }
          add(contents, "user", List.of(GeminiPart.response(new GeminiFunctionResponse(name, toolResponse(m.get("content"))))));
        }
        default -> throw BadRequests.of(where + ".role '" + role + "' is not supported");
      }
    }
    GeminiContent systemInstruction = system.isEmpty() ? null
        : new GeminiContent(null, List.of(GeminiPart.text(String.join("\n\n", system))));
    GeminiGenerationConfig gc = generationConfig(b);
    return new GeminiRequest(contents, systemInstruction, tools(b.get("tools")), toolConfig(b.get("tool_choice")),
        gc.isEmpty() ? null : gc);
  }

  /** Consecutive turns of one role are merged (parallel function responses must share a turn). */
  private static void add(List<GeminiContent> contents, String role, List<GeminiPart> parts) {
    if (parts.isEmpty()) return;
    if (!contents.isEmpty() && contents.get(contents.size() - 1).role().equals(role)) {
      GeminiContent last = contents.remove(contents.size() - 1);
      List<GeminiPart> merged = new ArrayList<>(last.parts());
      merged.addAll(parts);
      contents.add(new GeminiContent(role, merged));
    } else {
      contents.add(new GeminiContent(role, new ArrayList<>(parts)));
    }
  }

  private static List<GeminiPart> userParts(JsonNode content, String where) {
    List<GeminiPart> out = new ArrayList<>();
    if (content == null || content.isNull()) return out;
    if (content.isTextual()) {
      out.add(GeminiPart.text(content.asText()));
      return out;
    }
    for (int i = 0; i < content.size(); i++) {
      JsonNode part = content.get(i);
      String type = part.path("type").asText("");
      if (ChatContent.isTextPart(part)) {
        out.add(GeminiPart.text(part.path("text").asText()));
      } else if (type.equals("image_url")) {
        String url = ChatContent.imageUrl(part, where + ".content[" + i + "]");
        DataUrl data = DataUrl.parse(url);
        out.add(data != null ? GeminiPart.inline(data.mediaType(), data.base64()) : GeminiPart.file(guessMime(url), url));
      } else {
        throw BadRequests.of(where + ".content[" + i + "].type '" + type + "' is not supported by Gemini deployments");
      }
    }
    return out;
  }

  private static List<GeminiPart> modelParts(JsonNode m, String where, Map<String, String> names) {
    List<GeminiPart> out = new ArrayList<>();
    String text = ChatContent.text(m.get("content"));
    if (!text.isEmpty()) out.add(GeminiPart.text(text));
    JsonNode calls = m.path("tool_calls");
    for (int i = 0; i < calls.size(); i++) {
      JsonNode fn = calls.get(i).path("function");
      String name = fn.path("name").asText();
      String args = fn.path("arguments").asText("");
      JsonNode parsed = args.isBlank() ? Json.object() : Json.tryRead(args);
      if (parsed == null || !parsed.isObject()) {
        throw BadRequests.of(where + ".tool_calls[" + i + "].function.arguments is not a JSON object");
      }
      String id = calls.get(i).path("id").asText(null);
      if (id != null) names.put(id, name);
      // The signature Gemini gave this call travels in its OpenAI id (GeminiToolCallIds).
      out.add(GeminiPart.call(new GeminiFunctionCall(null, name, parsed), GeminiToolCallIds.signature(id)));
    }
    return out;
  }

  /** functionResponse.response must be an object: JSON objects go as is, anything else wrapped. */
  private static JsonNode toolResponse(JsonNode content) {
    String text = ChatContent.text(content);
    JsonNode parsed = Json.tryRead(text);
    if (parsed != null && parsed.isObject()) return parsed;
    ObjectNode wrapped = Json.object();
    wrapped.put("content", text);
    return wrapped;
  }

  private static List<GeminiTool> tools(JsonNode tools) {
    if (tools == null || !tools.isArray() || tools.isEmpty()) return null;
    List<GeminiFunctionDeclaration> decls = new ArrayList<>();
    for (int i = 0; i < tools.size(); i++) {
      JsonNode fn = tools.get(i).path("function");
      if (!fn.has("name")) throw BadRequests.of("tools[" + i + "].function.name is required");
      JsonNode params = fn.get("parameters");
      decls.add(new GeminiFunctionDeclaration(fn.get("name").asText(), fn.path("description").asText(null),
          params == null || !params.isObject() ? null : schema(params)));
    }
    return List.of(new GeminiTool(decls));
  }

  /**
   * Gemini's {@code parameters} is an OpenAPI schema subset that rejects some JSON Schema
   * keywords OpenAI clients send ({@code $schema}, {@code additionalProperties}, {@code strict}).
   */
  static JsonNode schema(JsonNode node) {
    if (node.isArray()) {
      ArrayNode out = Json.array();
      node.forEach(n -> out.add(schema(n)));
      return out;
    }
    if (!node.isObject()) return node;
    ObjectNode out = Json.object();
    node.fields().forEachRemaining(e -> {
      String k = e.getKey();
      if (k.equals("$schema") || k.equals("additionalProperties") || k.equals("strict")) return;
      if (k.equals("properties") && e.getValue().isObject()) {
        ObjectNode props = out.putObject("properties");
        e.getValue().fields().forEachRemaining(p -> props.set(p.getKey(), schema(p.getValue())));
      } else {
        out.set(k, schema(e.getValue()));
      }
    });
    return out;
  }

  private static GeminiToolConfig toolConfig(JsonNode choice) {
    if (choice == null || choice.isNull()) return null;
    if (choice.isTextual()) {
      String mode = switch (choice.asText()) {
        case "none" -> "NONE";
        case "required" -> "ANY";
        case "auto" -> "AUTO";
        default -> throw BadRequests.of("tool_choice '" + choice.asText() + "' is not one of none, auto, required");
      };
      return new GeminiToolConfig(new GeminiToolConfig.FunctionCallingConfig(mode, null));
    }
    String name = choice.path("function").path("name").asText(null);
    if (name == null) throw BadRequests.of("tool_choice.function.name is required");
    return new GeminiToolConfig(new GeminiToolConfig.FunctionCallingConfig("ANY", List.of(name)));
  }

  private static GeminiGenerationConfig generationConfig(JsonNode b) {
    long max = ChatContent.maxTokens(b);
    JsonNode rf = b.path("response_format");
    String rfType = rf.path("type").asText("");
    String mime = rfType.equals("json_object") || rfType.equals("json_schema") ? "application/json" : null;
    JsonNode jsonSchema = rfType.equals("json_schema") ? rf.path("json_schema").get("schema") : null;
    return new GeminiGenerationConfig(
        num(b, "temperature"),
        num(b, "top_p"),
        max > 0 ? max : null,
        ChatContent.stopSequences(b.get("stop")),
        b.path("n").canConvertToInt() && b.get("n").asInt() > 1 ? b.get("n").asInt() : null,
        mime,
        jsonSchema,
        b.path("seed").canConvertToLong() ? b.get("seed").asLong() : null,
        num(b, "presence_penalty"),
        num(b, "frequency_penalty"));
  }

  private static Double num(JsonNode b, String field) {
    JsonNode n = b.get(field);
    return n != null && n.isNumber() ? n.asDouble() : null;
  }

  private static String guessMime(String url) {
    String path = url.toLowerCase(java.util.Locale.ROOT);
    int q = path.indexOf('?');
    if (q >= 0) path = path.substring(0, q);
    if (path.endsWith(".png")) return "image/png";
    if (path.endsWith(".webp")) return "image/webp";
    if (path.endsWith(".gif")) return "image/gif";
    if (path.endsWith(".heic")) return "image/heic";
    return "image/jpeg";
  }
}
