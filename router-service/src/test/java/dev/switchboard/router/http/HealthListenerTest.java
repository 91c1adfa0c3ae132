package dev.switchboard.router.http;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.switchboard.router.testkit.FaultyOpenAiUpstream;
import dev.switchboard.router.testkit.GatewayHarness;
import io.vertx.core.Vertx;
import java.io.InputStream;
import java.net.Socket;
import java.net.SocketException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Issue #15: with the connection cap filled by idle sockets the main port refuses every new
 * connection, and a health check there would fail; the health port still answers.
 */
class HealthListenerTest {
  private static final int CAP = 20;
  private static Vertx vertx;
  private static FaultyOpenAiUpstream upstream;
  private static GatewayHarness gw;
  private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

  @BeforeAll
  static void start() throws Exception {
    vertx = Vertx.vertx();
    upstream = new FaultyOpenAiUpstream(vertx);
    gw = GatewayHarness.start("""
        server: { max_connections: %2$d, max_connections_per_address: 0, health_port: 0 }
        deployments:
          - { name: good, provider: openai, base_url: %1$s, model: ok }
        """.formatted(upstream.baseUrl(), CAP));
  }

  @AfterAll
  static void stop() throws Exception {
    gw.close();
    upstream.close();
    vertx.close();
  }

  private static HttpResponse<String> health(String path) throws Exception {
    return HTTP.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + gw.gateway.healthPort() + path))
        .timeout(Duration.ofSeconds(5)).GET().build(), HttpResponse.BodyHandlers.ofString());
  }

  @Test
  @Timeout(60)
  void healthChecksAnswerWhileIdleSocketsFillTheConnectionCap() throws Exception {
    assertTrue(gw.gateway.healthPort() > 0);
    int port = URI.create(gw.baseUrl()).getPort();
    List<Socket> idle = new ArrayList<>();
    try {
      for (int i = 0; i < CAP; i++) idle.add(new Socket("127.0.0.1", port));
      Awaitility.await().atMost(Duration.ofSeconds(10)).until(() -> gw.connectionGuard().open() >= CAP);
      int refused = gw.connectionGuard().refused();
      try (Socket extra = new Socket("127.0.0.1", port)) {
        extra.setSoTimeout(10_000);
        extra.getOutputStream().write("GET /healthz HTTP/1.1\r\nHost: x\r\n\r\n".getBytes());
        assertEquals(-1, readOrReset(extra.getInputStream()), "the main port is full: closed without an answer");
      }
      assertEquals(refused + 1, gw.connectionGuard().refused());

      HttpResponse<String> healthz = health("/healthz");
      assertEquals(200, healthz.statusCode(), healthz.body());
      HttpResponse<String> readyz = health("/readyz");
      assertEquals(200, readyz.statusCode(), readyz.body());
      assertTrue(readyz.body().contains("\"status\""), readyz.body());
      HttpResponse<String> other = health("/v1/models");
      assertEquals(404, other.statusCode(), "only health checks on the health port");
      assertTrue(other.body().contains("\"code\":\"unknown_url\""), other.body());
    } finally {
      for (Socket s : idle) s.close();
    }
  }

  private static int readOrReset(InputStream in) throws Exception {
    try {
      return in.read();
    } catch (SocketException reset) {
      return -1;
    }
  }
}
