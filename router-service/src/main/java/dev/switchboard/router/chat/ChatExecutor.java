package dev.switchboard.router.chat;

import dev.switchboard.router.config.Deployment;
import dev.switchboard.router.config.GatewaySnapshot;
import dev.switchboard.router.api.ApiError;
import dev.switchboard.router.api.ApiError.AttemptView;
import dev.switchboard.router.api.ApiException;
import dev.switchboard.router.metrics.GatewayMetrics;
import dev.switchboard.router.providers.contract.ChatRequest;
import dev.switchboard.router.providers.contract.ChatResult;
import dev.switchboard.router.providers.contract.ErrorKind;
import dev.switchboard.router.providers.Provider;
import dev.switchboard.router.providers.chat.Choices;
import dev.switchboard.router.providers.contract.ProviderException;
import dev.switchboard.router.providers.contract.SseEvent;
import dev.switchboard.router.providers.contract.StreamTranslator;
import dev.switchboard.router.providers.contract.UpstreamError;
import dev.switchboard.router.providers.contract.UpstreamRequest;
import dev.switchboard.router.providers.sse.SseParser;
import dev.switchboard.router.resilience.Backoff;
import dev.switchboard.router.resilience.Breakers;
import dev.switchboard.router.resilience.CircuitBreaker;
import dev.switchboard.router.upstream.UpstreamClient;
import dev.switchboard.router.upstream.UpstreamClient.Exchange;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpClientResponse;
import io.vertx.core.http.StreamResetException;
import java.net.ConnectException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeoutException;
import java.util.function.BiFunction;

/**
 * Runs one chat request against its plan of deployments: per-attempt timeout, retries with
 * backoff on the same deployment, then the next deployment, circuit breakers, and the overall
 * deadline. Everything happens on the calling event loop; nothing blocks.
 */
public final class ChatExecutor {
  private final Vertx vertx;
  private final UpstreamClient client;
  private final Breakers breakers;
  private final GatewayMetrics metrics;

  public ChatExecutor(Vertx vertx, UpstreamClient client, Breakers breakers, GatewayMetrics metrics) {
    this.vertx = vertx;
    this.client = client;
    this.breakers = breakers;
    this.metrics = metrics;
  }

  /** A non-streaming completion from the first deployment that answers. */
  public Future<ChatResult> complete(GatewaySnapshot snap, List<Deployment> plan, ChatRequest request, ChatExchange ex) {
    return run(snap, plan, ex, (d, timeoutMs) -> attemptComplete(snap, d, request, timeoutMs, ex));
  }

  /** A stream from the first deployment whose stream produces a first chunk. */
  public Future<OpenStream> openStream(GatewaySnapshot snap, List<Deployment> plan, ChatRequest request, ChatExchange ex) {
    return run(snap, plan, ex, (d, timeoutMs) -> attemptStream(snap, d, request, timeoutMs, ex));
  }

  /**
   * Another upstream operation (embeddings, legacy completions) under the same attempt loop: retries, fallback,
   * breakers and the deadline. {@code call} forms the request for each deployment and reads its 2xx body; a non-2xx
   * body is classified by the deployment's provider like a chat error.
   */
  public <T> Future<T> call(GatewaySnapshot snap, List<Deployment> plan, ChatExchange ex, UpstreamCall<T> call) {
    return run(snap, plan, ex, (d, timeoutMs) -> {
      Provider provider = Provider.forKind(d.provider());
      UpstreamRequest up = call.request(d, snap.apiKey(d.name()));
      long start = System.nanoTime();
      return client.send(up, timeoutMs).compose(exchange ->
          body(provider, exchange, Math.max(1, timeoutMs - (System.nanoTime() - start) / 1_000_000)).map(bytes -> call.parse(d, bytes)));
    });
  }

