package dev.switchboard.eval.replay;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Function;

/**
 * A real HTTP server on 127.0.0.1 speaking OpenAI's chat completions: answers {@code model} with
 * {@code answers.apply(model)}, 100 prompt and 10 completion tokens; counts calls per model.
 * Public (this module's test jar) for the CLI's replay command test.
 */
public final class FakeOpenAiUpstream implements AutoCloseable {

  private static final ObjectMapper JSON = new ObjectMapper();
  private final HttpServer server;
  final Map<String, AtomicInteger> calls = new ConcurrentHashMap<>();

  public FakeOpenAiUpstream(Function<String, String> answers) throws IOException {
    server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
    server.setExecutor(Executors.newFixedThreadPool(4));
    server.createContext("/v1/chat/completions", ex -> {
      JsonNode req = JSON.readTree(ex.getRequestBody());
      String model = req.path("model").asText();
      calls.computeIfAbsent(model, k -> new AtomicInteger()).incrementAndGet();
      String answer = answers.apply(model);
      byte[] body;
      int status;
      if (answer == null) {
        status = 500;
        body = "{\"error\":{\"message\":\"boom\"}}".getBytes(StandardCharsets.UTF_8);
      } else {
        status = 200;
        ObjectNode resp = JSON.createObjectNode().put("id", "x").put("object", "chat.completion").put("model", model);
        resp.putArray("choices").addObject().put("index", 0).put("finish_reason", "stop")
            .putObject("message").put("role", "assistant").put("content", answer);
        long in = promptTokens(req.path("messages"));
        resp.putObject("usage").put("prompt_tokens", in).put("completion_tokens", 10).put("total_tokens", in + 10);
        body = resp.toString().getBytes(StandardCharsets.UTF_8);
      }
      ex.getResponseHeaders().add("Content-Type", "application/json");
      ex.sendResponseHeaders(status, body.length);
      ex.getResponseBody().write(body);
      ex.close();
    });
    server.start();
  }

  /** The prompt tokens it reports: as a real tokenizer counts, about 4 characters a token, plus the chat template's 3 a message. */
  public static long promptTokens(JsonNode messages) {
    return messages.toString().length() / 4 + 3L * messages.size();
  }

  public String baseUrl() {
    return "http://127.0.0.1:" + server.getAddress().getPort() + "/v1";
  }

  public int calls(String model) {
    AtomicInteger n = calls.get(model);
    return n == null ? 0 : n.get();
  }

  @Override
  public void close() {
    server.stop(0);
  }
}
