package dev.switchboard.router.http;

import static dev.switchboard.router.testkit.RawSocket.send;
import static dev.switchboard.router.testkit.RawSocket.untilClosed;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.switchboard.router.testkit.FaultyOpenAiUpstream;
import dev.switchboard.router.testkit.GatewayHarness;
import io.vertx.core.Vertx;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Issue #15, defect 2: half-sent uploads must not hold unbounded heap. Connections each declare a
 * 2 MB body, send most of it and stall. The body budget (16 MiB, of which large bodies may use 14)
 * admits seven and refuses the rest at once with 503 {@code too_many_request_bodies}; ordinary
 * requests are still answered while the seven hold theirs; the minimum body rate then cuts the
 * stalled seven (long before the 60 s read timeout) and the budget is free again.
 */
class BodyBudgetTest {
  private static final int DECLARED = 2_000_001;
  private static final int SENT = 1_990_000;
  private static final int ATTACKERS = 12;
  private static final int FIT = 7; // 7 x 2,000,001 <= 14 MiB < 8 x 2,000,001

  private static Vertx vertx;
  private static FaultyOpenAiUpstream upstream;
  private static GatewayHarness gw;

  @BeforeAll
  static void start() throws Exception {
    vertx = Vertx.vertx();
    upstream = new FaultyOpenAiUpstream(vertx);
    gw = GatewayHarness.start("""
        server: { request_read_timeout_ms: 60000, max_inflight_body_bytes: 16777216, min_body_bytes_per_second: 4096 }
        deployments:
          - { name: good, provider: openai, base_url: %1$s, model: ok }
        """.formatted(upstream.baseUrl()));
  }

  @AfterAll
  static void stop() throws Exception {
    gw.close();
    upstream.close();
    vertx.close();
  }

  @Test
  @Timeout(60)
  void stalledUploadsBeyondTheBudgetAreRefusedNormalRequestsStillSucceedAndTheSlowOnesAreCut() throws Exception {
    ConnectionGuard guard = gw.connectionGuard();
    int port = URI.create(gw.baseUrl()).getPort();
    List<Socket> admitted = new ArrayList<>();
    List<String> refusals = new ArrayList<>();
    try {
      for (int i = 0; i < ATTACKERS; i++) {
        Socket s = new Socket("127.0.0.1", port);
        s.setSoTimeout(10_000);
        long inFlight = guard.bodyBytesInFlight();
        long refused = guard.bodiesRefused();
        send(s, "POST /v1/chat/completions HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nContent-Length: " + DECLARED
            + "\r\n\r\n");
        // The guard decides on the headers alone, before any of the body is read.
        Awaitility.await().atMost(Duration.ofSeconds(5))
            .until(() -> guard.bodyBytesInFlight() > inFlight || guard.bodiesRefused() > refused);
        if (guard.bodiesRefused() > refused) {
          refusals.add(untilClosed(s));
          s.close();
        } else {
          byte[] part = new byte[SENT];
          java.util.Arrays.fill(part, (byte) ' ');
          s.getOutputStream().write(part);
          s.getOutputStream().flush();
          admitted.add(s);
        }
      }
      assertEquals(FIT, admitted.size(), "uploads admitted");
      assertEquals((long) FIT * DECLARED, guard.bodyBytesInFlight());
      assertEquals(ATTACKERS - FIT, refusals.size());
      for (String r : refusals) {
        assertTrue(r.startsWith("HTTP/1.1 503"), r);
        assertTrue(r.toLowerCase().contains("retry-after: 1"), r);
        assertTrue(r.contains("\"code\":\"too_many_request_bodies\"") && r.contains("\"type\":\"server_error\""), r);
      }

      // While the seven hold their share, ordinary requests get in (the budget's last eighth).
      for (int i = 0; i < 5; i++) {
        HttpResponse<String> ok = gw.post("/v1/chat/completions", GatewayHarness.chat("good", false));
        assertEquals(200, ok.statusCode(), ok.body());
      }

      // Stalled: under 4 KB/s over a 2 s window, so they are closed well before the 60 s read timeout.
      Awaitility.await().atMost(Duration.ofSeconds(15)).until(() -> guard.bodyBytesInFlight() == 0);
      for (Socket s : admitted) assertEquals("", untilClosed(s), "cut without an answer");
      HttpResponse<String> after = gw.post("/v1/chat/completions", GatewayHarness.chat("good", false));
      assertEquals(200, after.statusCode(), after.body());
    } finally {
      for (Socket s : admitted) s.close();
    }
  }

  /** A body sent at a steady pace above the minimum rate is not cut (the rate is not a deadline). */
  @Test
  @Timeout(60)
  void aBodyArrivingSteadilyIsServed() throws Exception {
    String padded = "{\"model\":\"good\",\"messages\":[{\"role\":\"user\",\"content\":\"" + "x".repeat(24_000) + "\"}]}";
    byte[] bytes = padded.getBytes(StandardCharsets.UTF_8);
    try (Socket s = new Socket("127.0.0.1", URI.create(gw.baseUrl()).getPort())) {
      s.setSoTimeout(10_000);
      send(s, "POST /v1/chat/completions HTTP/1.1\r\nHost: x\r\nConnection: close\r\nContent-Type: application/json\r\nContent-Length: "
          + bytes.length + "\r\n\r\n");
      // 8 KB every 400 ms (20 KB/s): about 1.2 s in all, across at least one rate window check.
      long next = System.nanoTime();
      for (int off = 0; off < bytes.length; off += 8192) {
        long due = next;
        Awaitility.await().pollInterval(Duration.ofMillis(20)).atMost(Duration.ofSeconds(2)).until(() -> System.nanoTime() >= due);
        s.getOutputStream().write(bytes, off, Math.min(8192, bytes.length - off));
        s.getOutputStream().flush();
        next += 400_000_000L;
      }
      String got = untilClosed(s);
      assertTrue(got.startsWith("HTTP/1.1 200"), got);
    }
  }


}
