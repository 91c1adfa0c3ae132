package dev.switchboard.router.chat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.switchboard.router.config.GatewaySnapshot;
import dev.switchboard.router.api.Decimals;
import dev.switchboard.router.api.ApiError;
import dev.switchboard.router.api.ApiException;
import dev.switchboard.router.api.Responses;
import dev.switchboard.router.providers.chat.Json;
import dev.switchboard.router.metrics.GatewayMetrics;
import dev.switchboard.router.providers.contract.ChatResult;
import dev.switchboard.router.providers.contract.Usage;
import dev.switchboard.router.providers.contract.ProviderException;
import dev.switchboard.router.providers.contract.SseEvent;
import dev.switchboard.router.providers.contract.StreamTranslator;
import dev.switchboard.router.routing.RoutePlanner.Plan;
import io.vertx.core.Handler;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpClientResponse;
import io.vertx.core.http.HttpServerResponse;
import io.vertx.ext.web.RoutingContext;
import java.util.List;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One chat API endpoint ({@code POST /v1/chat/completions}, {@code POST /v1/messages}): validate, plan, execute with
 * fallbacks, answer or stream. The {@link Ingress} decides the API's shape; the pipeline is the same for all.
 */
public final class ChatHandler implements Handler<RoutingContext> {
  private static final Logger LOG = LoggerFactory.getLogger(ChatHandler.class);

  private final Supplier<GatewaySnapshot> snapshot;
  private final RouteResolver resolver;
  private final ChatExecutor executor;
  private final GatewayMetrics metrics;
  private final ExchangeObserver observer;
  private final boolean collectText;
  private final RequestGate gate;
  private final Ingress ingress;
  private final RequestTrace.Starter tracer;
  /** The response cache, or null (a gateway built without one: tests of other features). */
  private final AnswerCache cache;
  private final ExchangeEnd end;

  /** Marks a replay run's own call; honoured only with {@link #REPLAY_KEY_HEADER} = the admin key. */
  public static final String REPLAY_HEADER = "x-switchboard-replay";
  public static final String REPLAY_KEY_HEADER = "x-switchboard-replay-key";

  public ChatHandler(Supplier<GatewaySnapshot> snapshot, RouteResolver resolver, ChatExecutor executor,
      GatewayMetrics metrics, ExchangeObserver observer) {
    this(snapshot, resolver, executor, metrics, observer, RequestGate.OPEN);
  }

  public ChatHandler(Supplier<GatewaySnapshot> snapshot, RouteResolver resolver, ChatExecutor executor,
      GatewayMetrics metrics, ExchangeObserver observer, RequestGate gate) {
    this(snapshot, resolver, executor, metrics, observer, gate, Ingress.CHAT_COMPLETIONS, RequestTrace.Starter.OFF, null);
  }

  public ChatHandler(Supplier<GatewaySnapshot> snapshot, RouteResolver resolver, ChatExecutor executor,
      GatewayMetrics metrics, ExchangeObserver observer, RequestGate gate, Ingress ingress, RequestTrace.Starter tracer,
      AnswerCache cache) {
    this.ingress = ingress;
    this.tracer = tracer;
    this.cache = cache;
    this.gate = gate;
    this.snapshot = snapshot;
    this.resolver = resolver;
    this.executor = executor;
    this.metrics = metrics;
    this.observer = observer;
    this.collectText = observer.needsResponseText();
    this.end = new ExchangeEnd(metrics, observer);
  }

  @Override
  public void handle(RoutingContext rc) {
    GatewaySnapshot snap = snapshot.get();
    ChatExchange ex = ChatExchange.begin(rc, snap);
    HttpServerResponse out = rc.response();
    ex.trace = tracer.start(rc.request());
    // Only a replay run holding the admin key may mark its calls as replay traffic (which replays
    // skip): from anyone else the header is ignored, or a client could keep its traffic out of replay.
    String replay = rc.request().getHeader(REPLAY_HEADER);
    ex.replayRun = replay != null && snap.isAdminKey(rc.request().getHeader(REPLAY_KEY_HEADER)) ? replay : null;
    ParsedChat chat;
    try {
      chat = ingress.parse(rc, rc.body().buffer() == null ? new byte[0] : rc.body().buffer().getBytes(), ex);
      chat = gate.authorize(rc, snap, chat, ex);
    } catch (ApiException e) {
      fail(out, null, ex, e.error());
      return;
    }
    ParsedChat parsed = chat;
    if (cache == null || !cache.appliesTo(snap, parsed, ex)) {
      route(snap, parsed, ex, rc, out);
      return;
    }
    RequestTrace.Stage lookup = ex.trace.stage(RequestTrace.CACHE);
    cache.find(snap, parsed, ex, rc.request().getHeader("cache-control")).onComplete(ar -> {
      if (ar.succeeded()) lookup.end();
      else lookup.fail("error");
      if (ar.succeeded() && ar.result() != null) serveCached(parsed, ex, out, ar.result());
      else route(snap, parsed, ex, rc, out);
    });
  }

