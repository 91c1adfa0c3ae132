package dev.switchboard.router.chat;

import dev.switchboard.router.api.ApiError;
import dev.switchboard.router.api.ApiException;
import dev.switchboard.router.api.Decimals;
import dev.switchboard.router.api.Responses;
import dev.switchboard.router.metrics.GatewayMetrics;
import io.vertx.core.http.HttpServerResponse;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * How every request the gateway routes ends, whichever endpoint took it (chat completions, the Responses API,
 * embeddings, legacy completions): the response headers, the error answer, and once at the end the metrics, the
 * budget settlement and the request log.
 */
public final class ExchangeEnd {
  private static final Logger LOG = LoggerFactory.getLogger(ExchangeEnd.class);

  private final GatewayMetrics metrics;
  private final ExchangeObserver observer;

  public ExchangeEnd(GatewayMetrics metrics, ExchangeObserver observer) {
    this.metrics = metrics;
    this.observer = observer;
  }

  /** Sets the deployment, attempts, overhead and routing headers of an answer. */
  public void headers(HttpServerResponse out, ChatExchange ex) {
    out.putHeader("x-switchboard-deployment", ex.answered == null ? "" : ex.answered.name());
    out.putHeader("x-switchboard-attempts", Integer.toString(countAttempts(ex)));
    out.putHeader("x-switchboard-overhead-ms", Responses.millis(ex.overheadNanos(System.nanoTime())));
    for (String[] h : ex.extraHeaders) out.putHeader(h[0], h[1]);
  }

  /** A cost in USD as the {@code x-switchboard-cost-usd} header writes it. */
  public static String costHeader(double usd) {
    return Decimals.fixed(usd, 8);
  }

  private static int countAttempts(ChatExchange ex) {
    int n = 0;
    for (var a : ex.attempts) if (a.attempt() > 0) n++;
    return n;
  }

  /** Answers {@code error} (OpenAI's shape) and ends the request. */
  public void fail(HttpServerResponse out, ParsedChat chat, ChatExchange ex, ApiError error) {
    fail(out, chat, ex, error, Ingress.CHAT_COMPLETIONS);
  }

  /** Answers {@code error} in the shape of the API the request came through ({@code ingress}) and ends the request. */
  public void fail(HttpServerResponse out, ParsedChat chat, ChatExchange ex, ApiError error, Ingress ingress) {
    ex.status = error.status();
    ex.errorMessage = error.message();
    if (!out.headWritten()) {
      out.putHeader("x-switchboard-attempts", Integer.toString(countAttempts(ex)));
      out.putHeader("x-switchboard-overhead-ms", Responses.millis(ex.overheadNanos(System.nanoTime())));
      for (String[] h : ex.extraHeaders) out.putHeader(h[0], h[1]);
    }
    ingress.error(out, error);
    finished(chat, ex, null);
  }

  /**
   * Once per request, whatever its outcome: metrics, the budget settlement, the request log.
   *
   * @param chat the request as the chat pipeline saw it (null when it could not be parsed)
   * @param responseText the answer's text for the request log, or null
   */
  public void finished(ParsedChat chat, ChatExchange ex, String responseText) {
    long now = System.nanoTime();
    String route = ex.route == null ? "unrouted" : ex.route;
    String deployment = ex.answered == null ? "none" : ex.answered.name();
    metrics.request(route, deployment, ex.status, now - ex.startNanos);
    if (ex.answered != null && ex.status == 200) {
      metrics.usage(deployment, ex.usage.promptTokens(), ex.usage.completionTokens(), ex.costUsd());
    }
    if (ex.settlement != null) {
      RequestGate.Settlement s = ex.settlement;
      ex.settlement = null; // once, whichever path finished the request
      try {
        s.settle(ex);
      } catch (RuntimeException e) {
        LOG.warn("request {}: settling the budget failed: {}", ex.requestId, e.toString());
      }
    }
    ex.trace.finish(chat, ex);
    try {
      observer.completed(chat, ex, responseText);
    } catch (RuntimeException e) {
      LOG.warn("request {}: exchange observer failed: {}", ex.requestId, e.toString());
    }
  }

  /** The client-facing error of a failed future; an unexpected exception is logged here and answered as a 500. */
  public static ApiError errorOf(Throwable t, ChatExchange ex) {
    if (t instanceof ApiException ae) return ae.error();
    LOG.error("request {}: unexpected failure", ex.requestId, t);
    return new ApiError(500, "server_error", "The gateway failed to process the request (request id " + ex.requestId + ").",
        null, "internal_error", ex.attempts);
  }
}
