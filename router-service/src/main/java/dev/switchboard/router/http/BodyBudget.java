package dev.switchboard.router.http;

import dev.switchboard.router.api.ApiError;
import dev.switchboard.router.api.Responses;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.http.HttpServerRequest;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The request-body bytes the gateway may hold at once across all connections
 * ({@code server.max_inflight_body_bytes}). Without it 300 connections that each sent 4,000,000 of
 * a declared 4,000,001 bytes and stopped kept ~1.1 GB live, and 250 ran a 768 MB heap out of
 * memory (issue #15).
 *
 * <p>A request reserves its declared {@code Content-Length} (a chunked body, whose size is unknown,
 * reserves {@code server.max_body_bytes}) before any of its body is read, and gives it back when its
 * answer ends or its connection closes. So the bytes buffered never exceed the budget. A request
 * that does not fit is refused at once with 503 {@code too_many_request_bodies} and its connection
 * closed (its body is never read). Bodies over {@value #SMALL_BODY} bytes may use only seven
 * eighths of the budget: uploads stalled by a hostile client cannot take the last of it, so
 * ordinary small requests still get in while those wait for the minimum-rate or read timeout.
 */
final class BodyBudget {

  /** Bodies up to this size may use the whole budget; larger ones leave an eighth for them. */
  static final long SMALL_BODY = 64 << 10;

  private final long limit;
  private final long largeLimit;
  private final long maxBodyBytes;
  private final AtomicLong inUse = new AtomicLong();
  private final AtomicLong refused = new AtomicLong();

  BodyBudget(long limit, long maxBodyBytes) {
    this.limit = limit;
    this.largeLimit = limit - limit / 8;
    this.maxBodyBytes = maxBodyBytes;
  }

  /** @return the bytes reserved for this request's body (0: none needed), or -1 if it does not fit */
  long reserve(HttpServerRequest req) {
    long need = declared(req);
    if (need == 0) return 0;
    long cap = need <= SMALL_BODY ? limit : largeLimit;
    while (true) {
      long cur = inUse.get();
      if (cur + need > cap) {
        refused.incrementAndGet();
        return -1;
      }
      if (inUse.compareAndSet(cur, cur + need)) return need;
    }
  }

  void release(long reserved) {
    if (reserved > 0) inUse.addAndGet(-reserved);
  }

  long inUse() {
    return inUse.get();
  }

  long refused() {
    return refused.get();
  }

  /**
   * What the body may occupy: its declared length; a chunked body the body limit. A declared length
   * over the limit reserves nothing: the body handler answers 413 without reading it.
   */
  private long declared(HttpServerRequest req) {
    String cl = req.getHeader(HttpHeaders.CONTENT_LENGTH);
    if (cl != null) {
      try {
        long n = Long.parseLong(cl.trim());
        return n > 0 && n <= maxBodyBytes ? n : 0;
      } catch (NumberFormatException e) {
        return 0; // the HTTP codec rejects it
      }
    }
    String te = req.getHeader(HttpHeaders.TRANSFER_ENCODING);
    return te != null && te.toLowerCase(java.util.Locale.ROOT).contains("chunked") ? maxBodyBytes : 0;
  }

  /** 503 with an OpenAI-shaped body and {@code Retry-After}; the connection closes after it. */
  static void refuse(HttpServerRequest req) {
    // The body is never read, so the connection cannot carry another request: close it once answered.
    req.response().putHeader("retry-after", "1").putHeader(HttpHeaders.CONNECTION, "close")
        .endHandler(v -> req.connection().close());
    Responses.error(req.response(), new ApiError(503, "server_error",
        "The gateway is receiving too many request bodies at once; retry in a moment.", null, "too_many_request_bodies",
        List.of()));
  }
}
