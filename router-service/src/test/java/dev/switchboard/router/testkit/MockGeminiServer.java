package dev.switchboard.router.testkit;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.switchboard.router.providers.chat.Json;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServerResponse;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Simulated Gemini API: {@code POST /v1beta/models/{model}:generateContent} (JSON) and
 * {@code :streamGenerateContent} ({@code ?alt=sse}: CRLF-separated {@code data:} events, each a
 * GenerateContentResponse, the last with finishReason and usage; without alt=sse: one JSON
 * array, as Gemini does). Key from {@code x-goog-api-key} or {@code ?key=}; google.rpc errors.
 */
public final class MockGeminiServer extends MockProviderServer<MockGeminiServer> {
  private static final Pattern PATH = Pattern.compile("/v1beta/models/([^/:]+):(generateContent|streamGenerateContent|batchEmbedContents)");

  public MockGeminiServer(Vertx vertx) {
    super(vertx);
  }

  @Override
  protected void handle(RecordedRequest req, HttpServerResponse resp) {
    Matcher m = PATH.matcher(req.path());
    if (!req.method().equals("POST") || !m.matches()) {
      json(resp, 404, errorBody(404, "Method not found."));
      return;
    }
    String key = requiredApiKey();
    String given = req.header("x-goog-api-key");
    if (given == null && req.query() != null) {
      for (String kv : req.query().split("&")) if (kv.startsWith("key=")) given = kv.substring(4);
    }
    if (key != null && !key.equals(given)) {
      json(resp, 400, """
          {"error":{"code":400,"message":"API key not valid. Please pass a valid API key.","status":"INVALID_ARGUMENT",
           "details":[{"@type":"type.googleapis.com/google.rpc.ErrorInfo","reason":"API_KEY_INVALID","domain":"googleapis.com"}]}}""");
      return;
    }
    JsonNode body = Json.tryRead(req.body());
    if (m.group(2).equals("batchEmbedContents")) {
      embed(m.group(1), body, resp);
      return;
    }
    if (body == null || !body.isObject() || !body.path("contents").isArray() || body.get("contents").isEmpty()) {
      json(resp, 400, errorBody(400, "* GenerateContentRequest.contents: contents is not specified"));
      return;
    }
    String model = m.group(1);
    Reply r = reply();
    if (m.group(2).equals("generateContent")) {
      json(resp, 200, Json.write(response(model, r, partsOf(r), true)));
      return;
    }
    List<ObjectNode> events = streamEvents(model, r);
    boolean sse = req.query() != null && List.of(req.query().split("&")).contains("alt=sse");
    if (sse) {
      resp.putHeader("content-type", "text/event-stream");
      List<String> frames = new ArrayList<>();
      for (ObjectNode e : events) frames.add("data: " + Json.write(e) + "\r\n\r\n");
      if (midStreamError() != null) {
        frames.add(1, "data: " + errorBody(503, midStreamError()) + "\r\n\r\n");
        frames.subList(2, frames.size()).clear();
      }
      sendEvents(resp, frames);
    } else {
      resp.putHeader("content-type", "application/json; charset=UTF-8");
      List<String> items = new ArrayList<>();
      for (ObjectNode e : events) items.add(Json.write(e));
      sendEvents(resp, List.of("[" + String.join(",\r\n", items) + "]"));
    }
  }

  private static List<JsonNode> partsOf(Reply r) {
    List<JsonNode> parts = new ArrayList<>();
    if (r.isToolCall()) {
      ObjectNode p = Json.object();
      p.putObject("functionCall").put("name", r.toolName()).set("args", Json.tryRead(r.toolArguments()));
      parts.add(p);
    } else {
      parts.add(Json.object().put("text", r.text()));
    }
    return parts;
  }

  private static List<ObjectNode> streamEvents(String model, Reply r) {
    List<ObjectNode> out = new ArrayList<>();
    if (r.isToolCall()) {
      out.add(response(model, r, partsOf(r), true));
      return out;
    }
    List<String> pieces = pieces(r.text());
    for (int i = 0; i < pieces.size(); i++) {
      out.add(response(model, r, List.of(Json.object().put("text", pieces.get(i))), i == pieces.size() - 1));
    }
    if (out.isEmpty()) out.add(response(model, r, List.of(Json.object().put("text", "")), true));
    return out;
  }

  private static ObjectNode response(String model, Reply r, List<JsonNode> parts, boolean last) {
    ObjectNode resp = Json.object();
    ObjectNode cand = resp.putArray("candidates").addObject();
    ObjectNode content = cand.putObject("content");
    parts.forEach(content.putArray("parts")::add);
    content.put("role", "model");
    if (last) cand.put("finishReason", "STOP");
    cand.put("index", 0);
    ObjectNode usage = resp.putObject("usageMetadata");
    usage.put("promptTokenCount", r.inputTokens());
    if (last) usage.put("candidatesTokenCount", r.outputTokens());
    usage.put("totalTokenCount", r.inputTokens() + (last ? r.outputTokens() : 0));
    resp.put("modelVersion", model);
    resp.put("responseId", "mock-response-1");
    return resp;
  }

  @Override
  protected String errorBody(int status, String message) {
    String s = switch (status) {
      case 400 -> "INVALID_ARGUMENT";
      case 401 -> "UNAUTHENTICATED";
      case 403 -> "PERMISSION_DENIED";
      case 404 -> "NOT_FOUND";
      case 429 -> "RESOURCE_EXHAUSTED";
      case 503 -> "UNAVAILABLE";
      case 504 -> "DEADLINE_EXCEEDED";
      default -> "INTERNAL";
    };
    return "{\"error\":{\"code\":" + status + ",\"message\":" + q(message) + ",\"status\":\"" + s + "\"}}";
  }

  /**
   * {@code :batchEmbedContents}: {@code {"embeddings":[{"values":[...]}]}}, one {@link MockOpenAiServer#vectorFor} of
   * the part's text per request ({@code outputDimensionality} or 8 wide); every request must name this model.
   */
  private void embed(String model, JsonNode body, HttpServerResponse resp) {
    if (body == null || !body.path("requests").isArray() || body.get("requests").isEmpty()) {
      json(resp, 400, errorBody(400, "* BatchEmbedContentsRequest.requests: requests is not specified"));
      return;
    }
    ObjectNode root = Json.object();
    var embeddings = root.putArray("embeddings");
    for (JsonNode r : body.get("requests")) {
      if (!("models/" + model).equals(r.path("model").asText())) {
        json(resp, 400, errorBody(400, "* BatchEmbedContentsRequest.model: model in request does not match the URL"));
        return;
      }
      String text = r.path("content").path("parts").path(0).path("text").asText();
      var values = embeddings.addObject().putArray("values");
      for (float f : MockOpenAiServer.vectorFor(text, r.path("outputDimensionality").asInt(MockOpenAiServer.EMBEDDING_DIMS))) values.add(f);
    }
    json(resp, 200, Json.write(root));
  }
}
