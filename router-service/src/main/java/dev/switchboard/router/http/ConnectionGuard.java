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
  /** The minimum body rate is checked over windows of this length. */
  private static final long RATE_WINDOW_NANOS = 2_000_000_000L;

  /** What a connection is doing and since when; written by its event loop, read by the sweep. */
  private static final class State {
    final HttpConnection conn;
    volatile int phase = IDLE;
    volatile long since = System.nanoTime();
    volatile HttpServerRequest reading;
    /** Body bytes reserved in the budget by the request in progress; its event loop only. */
    long reserved;
    /** Start of the current rate window and the body bytes read at its start. */
    volatile long windowStart;
    volatile long windowBytes;

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
  private final BodyBudget budget;
  private final long minBodyBytesPerSecond;
  private final ConcurrentHashMap<HttpConnection, State> states = new ConcurrentHashMap<>();
  private final ConcurrentHashMap<String, AtomicInteger> perAddress = new ConcurrentHashMap<>();
  private final AtomicInteger refused = new AtomicInteger();
  private final AtomicInteger timedOut = new AtomicInteger();

  /**
   * A guard without a body budget or minimum rate (the health listener: its requests have no body).
   *
   * @param maxPerAddress 0: no limit per address (behind a proxy every connection has its address)
   */
  public ConnectionGuard(Vertx vertx, long idleTimeoutMs, long requestReadTimeoutMs, int maxConnections, int maxPerAddress) {
    this(vertx, idleTimeoutMs, requestReadTimeoutMs, maxConnections, maxPerAddress, Long.MAX_VALUE, Long.MAX_VALUE, 0);
  }

  /**
   * @param maxPerAddress 0: no limit per address (behind a proxy every connection has its address)
   * @param maxInflightBodyBytes request-body bytes held at once across all connections ({@link BodyBudget})
   * @param maxBodyBytes the body limit (what a chunked body reserves)
   * @param minBodyBytesPerSecond a body arriving slower than this over a 2 s window is cut off (0: no minimum)
   */
  public ConnectionGuard(Vertx vertx, long idleTimeoutMs, long requestReadTimeoutMs, int maxConnections, int maxPerAddress,
      long maxInflightBodyBytes, long maxBodyBytes, long minBodyBytesPerSecond) {
    this.vertx = vertx;
    this.budget = new BodyBudget(maxInflightBodyBytes, maxBodyBytes);
    this.minBodyBytesPerSecond = minBodyBytesPerSecond;
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

  /** Request-body bytes reserved now. */
  public long bodyBytesInFlight() {
    return budget.inUse();
  }

  /** Requests refused because the body budget was full. */
  public long bodiesRefused() {
    return budget.refused();
  }

  /** A new connection: counted, refused over a limit, else waiting for its first request. */
  void accepted(HttpConnection conn) {
    String address = conn.remoteAddress() == null ? "?" : conn.remoteAddress().hostAddress();
    AtomicInteger mine = perAddress.computeIfAbsent(address, a -> new AtomicInteger());
    int fromHere = mine.incrementAndGet();
    State state = new State(conn);
    states.put(conn, state);
    conn.closeHandler(v -> {
      states.remove(conn);
      release(state);
      if (mine.decrementAndGet() == 0) perAddress.remove(address, mine);
    });
    if (states.size() > maxConnections || (maxPerAddress > 0 && fromHere > maxPerAddress)) {
      // No request is read yet, so there is nothing to answer: the close is the refusal.
      refused.incrementAndGet();
      conn.close();
    }
  }

  /**
   * A request began: its body must fit the budget, and it must arrive whole within the read timeout
   * and no slower than the minimum rate; once answered, the connection idles again.
   *
   * @return false if it was refused (answered 503 here: do not route it)
   */
  boolean requestStarted(HttpServerRequest req) {
    State s = states.get(req.connection());
    if (s == null) return true;
    long reserved = budget.reserve(req);
    if (reserved < 0) {
      s.phase = ANSWERING;
      BodyBudget.refuse(req);
      return false;
    }
    s.reserved = reserved;
    long now = System.nanoTime();
    s.since = now;
    if (req.isEnded()) {
      s.phase = ANSWERING;
    } else {
      s.windowStart = now;
      s.windowBytes = 0;
      s.reading = req;
      s.phase = READING;
    }
    req.response().endHandler(v -> {
      release(s);
      s.reading = null;
      s.since = System.nanoTime();
      s.phase = IDLE;
    });
    return true;
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
        } else if (waited > requestReadTimeoutNanos || tooSlow(s, r, now)) {
          close(s);
        }
      }
    }
  }

  /**
   * Whether the body arrived slower than the minimum rate over the last window: a body sent mostly
   * and then stalled holds its share of the budget, and the read timeout alone would let it for 30 s.
   */
  private boolean tooSlow(State s, HttpServerRequest r, long now) {
    long elapsed = now - s.windowStart;
    if (minBodyBytesPerSecond <= 0 || elapsed < RATE_WINDOW_NANOS) return false;
    long read = r.bytesRead();
    if ((read - s.windowBytes) * 1_000_000_000L < minBodyBytesPerSecond * elapsed) return true;
    s.windowStart = now;
    s.windowBytes = read;
    return false;
  }

  /** Gives the request's body reservation back (on the connection's event loop: answer ended or connection closed). */
  private void release(State s) {
    long r = s.reserved;
    s.reserved = 0;
    budget.release(r);
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