  private void route(GatewaySnapshot snap, ParsedChat parsed, ChatExchange ex, RoutingContext rc, HttpServerResponse out) {
    io.vertx.core.Future<Plan> planned;
    try {
      planned = resolver.resolve(snap, parsed, ex, rc.request().headers());
    } catch (ApiException e) {
      fail(out, parsed, ex, e.error());
      return;
    }
    planned.onComplete(ar -> {
      if (ar.failed()) {
        fail(out, parsed, ex, errorOf(ar.cause(), ex));
        return;
      }
      ex.route = ar.result().route();
      RequestTrace.Stage limits = gate == RequestGate.OPEN ? RequestTrace.Stage.OFF : ex.trace.stage(RequestTrace.LIMITS);
      gate.admit(snap, ar.result(), parsed, ex).onComplete(admitted -> {
        if (admitted.failed()) {
          limits.fail(admitted.cause() instanceof ApiException e ? e.error().code() : "error");
          fail(out, parsed, ex, errorOf(admitted.cause(), ex));
          return;
        }
        limits.end();
        Plan plan = admitted.result();
        if (parsed.request().stream()) stream(snap, plan, parsed, ex, out);
        else complete(snap, plan, parsed, ex, out);
      });
    });
  }

  // ---------------------------------------------------------------- non-streaming

  private void complete(GatewaySnapshot snap, Plan plan, ParsedChat chat, ChatExchange ex, HttpServerResponse out) {
    executor.complete(snap, plan.deployments(), chat.request(), ex).onComplete(ar -> {
      if (ar.failed()) {
        fail(out, chat, ex, errorOf(ar.cause(), ex));
        return;
      }
      ChatResult result = ar.result();
      ex.usage = result.usage();
      ex.status = 200;
      Buffer body;
      try {
        body = ingress.completion(result, chat, ex);
      } catch (ApiException e) {
        fail(out, chat, ex, e.error());
        return;
      }
      // The cache keeps the chat completion whichever API asked; a hit is translated again on the way out.
      if (cache != null) {
        cache.store(ex, result.body() != null ? result.body() : Json.writeBytes(result.completion()), result.usage(), ex.costUsd());
      }
      commonHeaders(out, ex);
      out.putHeader("x-switchboard-cost-usd", costHeader(ex.costUsd()));
      out.putHeader("content-type", Responses.JSON);
      out.end(body);
      finished(chat, ex, text(result.completion()));
    });
  }

  // ---------------------------------------------------------------- streaming

  private void stream(GatewaySnapshot snap, Plan plan, ParsedChat chat, ChatExchange ex, HttpServerResponse out) {
    executor.openStream(snap, plan.deployments(), chat.request(), ex).onComplete(ar -> {
      if (ar.failed()) {
        fail(out, chat, ex, errorOf(ar.cause(), ex));
        return;
      }
      new StreamPump(ar.result(), chat, ex, out).start();
    });
  }

  /** Moves one committed upstream stream to the client with backpressure. */
  private final class StreamPump {
    private final OpenStream s;
    private final ParsedChat chat;
    private final ChatExchange ex;
    private final HttpServerResponse out;
    private final HttpClientResponse upstream;
    private final StringBuilder text = new StringBuilder();
    private final Ingress.StreamEncoder encoder;
    private boolean done;
    private long idleTimer = -1;
    /** SSE bytes translated from one upstream read, sent with one write (see {@link #flush}). */
    private Buffer batch;
    /** Rebuilds the answer for the response cache when this request is a miss to be stored; else null. */
    private final AnswerCache.StreamRecorder capture;

