package dev.switchboard.router.http;

import static dev.switchboard.router.testkit.RawSocket.send;
import static dev.switchboard.router.testkit.RawSocket.untilClosed;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.switchboard.router.testkit.FaultyOpenAiUpstream;
import dev.switchboard.router.testkit.GatewayHarness;
import dev.switchboard.router.testkit.RawSocket;
import io.vertx.core.Vertx;
import java.io.IOException;
import java.net.Socket;
import java.net.http.HttpResponse;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Slow and idle clients are closed, connections are bounded per address, and none of it touches a
 * request whose answer takes long (the timers run only while the gateway waits for the client).
 */
class ConnectionGuardTest {
  private static Vertx vertx;
  private static FaultyOpenAiUpstream upstream;
  private static GatewayHarness gw;

  @BeforeAll
  static void start() throws Exception {
    vertx = Vertx.vertx();
    upstream = new FaultyOpenAiUpstream(vertx);
    gw = GatewayHarness.start("""
        server: { idle_timeout_ms: 400, request_read_timeout_ms: 400, max_connections_per_address: 20 }
        deployments:
          - { name: good, provider: openai, base_url: %1$s, model: ok }
          - { name: slow, provider: openai, base_url: %1$s, model: slow, timeout_ms: 10000 }
        """.formatted(upstream.baseUrl()));
  }

  @AfterAll
  static void stop() throws Exception {
    gw.close();
    upstream.close();
    vertx.close();
  }

  private static Socket connect() throws IOException {
    return RawSocket.connect(gw.baseUrl());
  }



  @Test
  void anIdleConnectionAndHeadersThatNeverEndAreClosed() throws Exception {
    int before = gwGuard().timedOut();
    try (Socket idle = connect(); Socket drip = connect()) {
      send(drip, "POST /v1/chat/completions HTTP/1.1\r\nHost: x\r\n"); // and never the blank line
      assertEquals("", untilClosed(idle));
      assertEquals("", untilClosed(drip));
    }
    assertTrue(gwGuard().timedOut() >= before + 2);
  }

  @Test
  void aBodyThatNeverCompletesIsClosed() throws Exception {
    try (Socket s = connect()) {
      send(s, "POST /v1/chat/completions HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nContent-Length: 100000\r\n\r\n{\"model\":");
      assertEquals("", untilClosed(s), "no answer, just closed");
    }
  }

  @Test
  void keepAliveConnectionsServeRequestsAndAnAnswerSlowerThanTheTimeoutsIsNotCut() throws Exception {
    String body = "{\"model\":\"slow\",\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]}";
    // the slow deployment answers after 3 s: far longer than both 400 ms timeouts
    HttpResponse<String> r = gw.post("/v1/chat/completions", body);
    assertEquals(200, r.statusCode(), r.body());
    try (Socket s = connect()) {
      String req = "POST /v1/chat/completions HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nContent-Length: "
          + GatewayHarness.chat("good", false).length() + "\r\n\r\n" + GatewayHarness.chat("good", false);
      send(s, req);
      send(s, req); // a second request on the same connection
      String got = untilClosed(s); // then the connection idles and is closed
      assertEquals(2, got.split("HTTP/1.1 200", -1).length - 1, got);
    }
  }

  @Test
  void connectionsBeyondThePerAddressLimitAreClosedAtOnce() throws Exception {
    List<Socket> held = new ArrayList<>();
    int refused = gwGuard().refused();
    try {
      // requests keep these busy (the slow deployment) so they are not idle-closed meanwhile
      String slow = "{\"model\":\"slow\",\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]}";
      for (int i = 0; i < 20; i++) {
        Socket s = connect();
        send(s, "POST /v1/chat/completions HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nContent-Length: " + slow.length()
            + "\r\n\r\n" + slow);
        held.add(s);
      }
      org.awaitility.Awaitility.await().atMost(java.time.Duration.ofSeconds(5)).until(() -> gwGuard().open() >= 20);
      try (Socket extra = connect()) {
        assertEquals("", untilClosed(extra), "the 21st connection from this address");
      }
      assertEquals(refused + 1, gwGuard().refused());
      for (Socket s : held) assertTrue(untilClosed(s).startsWith("HTTP/1.1 200"), "the others are answered");
    } finally {
      for (Socket s : held) s.close();
    }
  }

  /**
   * Each test starts with no connection open: sockets an earlier test closed are counted until the
   * gateway sees them go, and 20 of them (the per-address test) would get this test's connections
   * refused at once instead of timed out.
   */
  @BeforeEach
  void noConnectionLeftOpen() {
    org.awaitility.Awaitility.await().atMost(java.time.Duration.ofSeconds(10)).until(() -> gwGuard().open() == 0);
  }

  private static ConnectionGuard gwGuard() {
    return gw.connectionGuard();
  }
}
