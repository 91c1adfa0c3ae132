package dev.switchboard.router.http;

import io.vertx.core.Vertx;
import io.vertx.core.http.HttpConnection;
import io.vertx.core.http.HttpServerRequest;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Bounds what a client can hold without sending a request: connections in all and per source
 * address, the time a connection may sit without a request (idle keep-alive, or headers dripped
 * byte by byte), and the time one request may take to arrive (a body sent slowly or never
 * finished). Without it 20,000 idle connections from one local client exhausted the process's file
 * descriptors and nothing was ever closed. One guard per gateway, shared by its verticles.
 *
 * <p>Timers run only while the gateway waits for the client: never while an answer is being
 * produced or streamed, however long the upstream takes.
 */
public final class ConnectionGuard {
  private final long idleTimeoutMs;
  private final long requestReadTimeoutMs;
  private final int maxConnections;
  private final int maxPerAddress;
  private final AtomicInteger open = new AtomicInteger();
  private final ConcurrentHashMap<String, AtomicInteger> perAddress = new ConcurrentHashMap<>();
  private final AtomicInteger refused = new AtomicInteger();
  private final AtomicInteger timedOut = new AtomicInteger();

  /**
   * @param maxPerAddress 0: no limit per address (behind a proxy every connection has its address)
   */
  public ConnectionGuard(long idleTimeoutMs, long requestReadTimeoutMs, int maxConnections, int maxPerAddress) {
    this.idleTimeoutMs = idleTimeoutMs;
    this.requestReadTimeoutMs = requestReadTimeoutMs;
    this.maxConnections = maxConnections;
    this.maxPerAddress = maxPerAddress;
  }

  /** Connections closed at once because a limit was reached. */
  public int refused() {
    return refused.get();
  }

  /** Connections closed because the client was too slow (idle, headers or body). */
  public int timedOut() {
    return timedOut.get();
  }

  public int open() {
    return open.get();
  }

  /** A new connection: counted, refused over a limit, else given its first idle deadline. */
  void accepted(Vertx vertx, HttpConnection conn) {
    String address = conn.remoteAddress() == null ? "?" : conn.remoteAddress().hostAddress();
    AtomicInteger mine = perAddress.computeIfAbsent(address, a -> new AtomicInteger());
    int all = open.incrementAndGet();
    int fromHere = mine.incrementAndGet();
    conn.closeHandler(v -> {
      open.decrementAndGet();
      if (mine.decrementAndGet() == 0) perAddress.remove(address, mine);
      cancel(vertx, conn);
    });
    if (all > maxConnections || (maxPerAddress > 0 && fromHere > maxPerAddress)) {
      // A request is not read yet, so there is nothing to answer: the close is the refusal.
      refused.incrementAndGet();
      conn.close();
      return;
    }
    waitForRequest(vertx, conn);
  }

  /**
   * A request began: the idle deadline no longer applies; the whole request must arrive within the
   * read timeout, and once answered the connection waits for the next one under the idle deadline.
   */
  void requestStarted(Vertx vertx, HttpServerRequest req) {
    HttpConnection conn = req.connection();
    cancel(vertx, conn);
    // Cancelled when the answer ends (the request has ended by then); the check covers the rest.
    long read = req.isEnded() ? -1 : vertx.setTimer(requestReadTimeoutMs, id -> {
      if (!req.isEnded()) {
        timedOut.incrementAndGet();
        conn.close();
      }
    });
    req.response().endHandler(v -> {
      if (read >= 0) vertx.cancelTimer(read);
      waitForRequest(vertx, conn);
    });
  }

  private final ConcurrentHashMap<HttpConnection, Long> idleTimers = new ConcurrentHashMap<>();

  private void waitForRequest(Vertx vertx, HttpConnection conn) {
    long t = vertx.setTimer(idleTimeoutMs, id -> {
      idleTimers.remove(conn);
      timedOut.incrementAndGet();
      conn.close();
    });
    Long old = idleTimers.put(conn, t);
    if (old != null) vertx.cancelTimer(old);
  }

  private void cancel(Vertx vertx, HttpConnection conn) {
    Long t = idleTimers.remove(conn);
    if (t != null) vertx.cancelTimer(t);
  }
}
