package dev.switchboard.governance.counters;

import dev.switchboard.governance.testkit.RedisServer;
import io.vertx.core.Vertx;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;

/** The counter suite on one {@link RedisCounters}, with leases (the default), against a real redis-server. */
class RedisCountersTest extends CountersContract {

  @Override
  boolean exactAtTheLimit() {
    return false;
  }

  private static RedisServer server;
  private static Vertx vertx;
  private static RedisCounters counters;

  @BeforeAll
  static void start() throws Exception {
    server = RedisServer.start();
    vertx = Vertx.vertx();
    counters = new RedisCounters(vertx, server.url());
  }

  @org.junit.jupiter.api.BeforeEach
  void pick() {
    a = counters;
    b = counters;
  }

  @AfterAll
  static void stop() {
    if (counters != null) {
      join(counters.close());
    }
    if (vertx != null) {
      join(vertx.close());
    }
    if (server != null) {
      server.close();
    }
  }
}
