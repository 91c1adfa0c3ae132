package dev.switchboard.router.testkit;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.switchboard.router.providers.chat.Json;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServerResponse;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Simulated Anthropic Messages API: {@code POST /v1/messages}, JSON or SSE with named events in
 * the documented order (message_start, content_block_start, ping, content_block_delta...,
 * content_block_stop, message_delta, message_stop), Anthropic's error bodies, and its checks for
 * {@code x-api-key}, {@code anthropic-version}, {@code max_tokens} and {@code messages}.
 */
public final class MockAnthropicServer extends MockProviderServer<MockAnthropicServer> {
  private final AtomicInteger ids = new AtomicInteger();

  public MockAnthropicServer(Vertx vertx) {
    super(vertx);
  }

  @Override
  protected void handle(RecordedRequest req, HttpServerResponse resp) {
    if (!req.method().equals("POST") || !req.path().equals("/v1/messages")) {
      json(resp, 404, errorBody(404, "Not found"));
      return;
    }
    String key = requiredApiKey();
    if (key != null && !key.equals(req.header("x-api-key"))) {
      json(resp, 401, errorBody(401, "invalid x-api-key"));
      return;
    }
    if (req.header("anthropic-version") == null) {
      json(resp, 400, errorBody(400, "anthropic-version: header is required"));
      return;
    }
    JsonNode body = Json.tryRead(req.body());
    if (body == null || !body.isObject()) {
      json(resp, 400, errorBody(400, "There was an issue with your request body: not valid JSON"));
      return;
    }
    for (String field : new String[] {"model", "max_tokens", "messages"}) {
      if (!body.has(field)) {
        json(resp, 400, errorBody(400, field + ": Field required"));
        return;
      }
    }
    String model = body.get("model").asText();
    String id = "msg_mock" + ids.incrementAndGet();
    Reply r = reply();
    // Like the real API: the text ends before the first of the request's stop sequences it contains.
    String matched = null;
    if (!r.isToolCall()) {
      int cut = r.text().length();
      for (JsonNode s : body.path("stop_sequences")) {
        int at = r.text().indexOf(s.asText());
        if (at >= 0 && at < cut) {
          cut = at;
          matched = s.asText();
        }
      }
      if (matched != null) r = new Reply(r.text().substring(0, cut), null, null, r.inputTokens(), r.outputTokens());
    }
    if (body.path("stream").asBoolean(false)) {
      resp.putHeader("content-type", "text/event-stream; charset=utf-8").putHeader("cache-control", "no-cache");
      sendEvents(resp, streamFrames(id, model, r, matched));
    } else {
      json(resp, 200, Json.write(message(id, model, r, matched)));
    }
  }

  private static ObjectNode message(String id, String model, Reply r, String stopSequence) {
    ObjectNode m = Json.object();
    m.put("id", id);
    m.put("type", "message");
    m.put("role", "assistant");
    m.put("model", model);
    var content = m.putArray("content");
    if (r.isToolCall()) {
      ObjectNode tu = content.addObject();
      tu.put("type", "tool_use");
      tu.put("id", "toolu_mock01");
      tu.put("name", r.toolName());
      tu.set("input", Json.tryRead(r.toolArguments()));
    } else {
      content.addObject().put("type", "text").put("text", r.text());
    }
    m.put("stop_reason", stopReason(r, stopSequence));
    if (stopSequence == null) m.putNull("stop_sequence"); else m.put("stop_sequence", stopSequence);
    ObjectNode u = m.putObject("usage");
    u.put("input_tokens", r.inputTokens());
    u.put("cache_creation_input_tokens", 0);
    u.put("cache_read_input_tokens", 0);
    u.put("output_tokens", r.outputTokens());
    return m;
  }

  private static String stopReason(Reply r, String stopSequence) {
    return r.isToolCall() ? "tool_use" : stopSequence != null ? "stop_sequence" : "end_turn";
  }

  private List<String> streamFrames(String id, String model, Reply r, String stopSequence) {
    List<String> f = new ArrayList<>();
    ObjectNode start = message(id, model, new Reply("", null, null, r.inputTokens(), 1), null);
    start.putArray("content");
    start.putNull("stop_reason");
    f.add(event("message_start", "{\"type\":\"message_start\",\"message\":" + Json.write(start) + "}"));
    if (r.isToolCall()) {
      f.add(event("content_block_start", "{\"type\":\"content_block_start\",\"index\":0,\"content_block\":{\"type\":\"tool_use\",\"id\":\"toolu_mock01\",\"name\":"
          + q(r.toolName()) + ",\"input\":{}}}"));
      f.add(event("ping", "{\"type\": \"ping\"}"));
      String args = r.toolArguments();
      int half = args.length() / 2;
      for (String part : new String[] {"", args.substring(0, half), args.substring(half)}) {
        f.add(event("content_block_delta", "{\"type\":\"content_block_delta\",\"index\":0,\"delta\":{\"type\":\"input_json_delta\",\"partial_json\":"
            + q(part) + "}}"));
        if (midStreamError() != null && !part.isEmpty()) return withError(f);
      }
    } else {
      f.add(event("content_block_start", "{\"type\":\"content_block_start\",\"index\":0,\"content_block\":{\"type\":\"text\",\"text\":\"\"}}"));
      f.add(event("ping", "{\"type\": \"ping\"}"));
      for (String piece : pieces(r.text())) {
        f.add(event("content_block_delta", "{\"type\":\"content_block_delta\",\"index\":0,\"delta\":{\"type\":\"text_delta\",\"text\":"
            + q(piece) + "}}"));
        if (midStreamError() != null) return withError(f);
      }
    }
    f.add(event("content_block_stop", "{\"type\":\"content_block_stop\",\"index\":0}"));
    f.add(event("message_delta", "{\"type\":\"message_delta\",\"delta\":{\"stop_reason\":\"" + stopReason(r, stopSequence)
        + "\",\"stop_sequence\":" + q(stopSequence) + "},\"usage\":{\"output_tokens\":" + r.outputTokens() + "}}"));
    f.add(event("message_stop", "{\"type\":\"message_stop\"}"));
    return f;
  }

  private List<String> withError(List<String> frames) {
    frames.add(event("error", "{\"type\":\"error\",\"error\":{\"type\":\"overloaded_error\",\"message\":" + q(midStreamError()) + "}}"));
    return frames;
  }

  private static String event(String name, String data) {
    return "event: " + name + "\ndata: " + data + "\n\n";
  }

  @Override
  protected String errorBody(int status, String message) {
    String type = switch (status) {
      case 400 -> "invalid_request_error";
      case 401 -> "authentication_error";
      case 403 -> "permission_error";
      case 404 -> "not_found_error";
      case 413 -> "request_too_large";
      case 429 -> "rate_limit_error";
      case 529 -> "overloaded_error";
      default -> "api_error";
    };
    return "{\"type\":\"error\",\"error\":{\"type\":\"" + type + "\",\"message\":" + q(message) + "}}";
  }
}