    StreamPump(OpenStream s, ParsedChat chat, ChatExchange ex, HttpServerResponse out) {
      this.s = s;
      this.chat = chat;
      this.ex = ex;
      this.out = out;
      this.upstream = s.exchange().response();
      this.encoder = ingress.stream(chat, s.translator(), ex);
      this.capture = cache == null ? null : cache.recorder(ex);
    }

    void start() {
      ex.status = 200;
      commonHeaders(out, ex);
      // The cost is unknown until the stream ends; routed streams announce the expected cost.
      if (ex.expectedCostUsd != null) out.putHeader("x-switchboard-cost-usd", costHeader(ex.expectedCostUsd));
      out.setChunked(true)
          .putHeader("content-type", "text/event-stream; charset=utf-8")
          .putHeader("cache-control", "no-cache")
          .putHeader("x-accel-buffering", "no");
      write(s.firstChunks());
      if (s.translator().finished()) {
        finish();
        return;
      }
      if (consume(s.rest())) return;
      if (s.ended()) {
        end();
        return;
      }
      flush();
      out.closeHandler(v -> {
        if (!done) {
          done = true;
          cancelIdle();
          s.exchange().request().reset();
          ex.status = 499;
          ex.errorMessage = "client closed the stream";
          finished(chat, ex, text.toString());
        }
      });
      upstream.handler(buf -> {
        if (done) return;
        armIdle();
        if (consume(s.parser().feed(buf.getBytes()))) return;
        flush();
        if (out.writeQueueFull()) {
          upstream.pause();
          out.drainHandler(v -> upstream.resume());
        }
      });
      upstream.exceptionHandler(err -> abort("the upstream connection failed mid-stream"));
      upstream.endHandler(v -> end());
      armIdle();
      upstream.resume();
    }

    /** Translates and writes events; true once the stream is done (finished or aborted). */
    private boolean consume(List<SseEvent> events) {
      try {
        for (SseEvent e : events) {
          write(s.translator().onEvent(e));
          if (s.translator().finished()) {
            finish();
            return true;
          }
        }
      } catch (ProviderException e) {
        abort(e.error().message());
        return true;
      }
      return false;
    }

    /**
     * The upstream body ended: the parser may hold a last event that lacked its blank line, and
     * the translator may finish only now (Gemini). Not finished then: the stream was cut off.
     */
    private void end() {
      if (done || consume(s.parser().finish())) return;
      try {
        write(s.translator().onEnd());
      } catch (ProviderException e) {
        abort(e.error().message());
        return;
      }
      if (s.translator().finished()) finish(); else abort("the upstream closed the stream before it was complete");
    }

    private void write(List<String> chunks) {
      ex.streamedChunks += chunks.size();
      for (String c : chunks) {
        if (collectText) appendText(c);
        if (capture != null) capture.chunk(c);
        if (batch == null) batch = Buffer.buffer(Math.max(256, c.length() + 8));
        encoder.chunk(c, batch);
      }
    }

    /**
     * Writes what the last upstream read produced as one buffer: the same bytes as a write per
     * event, but one socket write (and one pass through the pipeline) instead of one per event.
     */
    private void flush() {
      if (batch == null) return;
      Buffer b = batch;
      batch = null;
      out.write(b);
    }

    private void finish() {
      if (done) return;
      done = true;
      cancelIdle();
      StreamTranslator t = s.translator();
      ex.usage = t.usage();
      Buffer tail = batch != null ? batch : Buffer.buffer(64);
      batch = null;
      encoder.finish(tail);
      out.end(tail);
      if (capture != null) {
        com.fasterxml.jackson.databind.node.ObjectNode answer = capture.completion(ex.usage);
        if (answer != null) cache.store(ex, Json.writeBytes(answer), ex.usage, ex.costUsd());
      }
      finished(chat, ex, text.toString());
    }