  /**
   * As {@link #call}, for a body passed through as it comes (a stream): completes with the exchange once a deployment
   * answered 2xx (its body paused, not read); from then on there is no fallback.
   */
  public Future<Passthrough> callStreaming(GatewaySnapshot snap, List<Deployment> plan, ChatExchange ex,
      BiFunction<Deployment, String, UpstreamRequest> request) {
    return run(snap, plan, ex, (d, timeoutMs) -> {
      Provider provider = Provider.forKind(d.provider());
      long start = System.nanoTime();
      return client.send(request.apply(d, snap.apiKey(d.name())), timeoutMs).compose(exchange -> {
        if (exchange.response().statusCode() / 100 == 2) return Future.succeededFuture(new Passthrough(d, exchange));
        long left = Math.max(1, timeoutMs - (System.nanoTime() - start) / 1_000_000);
        return body(provider, exchange, left).map(bytes -> (Passthrough) null); // body() fails for non-2xx
      });
    });
  }

  /** One non-chat upstream operation: the request for a deployment, and what its 2xx body means. */
  public interface UpstreamCall<T> {
    UpstreamRequest request(Deployment d, String apiKey);

    /** Reads a 2xx body; throws {@link ProviderException} (e.g. {@code INVALID_RESPONSE}) for one it cannot read. */
    T parse(Deployment d, byte[] body);
  }

  /** A deployment's 2xx response whose body (paused) the caller streams on. */
  public record Passthrough(Deployment deployment, Exchange exchange) {}

  // ---------------------------------------------------------------- the attempt loop

  private <T> Future<T> run(GatewaySnapshot snap, List<Deployment> plan, ChatExchange ex,
      BiFunction<Deployment, Long, Future<T>> attempt) {
    Promise<T> promise = Promise.promise();
    step(snap, plan, ex, attempt, promise, 0, 0, null);
    return promise.future();
  }

  private <T> void step(GatewaySnapshot snap, List<Deployment> plan, ChatExchange ex,
      BiFunction<Deployment, Long, Future<T>> attempt, Promise<T> promise, int index, int retry, AttemptFailure last) {
    if (index >= plan.size()) {
      promise.fail(allFailed(ex, last));
      return;
    }
    long remainingMs = (ex.deadlineNanos - System.nanoTime()) / 1_000_000;
    if (remainingMs <= 0) {
      promise.fail(deadline(ex));
      return;
    }
    Deployment d = plan.get(index);
    CircuitBreaker breaker = breakers.get(d.name());
    if (!breaker.tryAcquire()) {
      ex.attempts.add(new AttemptView(d.name(), 0, "circuit_open", 0, 0));
      step(snap, plan, ex, attempt, promise, index + 1, 0,
          last != null ? last : new AttemptFailure(new UpstreamError(ErrorKind.OVERLOADED, 0, "circuit breaker open")));
      return;
    }
    int attemptNo = retry + 1;
    if (snap.keyMissing(d)) {
      breaker.release();
      AttemptFailure f = new AttemptFailure(new UpstreamError(ErrorKind.AUTH, 0,
          "API key not configured (environment variable " + d.apiKeyEnv() + " is not set)"));
      ex.attempts.add(new AttemptView(d.name(), attemptNo, f.outcome(), 0, 0));
      step(snap, plan, ex, attempt, promise, index + 1, 0, f);
      return;
    }
    long timeoutMs = Math.min(d.timeoutMs(), remainingMs);
    long t0 = System.nanoTime();
    Future<T> f;
    try {
      f = attempt.apply(d, timeoutMs);
    } catch (ProviderException e) {
      f = Future.failedFuture(e);
    }
    f.onComplete(ar -> {
      long dt = System.nanoTime() - t0;
      ex.upstreamNanos += dt;
      if (ar.succeeded()) {
        breaker.onSuccess();
        ex.attempts.add(new AttemptView(d.name(), attemptNo, "ok", 200, dt / 1_000_000));
        metrics.upstream(d.name(), "ok", dt);
        ex.answered = d;
        promise.complete(ar.result());
        return;
      }
      AttemptFailure failure = new AttemptFailure(toUpstreamError(ar.cause(), timeoutMs).masking(sentSecrets(snap, d)));
      if (failure.countsForBreaker()) breaker.onFailure(); else breaker.release();
      ex.attempts.add(new AttemptView(d.name(), attemptNo, failure.outcome(), failure.error().status(), dt / 1_000_000));
      metrics.upstream(d.name(), failure.outcome(), dt);
      if (System.nanoTime() >= ex.deadlineNanos) {
        promise.fail(deadline(ex));
        return;
      }
      if (failure.retrySame() && retry < d.maxRetries()) {
        long delay = Backoff.delayMs(retry + 1, failure.error().retryAfterMs(), snap.config().resilience(),
            () -> ThreadLocalRandom.current().nextDouble());
        if (System.nanoTime() + delay * 1_000_000 < ex.deadlineNanos) {
          long w0 = System.nanoTime();
          Runnable next = () -> {
            ex.backoffNanos += System.nanoTime() - w0;
            step(snap, plan, ex, attempt, promise, index, retry + 1, failure);
          };
          if (delay <= 0) next.run(); else vertx.setTimer(delay, t -> next.run());
          return;
        }
      }
      if (failure.tryNext()) {
        if (ex.fallbackReason == null && index + 1 < plan.size()) ex.fallbackReason = "upstream_" + failure.outcome();
        step(snap, plan, ex, attempt, promise, index + 1, 0, failure);
      } else {
        promise.fail(rejected(d, failure, ex));
      }
    });
  }

