package dev.switchboard.router.testkit;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.switchboard.router.providers.chat.Json;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServerResponse;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Simulated OpenAI chat completions: {@code POST /v1/chat/completions} and Azure's
 * {@code POST /openai/deployments/{name}/chat/completions?api-version=...}; JSON or SSE chunks
 * ending in {@code data: [DONE]}, the usage chunk only when {@code stream_options.include_usage};
 * OpenAI's error bodies. Also {@code /v1/embeddings} (deterministic vectors, {@link #vectorFor}) and the legacy
 * {@code /v1/completions}, plain and streamed. Auth from {@code Authorization: Bearer} or Azure's {@code api-key}.
 */
public final class MockOpenAiServer extends MockProviderServer<MockOpenAiServer> {
  private final AtomicInteger ids = new AtomicInteger();

  public MockOpenAiServer(Vertx vertx) {
    super(vertx);
  }

  /** {@code http://127.0.0.1:port/v1}; Azure deployments use {@link #azureBaseUrl()}. */
  @Override
  public String baseUrl() {
    return "http://127.0.0.1:" + port() + "/v1";
  }

  public String azureBaseUrl() {
    return "http://127.0.0.1:" + port();
  }

  @Override
  protected void handle(RecordedRequest req, HttpServerResponse resp) {
    if (req.method().equals("POST") && (req.path().equals("/v1/embeddings") || req.path().matches("/openai/deployments/[^/]+/embeddings"))) {
      embeddings(req, resp);
      return;
    }
    if (req.method().equals("POST") && req.path().equals("/v1/completions")) {
      completions(req, resp);
      return;
    }
    boolean azure = req.path().startsWith("/openai/deployments/") && req.path().endsWith("/chat/completions");
    if (!req.method().equals("POST") || !(azure || req.path().equals("/v1/chat/completions"))) {
      json(resp, 404, errorBody(404, "Invalid URL (" + req.method() + " " + req.path() + ")"));
      return;
    }
    if (azure && (req.query() == null || !req.query().contains("api-version="))) {
      json(resp, 404, "{\"error\":{\"code\":\"404\",\"message\":\"Resource not found\"}}");
      return;
    }
    String key = requiredApiKey();
    String given = azure ? req.header("api-key")
        : req.header("authorization") == null ? null : req.header("authorization").replaceFirst("^Bearer ", "");
    if (key != null && !key.equals(given)) {
      json(resp, 401, errorBody(401, "Incorrect API key provided."));
      return;
    }
    JsonNode body = Json.tryRead(req.body());
    if (body == null || !body.isObject()) {
      json(resp, 400, errorBody(400, "We could not parse the JSON body of your request."));
      return;
    }
    if (!azure && !body.path("model").isTextual()) {
      json(resp, 400, errorBody(400, "you must provide a model parameter"));
      return;
    }
    if (!body.path("messages").isArray() || body.get("messages").isEmpty()) {
      json(resp, 400, errorBody(400, "Missing required parameter: 'messages'."));
      return;
    }
    String model = azure ? req.path().split("/")[3] : body.get("model").asText();
    String id = "chatcmpl-mock" + ids.incrementAndGet();
    Reply r = reply();
    if (!body.path("stream").asBoolean(false)) {
      ObjectNode c = header(id, model, "chat.completion");
      ObjectNode choice = c.putArray("choices").addObject();
      choice.put("index", 0);
      ObjectNode msg = choice.putObject("message");
      msg.put("role", "assistant");
      if (r.isToolCall()) {
        msg.putNull("content");
        msg.putArray("tool_calls").add(toolCall(r, true));
      } else {
        msg.put("content", r.text());
      }
      msg.putNull("refusal");
      choice.putNull("logprobs");
      choice.put("finish_reason", r.isToolCall() ? "tool_calls" : "stop");
      c.set("usage", usage(r));
      json(resp, 200, Json.write(c));
      return;
    }
    boolean includeUsage = body.path("stream_options").path("include_usage").asBoolean(false);
    List<String> frames = new ArrayList<>();
    ObjectNode roleDelta = Json.object().put("role", "assistant").put("content", "");
    frames.add(frame(chunk(id, model, roleDelta, null, includeUsage)));
    if (r.isToolCall()) {
      ObjectNode d = Json.object();
      d.putArray("tool_calls").add(toolCall(r, false));
      frames.add(frame(chunk(id, model, d, null, includeUsage)));
      ObjectNode args = Json.object();
      ObjectNode tc = args.putArray("tool_calls").addObject();
      tc.put("index", 0);
      tc.putObject("function").put("arguments", r.toolArguments());
      frames.add(frame(chunk(id, model, args, null, includeUsage)));
    } else {
      for (String piece : pieces(r.text())) frames.add(frame(chunk(id, model, Json.object().put("content", piece), null, includeUsage)));
    }
    if (midStreamError() != null) {
      frames.subList(Math.min(2, frames.size()), frames.size()).clear();
      frames.add(frame("{\"error\":{\"message\":" + q(midStreamError()) + ",\"type\":\"server_error\",\"param\":null,\"code\":null}}"));
    } else {
      frames.add(frame(chunk(id, model, Json.object(), r.isToolCall() ? "tool_calls" : "stop", includeUsage)));
      if (includeUsage) {
        ObjectNode u = header(id, model, "chat.completion.chunk");
        u.putArray("choices");
        u.set("usage", usage(r));
        frames.add(frame(Json.write(u)));
      }
      frames.add("data: [DONE]\n\n");
    }
    resp.putHeader("content-type", "text/event-stream; charset=utf-8");
    sendEvents(resp, frames);
  }

