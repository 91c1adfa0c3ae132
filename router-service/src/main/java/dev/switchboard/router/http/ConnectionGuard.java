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
 * <p>The deadlines run only while the gateway waits for the client: never while an answer is being
 * produced or streamed, however long the upstream takes. Why a sweep and not a timer per request:
 * two timers per request (set, cancel) cost ~10 % of a pass-through request's CPU at 16
 * connections (46 → 51 µs, bench/gateway.sh); the request path now only stamps its connection's
 * phase and time, and one periodic task closes what is overdue, at most a quarter of the timeout
 * late.
 */
public final class ConnectionGuard implements AutoCloseable {
  private static final int IDLE = 0, READING = 1, ANSWERING = 2;

  /** What a connection is doing and since when; written by its event loop, read by the sweep. */
  private static final class State {
    final HttpConnection conn;
    volatile int phase = IDLE;
    volatile long since = System.nanoTime();
    volatile HttpServerRequest reading;

    State(HttpConnection conn) {
      this.conn = conn;
    }
  }

  private final Vertx vertx;
  private final long idleTimeoutNanos;
  private final long requestReadTimeoutNanos;
  private final int maxConnections;
  private final int maxPerAddress;
  private final long sweep;
  private final ConcurrentHashMap<HttpConnection, State> states = new ConcurrentHashMap<>();
  private final ConcurrentHashMap<String, AtomicInteger> perAddress = new ConcurrentHashMap<>();
  private final AtomicInteger refused = new AtomicInteger();
  private final AtomicInteger timedOut = new AtomicInteger();

  /**
   * @param maxPerAddress 0: no limit per address (behind a proxy every connection has its address)
   */
  public ConnectionGuard(Vertx vertx, long idleTimeoutMs, long requestReadTimeoutMs, int maxConnections, int maxPerAddress) {
    this.vertx = vertx;
    this.idleTimeoutNanos = idleTimeoutMs * 1_000_000;
    this.requestReadTimeoutNanos = requestReadTimeoutMs * 1_000_000;
    this.maxConnections = maxConnections;
    this.maxPerAddress = maxPerAddress;
    long period = Math.max(25, Math.min(1000, Math.min(idleTimeoutMs, requestReadTimeoutMs) / 4));
    this.sweep = vertx.setPeriodic(period, id -> sweep());
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
    return states.size();
  }

  /** A new connection: counted, refused over a limit, else waiting for its first request. */
  void accepted(HttpConnection conn) {
    String address = conn.remoteAddress() == null ? "?" : conn.remoteAddress().hostAddress();
    AtomicInteger mine = perAddress.computeIfAbsent(address, a -> new AtomicInteger());
    int fromHere = mine.incrementAndGet();
    states.put(conn, new State(conn));
    conn.closeHandler(v -> {
      states.remove(conn);
      if (mine.decrementAndGet() == 0) perAddress.remove(address, mine);
    });
    if (states.size() > maxConnections || (maxPerAddress > 0 && fromHere > maxPerAddress)) {
      // No request is read yet, so there is nothing to answer: the close is the refusal.
      refused.incrementAndGet();
      conn.close();
    }
  }

  /** A request began: it must arrive whole within the read timeout; once answered, the connection idles again. */
  void requestStarted(HttpServerRequest req) {
    State s = states.get(req.connection());
    if (s == null) return;
    s.since = System.nanoTime();
    if (req.isEnded()) {
      s.phase = ANSWERING;
    } else {
      s.reading = req;
      s.phase = READING;
    }
    req.response().endHandler(v -> {
      s.reading = null;
      s.since = System.nanoTime();
      s.phase = IDLE;
    });
  }

  private void sweep() {
    long now = System.nanoTime();
    for (State s : states.values()) {
      int phase = s.phase;
      long waited = now - s.since;
      if (phase == IDLE && waited > idleTimeoutNanos) {
        close(s);
      } else if (phase == READING) {
        HttpServerRequest r = s.reading;
        if (r == null || r.isEnded()) {
          s.phase = ANSWERING; // arrived whole: from now on the gateway, not the client, is working
        } else if (waited > requestReadTimeoutNanos) {
          close(s);
        }
      }
    }
  }

  private void close(State s) {
    if (states.remove(s.conn) != null) {
      timedOut.incrementAndGet();
      s.conn.close();
    }
  }

  @Override
  public void close() {
    vertx.cancelTimer(sweep);
  }
}