  // ---------------------------------------------------------------- one attempt

  /** Continues an attempt once the upstream's response head arrived. */
  @FunctionalInterface
  private interface OnResponse<T> {
    /**
     * @param leftMs what is left of the attempt's timeout
     */
    Future<T> apply(Provider provider, Exchange exchange, long leftMs);
  }

  /** Hands parsed events of a stream that is not committed yet to its translator. */
  @FunctionalInterface
  private interface Offer {
    boolean apply(List<SseEvent> events, boolean ended);
  }

  /** One attempt: translate, send, then {@code then} with the response head and the time left. */
  private <T> Future<T> attempt(GatewaySnapshot snap, Deployment d, ChatRequest request, long timeoutMs, ChatExchange ex,
      OnResponse<T> then) {
    Provider provider = Provider.forKind(d.provider());
    UpstreamRequest up = provider.toUpstream(d, request, snap.apiKey(d.name()));
    // The attempt's span ends when the attempt is decided: with the answer, or a stream's first chunk.
    RequestTrace.Stage span = ex.trace.attempt(d, up, ex.attempts.size() + 1);
    long start = System.nanoTime();
    return client.send(span.carry(up), timeoutMs).compose(exchange -> {
      span.set("http.response.status_code", exchange.response().statusCode());
      return then.apply(provider, exchange, Math.max(1, timeoutMs - (System.nanoTime() - start) / 1_000_000));
    }).onComplete(ar -> {
      if (ar.succeeded()) span.end(); else span.fail(toUpstreamError(ar.cause(), timeoutMs).kind().name().toLowerCase(java.util.Locale.ROOT));
    });
  }

  /** The whole body within the time left; a non-2xx status becomes the provider's classified error. */
  private Future<byte[]> body(Provider provider, Exchange exchange, long leftMs) {
    HttpClientResponse resp = exchange.response();
    Future<Buffer> body = withTimeout(resp.body(), leftMs, exchange);
    resp.resume();
    return body.map(buf -> {
      byte[] bytes = buf.getBytes();
      if (resp.statusCode() / 100 != 2) throw new ProviderException(provider.classifyError(resp.statusCode(), headers(resp), bytes));
      return bytes;
    });
  }

