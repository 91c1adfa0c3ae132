package dev.switchboard.router.testkit;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.http.HttpServerResponse;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A fault-injecting upstream speaking OpenAI's chat-completions wire format. The upstream
 * {@code model} picks the behaviour (TensorZero's dummy-provider idea), so one server serves
 * every scenario:
 * <ul>
 *   <li>{@code ok} (or anything else): answers "echo: LAST USER MESSAGE" with usage 10/5</li>
 *   <li>{@code fail-500}, {@code fail-503}, {@code fail-401}, {@code fail-400}: that status with an OpenAI error body</li>
 *   <li>{@code fail-401-echo}, {@code fail-400-echo}: 401 / 400 whose message quotes the caller's credential</li>
 *   <li>{@code rate-limited}: 429 with {@code Retry-After: 1}</li>
 *   <li>{@code flaky}: the first call per server fails with 500, later calls succeed</li>
 *   <li>{@code slow}: answers after 3 s</li>
 *   <li>{@code reset}: closes the connection without answering</li>
 *   <li>{@code cut}: (stream) sends two chunks, then closes the connection</li>
 *   <li>{@code garbage}: 200 with a body that is not JSON</li>
 * </ul>
 * Every received request is recorded.
 */
public final class FaultyOpenAiUpstream implements AutoCloseable {
  private static final ObjectMapper JSON = new ObjectMapper();
  /**
   * What model {@code verbatim} answers: a completion as an upstream may format it (spacing, key
   * order, an escape, a vendor field, a number in exponent form), which the gateway passes on byte for byte.
   */
  public static final String VERBATIM = "{ \"id\": \"chatcmpl-v\", \"object\": \"chat.completion\", \"created\": 1,"
      + " \"model\": \"verbatim\", \"system_fingerprint\": \"fp_x\", \"choices\": [ { \"index\": 0, \"message\":"
      + " { \"role\": \"assistant\", \"content\": \"caf\\u00e9 costs 1.50\" }, \"logprobs\": null, \"finish_reason\": \"stop\" } ],"
      + " \"usage\": { \"prompt_tokens\": 3, \"completion_tokens\": 2, \"total_tokens\": 5 }, \"x_vendor\": {\"n\": 1.0e2} }\n";

  /** One request as received: upstream model, auth header, body. */
  public record Received(String model, String authorization, JsonNode body) {}

  private final Vertx vertx;
  private final HttpServer server;
  private final List<Received> received = new CopyOnWriteArrayList<>();
  private final Map<String, AtomicInteger> calls = new ConcurrentHashMap<>();

  public FaultyOpenAiUpstream(Vertx vertx) throws Exception {
    this.vertx = vertx;
    this.server = vertx.createHttpServer().requestHandler(this::handle);
    server.listen(0, "127.0.0.1").toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
  }

  public String baseUrl() {
    return "http://127.0.0.1:" + server.actualPort() + "/v1";
  }

  public List<Received> received() {
    return received;
  }

  /** Calls received for one upstream model. */
  public int calls(String model) {
    AtomicInteger n = calls.get(model);
    return n == null ? 0 : n.get();
  }

  private void handle(HttpServerRequest req) {
    req.body().onSuccess(buf -> {
      JsonNode body;
      try {
        body = JSON.readTree(buf.getBytes());
      } catch (Exception e) {
        error(req.response(), 400, "invalid json");
        return;
      }
      String model = body.path("model").asText();
      received.add(new Received(model, req.getHeader("authorization"), body));
      int n = calls.computeIfAbsent(model, k -> new AtomicInteger()).incrementAndGet();
      boolean stream = body.path("stream").asBoolean(false);
      HttpServerResponse out = req.response();
      switch (model) {
        case "fail-500" -> error(out, 500, "The server had an error while processing your request.");
        case "fail-503" -> error(out, 503, "The engine is currently overloaded.");
        case "fail-401" -> error(out, 401, "Incorrect API key provided.");
        // As real providers do: the rejected credential quoted back (here in full, the worst case).
        case "fail-401-echo" -> error(out, 401, "Incorrect API key provided: " + req.getHeader("authorization") + ".");
        case "fail-400-echo" -> error(out, 400, "Invalid request for key " + bearerToken(req) + ": temperature.");
        case "fail-400" -> error(out, 400, "Invalid parameter: temperature.");
        case "rate-limited" -> {
          out.putHeader("retry-after", "1");
          error(out, 429, "Rate limit reached for requests.");
        }
        case "flaky" -> {
          if (n == 1) error(out, 500, "transient failure"); else answer(out, body, stream);
        }
        case "slow" -> vertx.setTimer(3000, t -> answer(out, body, stream));
        case "reset" -> req.connection().close();
        case "garbage" -> out.putHeader("content-type", "application/json").end("<html>oops</html>");
        case "verbatim" -> out.putHeader("content-type", "application/json").end(VERBATIM);
        case "cut" -> {
          out.setChunked(true).putHeader("content-type", "text/event-stream");
          out.write(chunk("Hel", null));
          out.write(chunk("lo", null));
          vertx.setTimer(50, t -> req.connection().close());
        }
        default -> answer(out, body, stream);
      }
    });
  }

  private static String bearerToken(HttpServerRequest req) {
    String auth = req.getHeader("authorization");
    return auth == null ? "(none)" : auth.replaceFirst("(?i)^bearer\\s+", "");
  }

  private static void error(HttpServerResponse out, int status, String message) {
    out.setStatusCode(status).putHeader("content-type", "application/json")
        .end("{\"error\":{\"message\":\"" + message + "\",\"type\":\"server_error\",\"param\":null,\"code\":null}}");
  }

  private static String lastUser(JsonNode body) {
    JsonNode ms = body.path("messages");
    for (int i = ms.size() - 1; i >= 0; i--) {
      if ("user".equals(ms.get(i).path("role").asText())) return ms.get(i).path("content").asText();
    }
    return "";
  }

  private static void answer(HttpServerResponse out, JsonNode body, boolean stream) {
    String text = "echo: " + lastUser(body);
    if (!stream) {
      out.putHeader("content-type", "application/json").end("{\"id\":\"chatcmpl-1\",\"object\":\"chat.completion\",\"created\":1700000000,"
          + "\"model\":\"" + body.path("model").asText() + "\",\"choices\":[{\"index\":0,\"message\":{\"role\":\"assistant\",\"content\":"
          + JSON.valueToTree(text) + "},\"finish_reason\":\"stop\"}],\"usage\":{\"prompt_tokens\":10,\"completion_tokens\":5,\"total_tokens\":15}}");
      return;
    }
    out.setChunked(true).putHeader("content-type", "text/event-stream");
    out.write(chunk(text.substring(0, Math.min(6, text.length())), null));
    out.write(chunk(text.substring(Math.min(6, text.length())), null));
    out.write(chunk(null, "stop"));
    if (body.path("stream_options").path("include_usage").asBoolean(false)) {
      out.write("data: {\"id\":\"chatcmpl-1\",\"object\":\"chat.completion.chunk\",\"created\":1700000000,\"model\":\"m\",\"choices\":[],"
          + "\"usage\":{\"prompt_tokens\":10,\"completion_tokens\":5,\"total_tokens\":15}}\n\n");
    }
    out.end("data: [DONE]\n\n");
  }

  private static Buffer chunk(String content, String finish) {
    String delta = content == null ? "{}" : "{\"content\":" + JSON.valueToTree(content) + "}";
    return Buffer.buffer("data: {\"id\":\"chatcmpl-1\",\"object\":\"chat.completion.chunk\",\"created\":1700000000,\"model\":\"m\","
        + "\"choices\":[{\"index\":0,\"delta\":" + delta + ",\"finish_reason\":" + (finish == null ? "null" : "\"" + finish + "\"") + "}]}\n\n");
  }

  @Override
  public void close() throws Exception {
    server.close().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
  }
}
