package dev.switchboard.router.upstream;

import dev.switchboard.router.providers.contract.UpstreamRequest;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpClientAgent;
import io.vertx.core.http.HttpClientOptions;
import io.vertx.core.http.HttpClientRequest;
import io.vertx.core.http.HttpClientResponse;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.PoolOptions;
import io.vertx.core.http.RequestOptions;
import java.util.Map;
import java.util.concurrent.TimeoutException;

/**
 * Pooled keep-alive HTTP client for upstream calls. One instance per event loop (created in
 * each gateway verticle), referenced from a field for its whole life: Vert.x closes an
 * unreferenced client when it is garbage-collected, even mid-stream.
 */
public final class UpstreamClient {
  private final Vertx vertx;
  private final HttpClientAgent client;

  public UpstreamClient(Vertx vertx, int poolSize) {
    this.vertx = vertx;
    this.client = vertx.httpClientBuilder()
        .with(new HttpClientOptions().setKeepAlive(true).setTcpNoDelay(true).setConnectTimeout(10_000)
            .setKeepAliveTimeout(60).setMaxInitialLineLength(8192).setDecompressionSupported(true))
        .with(new PoolOptions().setHttp1MaxSize(poolSize).setHttp2MaxSize(Math.max(1, poolSize / 8)))
        .build();
  }

  /** An open exchange: the response (paused, body unread) and the request, to reset it. */
  public record Exchange(HttpClientRequest request, HttpClientResponse response) {}

  /**
   * Sends the request and completes with the response head (body not read, response paused).
   * {@code timeoutMs} bounds the time until the response head; callers bound the body
   * themselves. On timeout the request is reset, freeing the connection.
   */
  public Future<Exchange> send(UpstreamRequest up, long timeoutMs) {
    RequestOptions options = new RequestOptions().setMethod(HttpMethod.valueOf(up.method())).setAbsoluteURI(up.url());
    for (Map.Entry<String, String> h : up.headers().entrySet()) options.putHeader(h.getKey(), h.getValue());
    Promise<Exchange> promise = Promise.promise();
    client.request(options).onComplete(ar -> {
      if (ar.failed()) {
        promise.tryFail(ar.cause());
        return;
      }
      HttpClientRequest req = ar.result();
      long timer = vertx.setTimer(timeoutMs, t -> {
        if (promise.tryFail(new TimeoutException("no response within " + timeoutMs + " ms"))) {
          req.reset(0, new TimeoutException());
        }
      });
      req.exceptionHandler(err -> promise.tryFail(err));
      req.response().onComplete(rr -> {
        vertx.cancelTimer(timer);
        if (rr.failed()) {
          promise.tryFail(rr.cause());
          return;
        }
        HttpClientResponse resp = rr.result();
        resp.pause();
        if (!promise.tryComplete(new Exchange(req, resp))) {
          req.reset();
        }
      });
      req.end(Buffer.buffer(up.body()));
    });
    return promise.future();
  }

  public Future<Void> close() {
    return client.close();
  }
}