  private Future<ChatResult> attemptComplete(GatewaySnapshot snap, Deployment d, ChatRequest request, long timeoutMs, ChatExchange ex) {
    int n = Choices.requested(request.body());
    if (n > 1 && !Provider.forKind(d.provider()).choicesPerCall()) {
      // The provider answers one choice per call: n calls in parallel make one attempt, which fails if any fails.
      List<Future<ChatResult>> calls = new ArrayList<>(n);
      for (int i = 0; i < n; i++) calls.add(attemptOneCall(snap, d, request, timeoutMs, ex));
      return Future.all(calls).map(all -> Choices.merge(all.list()));
    }
    return attemptOneCall(snap, d, request, timeoutMs, ex);
  }

  private Future<ChatResult> attemptOneCall(GatewaySnapshot snap, Deployment d, ChatRequest request, long timeoutMs, ChatExchange ex) {
    return attempt(snap, d, request, timeoutMs, ex, (provider, exchange, left) ->
        body(provider, exchange, left).map(bytes -> provider.fromUpstream(d, request, bytes)));
  }

  private Future<OpenStream> attemptStream(GatewaySnapshot snap, Deployment d, ChatRequest request, long timeoutMs, ChatExchange ex) {
    return attempt(snap, d, request, timeoutMs, ex, (provider, exchange, left) -> {
      HttpClientResponse resp = exchange.response();
      if (resp.statusCode() / 100 != 2) {
        return body(provider, exchange, left).map(bytes -> (OpenStream) null); // body() fails for non-2xx
      }
      Promise<OpenStream> first = Promise.promise();
      SseParser parser = new SseParser();
      StreamTranslator translator = provider.streamTranslator(d, request);
      List<String> pending = new ArrayList<>(2);
      long timer = vertx.setTimer(left, t -> {
        if (first.tryFail(new TimeoutException("no first chunk within " + timeoutMs + " ms"))) exchange.request().reset();
      });
      // Translates events until one commits the stream or fails the attempt (true); false: keep
      // reading. Pause before completing: completing may start the pump at once, which resumes.
      Offer offer = (events, ended) -> {
        for (int i = 0; i < events.size(); i++) {
          try {
            pending.addAll(translator.onEvent(events.get(i)));
          } catch (ProviderException e) {
            vertx.cancelTimer(timer);
            if (first.tryFail(e)) exchange.request().reset();
            return true;
          }
          if (translator.started() || translator.finished()) {
            vertx.cancelTimer(timer);
            if (!ended) resp.pause();
            first.tryComplete(new OpenStream(d, exchange, parser, translator, pending, events.subList(i + 1, events.size()), ended));
            return true;
          }
        }
        return false;
      };
      // Commit on the first output or the end, not on the role chunk, and at the first event that
      // produced it, not at the end of the read: an error event right after Anthropic's
      // message_start still falls back, and one after the first text does not, whatever the
      // packet boundaries.
      resp.handler(buf -> {
        if (first.future().isComplete()) return;
        offer.apply(parser.feed(buf.getBytes()), false);
      });
      resp.exceptionHandler(err -> {
        vertx.cancelTimer(timer);
        first.tryFail(err);
      });
      resp.endHandler(v -> {
        vertx.cancelTimer(timer);
        if (first.future().isComplete() || offer.apply(parser.finish(), true)) return; // a last event without its blank line
        try {
          pending.addAll(translator.onEnd());
        } catch (ProviderException e) {
          first.tryFail(e);
          return;
        }
        if (translator.started() || translator.finished()) {
          first.tryComplete(new OpenStream(d, exchange, parser, translator, pending, List.of(), true));
        } else {
          first.tryFail(new ProviderException(new UpstreamError(ErrorKind.INVALID_RESPONSE, resp.statusCode(),
              "the upstream stream ended before its first chunk")));
        }
      });
      resp.resume();
      return first.future();
    });
  }