  /** A deterministic unit vector for {@code text}: what {@code /v1/embeddings} answers, for tests to compare with. */
  public static float[] vectorFor(String text, int dims) {
    java.util.Random r = new java.util.Random(text.hashCode());
    float[] v = new float[dims];
    double norm = 0;
    for (int i = 0; i < dims; i++) {
      v[i] = (float) r.nextGaussian();
      norm += v[i] * v[i];
    }
    for (int i = 0; i < dims; i++) v[i] = (float) (v[i] / Math.sqrt(norm));
    return v;
  }

  /** Default width of the mock's embeddings ({@code dimensions} changes it, as text-embedding-3 does). */
  public static final int EMBEDDING_DIMS = 8;

  /** {@code POST /v1/embeddings}: one {@link #vectorFor} per input, as floats or base64; a prompt token per word. */
  private void embeddings(RecordedRequest req, HttpServerResponse resp) {
    if (!authorized(req, req.path().startsWith("/openai/"), resp)) return;
    JsonNode body = Json.tryRead(req.body());
    if (body == null || !body.isObject() || body.path("input").isMissingNode()) {
      json(resp, 400, errorBody(400, "'input' is a required property"));
      return;
    }
    int dims = body.path("dimensions").asInt(EMBEDDING_DIMS);
    boolean base64 = "base64".equals(body.path("encoding_format").asText());
    List<String> inputs = new ArrayList<>();
    if (body.get("input").isTextual()) inputs.add(body.get("input").asText()); else body.get("input").forEach(n -> inputs.add(n.asText()));
    ObjectNode root = Json.object().put("object", "list");
    ArrayNode data = root.putArray("data");
    long tokens = 0;
    for (int i = 0; i < inputs.size(); i++) {
      float[] v = vectorFor(inputs.get(i), dims);
      ObjectNode e = data.addObject().put("object", "embedding").put("index", i);
      if (base64) {
        java.nio.ByteBuffer b = java.nio.ByteBuffer.allocate(dims * 4).order(java.nio.ByteOrder.LITTLE_ENDIAN);
        for (float f : v) b.putFloat(f);
        e.put("embedding", java.util.Base64.getEncoder().encodeToString(b.array()));
      } else {
        ArrayNode a = e.putArray("embedding");
        for (float f : v) a.add(f);
      }
      tokens += inputs.get(i).split("\\s+").length;
    }
    root.put("model", body.path("model").asText("azure"));
    root.putObject("usage").put("prompt_tokens", tokens).put("total_tokens", tokens);
    json(resp, 200, Json.write(root));
  }

