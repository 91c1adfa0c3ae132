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
 * OpenAI's error bodies. Auth from {@code Authorization: Bearer} or Azure's {@code api-key}.
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
