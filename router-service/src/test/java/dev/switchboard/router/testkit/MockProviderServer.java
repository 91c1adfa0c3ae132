package dev.switchboard.router.testkit;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerOptions;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.http.HttpServerResponse;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * A simulated provider on 127.0.0.1 (random port) speaking one provider's real wire format. It
 * answers every request with the scripted reply (text or one tool call), records what it got,
 * and can be told to fail with the provider's own error shape, before or in the middle of a
 * stream. Configure before or between requests; the setters are safe from any thread.
 *
 * @param <S> the concrete server, so setters chain
 */
public abstract class MockProviderServer<S extends MockProviderServer<S>> {
  /** What the next successful answer contains. */
  public record Reply(String text, String toolName, String toolArguments, long inputTokens, long outputTokens) {
    boolean isToolCall() {
      return toolName != null;
    }
  }

  /** A provider error: {@code times} requests (-1: every request) get {@code status} and a provider-shaped body. */
  public record Failure(int status, String message, int times, Map<String, String> headers) {}

  protected final Vertx vertx;
  private HttpServer server;
  private final List<RecordedRequest> requests = Collections.synchronizedList(new ArrayList<>());
  private volatile Reply reply = new Reply("Hello from the mock.", null, null, 11, 5);
  private Failure failure;
  private volatile String midStreamError;
  private volatile long delayMs;
  private volatile long chunkDelayMs;
  private volatile String requiredApiKey;

  protected MockProviderServer(Vertx vertx) {
    this.vertx = vertx;
  }

  /** Starts listening on a random loopback port; completes with the port. */
  public Future<Integer> start() {
    server = vertx.createHttpServer(new HttpServerOptions().setHost("127.0.0.1").setPort(0));
    return server.requestHandler(this::onRequest).listen().map(HttpServer::actualPort);
  }

  public Future<Void> close() {
    return server == null ? Future.succeededFuture() : server.close();
  }

  public int port() {
    return server.actualPort();
  }

  /** The base URL a {@code Deployment} of this provider uses. */
  public String baseUrl() {
    return "http://127.0.0.1:" + port();
  }

  @SuppressWarnings("unchecked")
  private S self() {
    return (S) this;
  }

  public S replyText(String text) {
    reply = new Reply(text, null, null, reply.inputTokens(), reply.outputTokens());
    return self();
  }

  public S replyToolCall(String name, String argumentsJson) {
    reply = new Reply(null, name, argumentsJson, reply.inputTokens(), reply.outputTokens());
    return self();
  }

  public S usage(long inputTokens, long outputTokens) {
    reply = new Reply(reply.text(), reply.toolName(), reply.toolArguments(), inputTokens, outputTokens);
    return self();
  }

  /** Every following request fails until {@link #succeed()}. */
  public S failWith(int status, String message) {
    return failNext(-1, status, message, Map.of());
  }

  /** The next {@code times} requests fail, then requests succeed again. */
  public S failNext(int times, int status, String message) {
    return failNext(times, status, message, Map.of());
  }

  /** As {@link #failNext(int, int, String)}, with extra response headers (e.g. {@code retry-after}). */
  public synchronized S failNext(int times, int status, String message, Map<String, String> headers) {
    failure = new Failure(status, message, times, Map.copyOf(headers));
    return self();
  }

  /** Streams send the first content chunk, then the provider's in-stream error event, then end. */
  public S failMidStream(String message) {
    midStreamError = message;
    return self();
  }

  public synchronized S succeed() {
    failure = null;
    midStreamError = null;
    return self();
  }

  /** Waits this long (Vert.x timer) before answering: for timeout tests. */
  public S delayMs(long ms) {
    delayMs = ms;
    return self();
  }

  /** Waits this long between stream events. */
  public S chunkDelayMs(long ms) {
    chunkDelayMs = ms;
    return self();
  }

  /** Requests without this key get the provider's 401. */
  public S requireApiKey(String key) {
    requiredApiKey = key;
    return self();
  }

  public List<RecordedRequest> requests() {
    synchronized (requests) {
      return List.copyOf(requests);
    }
  }

  public RecordedRequest lastRequest() {
    synchronized (requests) {
      if (requests.isEmpty()) throw new AssertionError("the mock received no request");
      return requests.get(requests.size() - 1);
    }
  }

  public S clearRequests() {
    requests.clear();
    return self();
  }

  public Reply reply() {
    return reply;
  }

  protected String midStreamError() {
    return midStreamError;
  }

  protected String requiredApiKey() {
    return requiredApiKey;
  }

  private synchronized Failure takeFailure() {
    Failure f = failure;
    if (f == null) return null;
    if (f.times() > 0) {
      failure = f.times() == 1 ? null : new Failure(f.status(), f.message(), f.times() - 1, f.headers());
    }
    return f;
  }

  private void onRequest(HttpServerRequest req) {
    req.body().onSuccess(body -> {
      Map<String, String> headers = new HashMap<>();
      req.headers().forEach(e -> headers.put(e.getKey().toLowerCase(Locale.ROOT), e.getValue()));
      RecordedRequest recorded = new RecordedRequest(req.method().name(), req.path(), req.query(), Map.copyOf(headers), body.toString());
      requests.add(recorded);
      Failure f = takeFailure();
      Runnable answer = () -> {
        if (f != null) {
          HttpServerResponse resp = req.response().setStatusCode(f.status()).putHeader("content-type", "application/json");
          f.headers().forEach(resp::putHeader);
          resp.end(errorBody(f.status(), f.message()));
        } else {
          handle(recorded, req.response());
        }
      };
      if (delayMs > 0) vertx.setTimer(delayMs, t -> answer.run());
      else answer.run();
    });
  }

  /** Answers a request that is not failing: validates it like the provider and replies. */
  protected abstract void handle(RecordedRequest request, HttpServerResponse response);

  /** The provider's error body for a status. */
  protected abstract String errorBody(int status, String message);

  /** Writes SSE frames in order, {@link #chunkDelayMs} apart, then ends the response. */
  protected void sendEvents(HttpServerResponse resp, List<String> frames) {
    resp.setChunked(true);
    if (chunkDelayMs <= 0) {
      resp.end(Buffer.buffer(String.join("", frames)));
      return;
    }
    writeFrom(resp, frames, 0);
  }

  private void writeFrom(HttpServerResponse resp, List<String> frames, int i) {
    if (resp.closed()) return;
    if (i == frames.size()) {
      resp.end();
      return;
    }
    resp.write(frames.get(i));
    vertx.setTimer(chunkDelayMs, t -> writeFrom(resp, frames, i + 1));
  }

  /** Word-sized pieces that concatenate back to the text. */
  protected static List<String> pieces(String text) {
    List<String> out = new ArrayList<>();
    int start = 0;
    for (int i = 1; i < text.length(); i++) {
      if (text.charAt(i) == ' ' && text.charAt(i - 1) != ' ') {
        out.add(text.substring(start, i));
        start = i;
      }
    }
    if (start < text.length()) out.add(text.substring(start));
    return out;
  }

  protected static void json(HttpServerResponse resp, int status, String body) {
    resp.setStatusCode(status).putHeader("content-type", "application/json").end(body);
  }

  /** A JSON string literal (quoted and escaped), or {@code null}. */
  protected static String q(String s) {
    return s == null ? "null" : "\"" + new String(com.fasterxml.jackson.core.io.JsonStringEncoder.getInstance().quoteAsString(s)) + "\"";
  }
}
