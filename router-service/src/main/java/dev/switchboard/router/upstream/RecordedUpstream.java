package dev.switchboard.router.upstream;

import dev.switchboard.dataset.recorded.RecordedAnswers;
import dev.switchboard.router.providers.chat.ChatCompletions;
import io.vertx.core.Future;
import io.vertx.core.VerticleBase;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerOptions;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.http.HttpServerResponse;
import java.util.List;
import java.util.TreeSet;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * An OpenAI-compatible server that answers as model M (the request's {@code model}) with M's
 * real recorded response to the prompt (the last user message), with per-model simulated
 * latency. Serves {@code POST /v1/chat/completions} (JSON and SSE) and {@code GET /v1/models}.
 * Unknown prompts or models get a short synthetic answer saying so; the {@code x-recorded}
 * response header tells which. Latency uses Vert.x timers only, never blocking the event loop.
 *
 * <p>Deploy one instance per event loop for throughput: instances share the port.
 */
public final class RecordedUpstream extends VerticleBase {
  private static final Logger LOG = LoggerFactory.getLogger(RecordedUpstream.class);
  private static final AtomicLong IDS = new AtomicLong(System.nanoTime() & 0xFFFFFFFFL);
  private static final int MAX_BODY_BYTES = 32 * 1024 * 1024;

  private final RecordedAnswers answers;
  private final RecordedUpstreamOptions options;
  private HttpServer server;

  public RecordedUpstream(RecordedAnswers answers, RecordedUpstreamOptions options) {
    this.answers = answers;
    this.options = options;
  }

  @Override
  public Future<?> start() {
    server = vertx.createHttpServer(new HttpServerOptions().setHost(options.host()).setPort(options.port()));
    return server.requestHandler(this::handle).listen()
        .onSuccess(s -> LOG.info("recorded upstream listening on http://{}:{}/v1 ({} models)", options.host(), s.actualPort(),
            answers.models().size()));
  }

  @Override
  public Future<?> stop() {
    return server == null ? Future.succeededFuture() : server.close();
  }

  /** The port actually bound (useful with port 0); -1 before start. */
  public int port() {
    return server == null ? -1 : server.actualPort();
  }

  /** {@code http://host:port/v1}, the base URL an OpenAI client or deployment uses. */
  public String baseUrl() {
    return "http://" + options.host() + ":" + port() + "/v1";
  }

  private void handle(HttpServerRequest req) {
    String path = req.path();
    if (path.endsWith("/") && path.length() > 1) path = path.substring(0, path.length() - 1);
    if (path.equals("/v1/chat/completions") || path.equals("/chat/completions")) {
      if (req.method() != HttpMethod.POST) {
        // Read the request to its end first so the keep-alive connection stays usable.
        req.body().onComplete(ar -> error(req.response(), 405,
            "Invalid method for URL (" + req.method() + " " + req.path() + ").", null, "method_not_allowed"));
        return;
      }
      req.body().onSuccess(body -> {
        try {
          completions(req, body);
        } catch (RuntimeException e) {
          // A bug here must not leave the client hanging: answer as OpenAI does on internal errors.
          LOG.error("recorded upstream failed on {}", req.path(), e);
          if (!req.response().headWritten()) {
            req.response().setStatusCode(500).putHeader("content-type", "application/json")
                .end(OpenAiWireWriter.error("The server had an error while processing your request.", "server_error", null, null));
          } else {
            req.response().reset();
          }
        }
      }).onFailure(e -> req.response().reset());
    } else if ((path.equals("/v1/models") || path.equals("/models")) && req.method() == HttpMethod.GET) {
      req.response().putHeader("content-type", "application/json")
          .end(OpenAiWireWriter.models(new TreeSet<>(answers.models()), 0));
    } else {
      req.body().onComplete(ar -> error(req.response(), 404, "Invalid URL (" + req.method() + " " + req.path() + ")", null, "unknown_url"));
    }
  }

  private void completions(HttpServerRequest req, Buffer body) {
    HttpServerResponse resp = req.response();
    if (body.length() > MAX_BODY_BYTES) {
      error(resp, 413, "Request body too large.", null, null);
      return;
    }
    CompletionRequest cr;
    try {
      cr = CompletionRequest.parse(body.getBytes());
    } catch (CompletionRequest.Invalid e) {
      error(resp, 400, e.getMessage(), e.param, null);
      return;
    }
    RecordedReply reply = RecordedReply.of(answers, cr.model(), cr.promptText(), cr.promptChars(), cr.maxTokens());
    LatencyProfile latency = options.latencyFor(cr.model());
    OpenAiWireWriter wire = new OpenAiWireWriter("chatcmpl-rec" + Long.toHexString(IDS.incrementAndGet()),
        ChatCompletions.nowSeconds(), cr.model(), cr.includeUsage());
    resp.putHeader("x-recorded", Boolean.toString(reply.recorded()));
    if (cr.stream()) {
      stream(resp, wire, reply, cr.includeUsage(), latency);
    } else {
      String json = wire.completion(reply);
      resp.putHeader("content-type", "application/json");
      long delay = latency.msUntilToken(reply.completionTokens());
      if (delay <= 0) {
        resp.end(json);
      } else {
        long timer = vertx.setTimer(delay, t -> {
          if (!resp.closed()) resp.end(json);
        });
        resp.closeHandler(v -> vertx.cancelTimer(timer));
      }
    }
  }

  private void stream(HttpServerResponse resp, OpenAiWireWriter wire, RecordedReply reply, boolean includeUsage, LatencyProfile latency) {
    resp.putHeader("content-type", "text/event-stream; charset=utf-8");
    resp.putHeader("cache-control", "no-cache");
    resp.setChunked(true);
    List<String> pieces = reply.pieces();
    if (latency.immediate()) {
      StringBuilder sb = new StringBuilder(reply.text().length() * 2 + 512 + pieces.size() * 200);
      event(sb, wire.roleChunk());
      for (String p : pieces) event(sb, wire.contentChunk(p));
      end(sb, wire, reply, includeUsage);
      resp.end(sb.toString());
      return;
    }
    new PacedStream(resp, wire, reply, pieces, includeUsage, latency).start();
  }

  private static void event(StringBuilder sb, String json) {
    sb.append("data: ").append(json).append("\n\n");
  }

  private static void end(StringBuilder sb, OpenAiWireWriter wire, RecordedReply reply, boolean includeUsage) {
    event(sb, wire.finishChunk(reply.finishReason()));
    if (includeUsage) event(sb, wire.usageChunk(reply));
    sb.append("data: [DONE]\n\n");
  }

  /**
   * Writes the pieces at the model's pace: each timer tick writes every piece already due and
   * schedules itself for the next one, so fast rates do not need a timer per token.
   */
  private final class PacedStream {
    private final HttpServerResponse resp;
    private final OpenAiWireWriter wire;
    private final RecordedReply reply;
    private final List<String> pieces;
    private final boolean includeUsage;
    private final LatencyProfile latency;
    private final double tokensPerPiece;
    private long startedAt;
    private int next;
    private long timer = -1;
    private boolean roleSent;

    PacedStream(HttpServerResponse resp, OpenAiWireWriter wire, RecordedReply reply, List<String> pieces, boolean includeUsage,
        LatencyProfile latency) {
      this.resp = resp;
      this.wire = wire;
      this.reply = reply;
      this.pieces = pieces;
      this.includeUsage = includeUsage;
      this.latency = latency;
      this.tokensPerPiece = pieces.isEmpty() ? 0 : (double) reply.completionTokens() / pieces.size();
    }

    void start() {
      startedAt = System.nanoTime();
      resp.closeHandler(v -> {
        if (timer >= 0) vertx.cancelTimer(timer);
      });
      schedule(latency.ttftMs());
    }

    private void schedule(long delayMs) {
      timer = vertx.setTimer(Math.max(1, delayMs), t -> tick());
    }

    private void tick() {
      timer = -1;
      if (resp.closed()) return;
      long elapsed = (System.nanoTime() - startedAt) / 1_000_000;
      StringBuilder sb = new StringBuilder();
      if (!roleSent) {
        event(sb, wire.roleChunk());
        roleSent = true;
      }
      while (next < pieces.size() && latency.msUntilToken((next + 1) * tokensPerPiece) <= elapsed) {
        event(sb, wire.contentChunk(pieces.get(next++)));
      }
      if (next >= pieces.size()) {
        end(sb, wire, reply, includeUsage);
        resp.end(sb.toString());
        return;
      }
      if (sb.length() > 0) resp.write(sb.toString());
      schedule(latency.msUntilToken((next + 1) * tokensPerPiece) - elapsed);
    }
  }

  private static void error(HttpServerResponse resp, int status, String message, String param, String code) {
    resp.setStatusCode(status).putHeader("content-type", "application/json")
        .end(OpenAiWireWriter.error(message, "invalid_request_error", param, code));
  }
}