    private void abort(String why) {
      if (done) return;
      flush(); // chunks translated before the failure still go out ahead of the error event
      done = true;
      cancelIdle();
      s.exchange().request().reset();
      ex.usage = s.translator().usage();
      ex.status = 502;
      ex.errorMessage = why;
      ApiError error = new ApiError(502, "upstream_error", "Deployment '" + s.deployment().name() + "' failed mid-stream: " + why,
          null, "stream_interrupted", ex.attempts);
      Buffer tail = Buffer.buffer(256);
      if (encoder.fail(error, tail)) {
        if (!out.ended() && !out.closed()) out.end(tail);
      } else {
        ingress.error(out, error);
      }
      finished(chat, ex, text.toString());
    }

    private void armIdle() {
      cancelIdle();
      long ms = s.deployment().timeoutMs();
      idleTimer = executorVertx().setTimer(ms, t -> abort("no data from the upstream for " + ms + " ms"));
    }

    private void cancelIdle() {
      if (idleTimer >= 0) executorVertx().cancelTimer(idleTimer);
      idleTimer = -1;
    }

    private io.vertx.core.Vertx executorVertx() {
      return io.vertx.core.Vertx.currentContext().owner();
    }

    /** Collects the assistant text for the request log; cheap substring scan, no JSON parse per chunk. */
    private void appendText(String chunk) {
      int i = chunk.indexOf("\"content\":\"");
      if (i < 0) return;
      try {
        JsonNode n = Json.MAPPER.readTree(chunk).path("choices").path(0).path("delta").path("content");
        if (n.isTextual()) text.append(n.asText());
      } catch (Exception ignored) {
        // a chunk we cannot read is still forwarded; only the log misses its text
      }
    }
  }

  // ---------------------------------------------------------------- served from the response cache

  /** Answers from the cache: the stored completion as it was, or as a stream of it; costs nothing, calls no upstream. */
  private void serveCached(ParsedChat chat, ChatExchange ex, HttpServerResponse out, AnswerCache.Hit hit) {
    ex.status = 200;
    if (snapshot.get().config().routes().containsKey(chat.request().model())) ex.route = chat.request().model();
    JsonNode completion;
    try {
      completion = Json.MAPPER.readTree(hit.completion());
    } catch (java.io.IOException e) {
      fail(out, chat, ex, errorOf(e, ex));
      return;
    }
    commonHeaders(out, ex);
    out.putHeader("x-switchboard-deployment", hit.deployment() == null ? "" : hit.deployment());
    out.putHeader("x-switchboard-cost-usd", costHeader(0));
    Usage usage = new Usage(hit.promptTokens(), hit.completionTokens());
    if (chat.request().stream()) {
      // Replayed through the front door's own encoder, so a Messages or Responses client gets its API's events.
      out.putHeader("content-type", "text/event-stream; charset=utf-8").putHeader("cache-control", "no-cache");
      Ingress.StreamEncoder encoder = ingress.stream(chat, cache.replayed(completion, usage), ex);
      Buffer b = Buffer.buffer(hit.completion().length * 2 + 64);
      for (String c : cache.chunks(completion)) encoder.chunk(c, b);
      encoder.finish(b);
      out.end(b);
    } else {
      out.putHeader("content-type", Responses.JSON);
      if (ingress == Ingress.CHAT_COMPLETIONS) {
        out.end(Buffer.buffer(hit.completion()));
      } else {
        try {
          out.end(ingress.completion(new ChatResult((com.fasterxml.jackson.databind.node.ObjectNode) completion, usage), chat, ex));
        } catch (ApiException e) {
          fail(out, chat, ex, e.error());
          return;
        }
      }
    }
    finished(chat, ex, text(completion));
  }

  // ---------------------------------------------------------------- shared (ExchangeEnd, also used by the other endpoints)

  private void commonHeaders(HttpServerResponse out, ChatExchange ex) {
    end.headers(out, ex);
  }

  private static String costHeader(double usd) {
    return ExchangeEnd.costHeader(usd);
  }

  private void fail(HttpServerResponse out, ParsedChat chat, ChatExchange ex, ApiError error) {
    end.fail(out, chat, ex, error, ingress);
  }

  private void finished(ParsedChat chat, ChatExchange ex, String responseText) {
    end.finished(chat, ex, responseText);
  }

  private static ApiError errorOf(Throwable t, ChatExchange ex) {
    return ExchangeEnd.errorOf(t, ex);
  }

  private static String text(JsonNode completion) {
    JsonNode c = completion.path("choices").path(0).path("message").path("content");
    return c.isTextual() ? c.asText() : null;
  }
}
