package dev.switchboard.governance.counters;

import dev.switchboard.governance.testkit.RedisServer;
import io.vertx.core.Vertx;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;

/**
 * The counter suite on two independent {@link RedisCounters} (each with its own Vert.x and connections, as
 * two gateway processes would have) sharing one redis-server, without leases: every limit holds across them exactly
 * to the unit, as in one process. With leases (the default) limits still hold but a gateway may refuse early while
 * the other holds a lease: {@link TwoProcessLeasedCountersTest}.
 */
class TwoProcessRedisCountersTest extends CountersContract {

  private static RedisServer server;
  private static Vertx vertxA;
  private static Vertx vertxB;
  private static RedisCounters first;
  private static RedisCounters second;

  @BeforeAll
  static void start() throws Exception {
    server = RedisServer.start();
    vertxA = Vertx.vertx();
    vertxB = Vertx.vertx();
    first = new RedisCounters(vertxA, server.url(), 0);
    second = new RedisCounters(vertxB, server.url(), 0);
  }

  @BeforeEach
  void pick() {
    a = first;
    b = second;
  }

  @AfterAll
  static void stop() {
    for (RedisCounters c : new RedisCounters[] {first, second}) {
      if (c != null) {
        join(c.close());
      }
    }
    for (Vertx v : new Vertx[] {vertxA, vertxB}) {
      if (v != null) {
        join(v.close());
      }
    }
    if (server != null) {
      server.close();
    }
  }
}