  /** {@code POST /v1/completions} (legacy): the reply text as a text_completion, or streamed word by word. */
  private void completions(RecordedRequest req, HttpServerResponse resp) {
    if (!authorized(req, false, resp)) return;
    JsonNode body = Json.tryRead(req.body());
    if (body == null || !body.isObject() || !body.has("prompt")) {
      json(resp, 400, errorBody(400, "Missing required parameter: 'prompt'."));
      return;
    }
    String id = "cmpl-mock" + ids.incrementAndGet();
    String model = body.path("model").asText();
    Reply r = reply();
    ObjectNode usage = usage(r);
    if (!body.path("stream").asBoolean(false)) {
      ObjectNode c = Json.object().put("id", id).put("object", "text_completion").put("created", System.currentTimeMillis() / 1000).put("model", model);
      c.putArray("choices").addObject().put("text", r.text()).put("index", 0).putNull("logprobs").put("finish_reason", "stop");
      c.set("usage", usage);
      json(resp, 200, Json.write(c));
      return;
    }
    boolean includeUsage = body.path("stream_options").path("include_usage").asBoolean(false);
    List<String> frames = new ArrayList<>();
    List<String> pieces = pieces(r.text());
    for (int i = 0; i <= pieces.size(); i++) {
      ObjectNode c = Json.object().put("id", id).put("object", "text_completion").put("created", System.currentTimeMillis() / 1000).put("model", model);
      ObjectNode ch = c.putArray("choices").addObject().put("text", i < pieces.size() ? pieces.get(i) : "").put("index", 0).putNull("logprobs");
      if (i < pieces.size()) ch.putNull("finish_reason"); else ch.put("finish_reason", "stop");
      if (includeUsage) c.putNull("usage");
      frames.add(frame(Json.write(c)));
    }
    if (includeUsage) {
      ObjectNode u = Json.object().put("id", id).put("object", "text_completion").put("created", System.currentTimeMillis() / 1000).put("model", model);
      u.putArray("choices");
      u.set("usage", usage);
      frames.add(frame(Json.write(u)));
    }
    frames.add("data: [DONE]\n\n");
    resp.putHeader("content-type", "text/event-stream; charset=utf-8");
    sendEvents(resp, frames);
  }

  private boolean authorized(RecordedRequest req, boolean azure, HttpServerResponse resp) {
    String key = requiredApiKey();
    String given = azure ? req.header("api-key")
        : req.header("authorization") == null ? null : req.header("authorization").replaceFirst("^Bearer ", "");
    if (key != null && !key.equals(given)) {
      json(resp, 401, errorBody(401, "Incorrect API key provided."));
      return false;
    }
    return true;
  }

  private static ObjectNode toolCall(Reply r, boolean whole) {
    ObjectNode tc = Json.object();
    if (!whole) tc.put("index", 0);
    tc.put("id", "call_mock01");
    tc.put("type", "function");
    tc.putObject("function").put("name", r.toolName()).put("arguments", whole ? r.toolArguments() : "");
    return tc;
  }

  private static ObjectNode header(String id, String model, String object) {
    ObjectNode c = Json.object();
    c.put("id", id);
    c.put("object", object);
    c.put("created", System.currentTimeMillis() / 1000);
    c.put("model", model);
    c.put("system_fingerprint", "fp_mock");
    return c;
  }

  private static String chunk(String id, String model, ObjectNode delta, String finish, boolean includeUsage) {
    ObjectNode c = header(id, model, "chat.completion.chunk");
    ArrayNode choices = c.putArray("choices");
    ObjectNode choice = choices.addObject();
    choice.put("index", 0);
    choice.set("delta", delta);
    choice.putNull("logprobs");
    if (finish == null) choice.putNull("finish_reason");
    else choice.put("finish_reason", finish);
    if (includeUsage) c.putNull("usage");
    return Json.write(c);
  }

  private static ObjectNode usage(Reply r) {
    return Json.object().put("prompt_tokens", r.inputTokens()).put("completion_tokens", r.outputTokens())
        .put("total_tokens", r.inputTokens() + r.outputTokens());
  }

  private static String frame(String json) {
    return "data: " + json + "\n\n";
  }

  @Override
  protected String errorBody(int status, String message) {
    String type = switch (status) {
      case 400, 404 -> "invalid_request_error";
      case 401 -> "invalid_request_error";
      case 429 -> "requests";
      default -> "server_error";
    };
    String code = switch (status) {
      case 401 -> "\"invalid_api_key\"";
      case 429 -> "\"rate_limit_exceeded\"";
      default -> "null";
    };
    return "{\"error\":{\"message\":" + q(message) + ",\"type\":\"" + type + "\",\"param\":null,\"code\":" + code + "}}";
  }
}