  private <T> Future<T> withTimeout(Future<T> f, long ms, Exchange exchange) {
    Promise<T> p = Promise.promise();
    long timer = vertx.setTimer(ms, t -> {
      if (p.tryFail(new TimeoutException("no complete response within the attempt timeout"))) exchange.request().reset();
    });
    f.onComplete(ar -> {
      vertx.cancelTimer(timer);
      if (ar.succeeded()) p.tryComplete(ar.result()); else p.tryFail(ar.cause());
    });
    return p.future();
  }

  private static Map<String, String> headers(HttpClientResponse resp) {
    Map<String, String> h = new HashMap<>();
    resp.headers().forEach(e -> h.put(e.getKey().toLowerCase(java.util.Locale.ROOT), e.getValue()));
    return h;
  }

  // ---------------------------------------------------------------- errors

  /** Maps whatever an attempt failed with to an upstream error kind. Messages never carry headers or keys. */
  static UpstreamError toUpstreamError(Throwable t, long timeoutMs) {
    if (t instanceof ProviderException pe) return pe.error();
    if (t instanceof TimeoutException || t instanceof io.netty.handler.timeout.TimeoutException) {
      return new UpstreamError(ErrorKind.TIMEOUT, 0, "no answer within " + timeoutMs + " ms");
    }
    if (t instanceof ConnectException || t.getClass().getName().contains("Connect")) {
      return new UpstreamError(ErrorKind.CONNECT, 0, "connection failed: " + t.getMessage());
    }
    if (t instanceof StreamResetException || t instanceof io.vertx.core.VertxException || t instanceof java.io.IOException) {
      return new UpstreamError(ErrorKind.CONNECT, 0, "connection lost: " + (t.getMessage() == null ? t.getClass().getSimpleName() : t.getMessage()));
    }
    return new UpstreamError(ErrorKind.INVALID_RESPONSE, 0, "unexpected upstream failure (" + t.getClass().getSimpleName() + ")");
  }

  /** What an attempt on {@code d} sends that a provider could quote back: its key and extra header values. */
  private static List<String> sentSecrets(GatewaySnapshot snap, Deployment d) {
    List<String> sent = new ArrayList<>(d.headers().values());
    String key = snap.apiKey(d.name());
    if (key != null) sent.add(key);
    return sent;
  }

  private static ApiException allFailed(ChatExchange ex, AttemptFailure last) {
    StringBuilder sb = new StringBuilder("Every upstream attempt failed (").append(ex.attempts.size()).append("): ");
    for (int i = 0; i < ex.attempts.size(); i++) {
      AttemptView a = ex.attempts.get(i);
      if (i > 0) sb.append("; ");
      sb.append(a.deployment()).append(a.attempt() > 0 ? " #" + a.attempt() : "").append(' ').append(a.outcome());
      if (a.status() > 0) sb.append(" (HTTP ").append(a.status()).append(')');
    }
    if (last != null) sb.append(". Last error: ").append(last.error().message());
    return new ApiException(new ApiError(502, "upstream_error", sb.toString(), null, "all_upstreams_failed", ex.attempts));
  }

  private static ApiException deadline(ChatExchange ex) {
    long ms = (System.nanoTime() - ex.startNanos) / 1_000_000;
    return new ApiException(new ApiError(504, "timeout_error",
        "The request deadline passed after " + ms + " ms and " + ex.attempts.size() + " upstream attempt(s).",
        null, "deadline_exceeded", ex.attempts));
  }

  private static ApiException rejected(Deployment d, AttemptFailure f, ChatExchange ex) {
    int status = f.error().kind() == ErrorKind.CONTENT_FILTER ? 400 : (f.error().status() >= 400 && f.error().status() < 500 ? f.error().status() : 400);
    return new ApiException(new ApiError(status, "invalid_request_error",
        "Deployment '" + d.name() + "' rejected the request: " + f.error().message(), null,
        f.error().kind() == ErrorKind.CONTENT_FILTER ? "content_filter" : "upstream_rejected", ex.attempts));
  }

  static int statusOf(ApiError e) {
    return e.status() > 0 ? e.status() : HttpResponseStatus.BAD_GATEWAY.code();
  }
}
