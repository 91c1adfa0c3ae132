package dev.switchboard.cli.serve;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.switchboard.router.testkit.MockOpenAiServer;
import io.vertx.core.Vertx;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue #17: {@code switchboard serve} as its own process, stopped with SIGTERM while a slow answer and a slow stream
 * are in flight. Both clients get their complete answers, /readyz turns 503 at once while the listener still takes
 * connections (drain_grace_ms), the listener then closes, and the process exits 0.
 */
class GracefulStopTest {
  private static final HttpClient HTTP = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
      .connectTimeout(Duration.ofSeconds(5)).build();
  private Vertx vertx;
  private MockOpenAiServer slow;
  private MockOpenAiServer streaming;
  private Process process;
  private ServeProcess serve;

  @BeforeEach
  void upstreams() throws Exception {
    vertx = Vertx.vertx();
    slow = new MockOpenAiServer(vertx).replyText("the slow answer").delayMs(2_500);
    streaming = new MockOpenAiServer(vertx).replyText("one two three four five six seven eight").chunkDelayMs(250);
    slow.start().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
    streaming.start().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
  }

  @AfterEach
  void stop() throws Exception {
    if (process != null && process.isAlive()) process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
    vertx.close().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
  }

  @Test
  void sigterm_finishesRequestsAndStreamsInFlight_failsReadinessFirst_exitsZero(@TempDir Path dir) throws Exception {
    Path config = dir.resolve("switchboard.yaml");
    Files.writeString(config, """
        server: { drain_grace_ms: 1500, drain_timeout_ms: 20000 }
        deployments:
          - { name: slow, provider: openai, base_url: "%s", model: m, max_retries: 0 }
          - { name: streaming, provider: openai, base_url: "%s", model: m, max_retries: 0 }
        routes: []
        """.formatted(slow.baseUrl(), streaming.baseUrl()));
    String base = start(config, dir.resolve("data"));
    assertEquals(200, get(base + "/readyz").statusCode());

    CompletableFuture<HttpResponse<String>> answer = post(base, "{\"model\":\"slow\",\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]}");
    CompletableFuture<HttpResponse<String>> stream = post(base,
        "{\"model\":\"streaming\",\"stream\":true,\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]}");
    await().atMost(Duration.ofSeconds(10)).until(() -> !slow.requests().isEmpty() && !streaming.requests().isEmpty());

    process.destroy(); // SIGTERM

    // readiness fails at once, while the listener still answers (the grace period)
    await().atMost(Duration.ofSeconds(5)).until(() -> get(base + "/readyz").statusCode() == 503);
    HttpResponse<String> a = answer.get(30, TimeUnit.SECONDS);
    assertEquals(200, a.statusCode(), a.body());
    assertTrue(a.body().contains("the slow answer"), a.body());
    HttpResponse<String> s = stream.get(30, TimeUnit.SECONDS);
    assertEquals(200, s.statusCode(), s.body());
    assertEquals("one two three four five six seven eight", streamedText(s.body()), s.body());
    assertTrue(s.body().trim().endsWith("data: [DONE]"), s.body());

    assertTrue(process.waitFor(30, TimeUnit.SECONDS), "the process exits once drained");
    assertEquals(0, process.exitValue(), "a graceful stop exits 0; output:\n" + serve.output());
    assertTrue(refused(base), "the listener is closed");
  }

  /**
   * {@code POST /admin/shutdown} is the same stop as SIGTERM: only with the admin credential, answered 202, a request in
   * flight still completes, and the process exits 0.
   */
  @Test
  void adminShutdown_needsTheAdminKey_drainsLikeSigterm_exitsZero(@TempDir Path dir) throws Exception {
    Path config = dir.resolve("switchboard.yaml");
    Files.writeString(config, """
        server: { drain_grace_ms: 500, drain_timeout_ms: 20000 }
        deployments:
          - { name: slow, provider: openai, base_url: "%s", model: m, max_retries: 0 }
        routes: []
        """.formatted(slow.baseUrl()));
    String base = start(config, dir.resolve("data"), "admin-key-for-the-stop-test");
    assertEquals(401, shutdown(base, "wrong-key").statusCode(), "a wrong credential does not stop the gateway");
    assertEquals(200, get(base + "/readyz").statusCode());

    CompletableFuture<HttpResponse<String>> answer = post(base, "{\"model\":\"slow\",\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]}");
    await().atMost(Duration.ofSeconds(10)).until(() -> !slow.requests().isEmpty());
    HttpResponse<String> stop = shutdown(base, "admin-key-for-the-stop-test");
    assertEquals(202, stop.statusCode(), stop.body());

    HttpResponse<String> a = answer.get(30, TimeUnit.SECONDS);
    assertEquals(200, a.statusCode(), a.body());
    assertTrue(a.body().contains("the slow answer"), a.body());
    assertTrue(process.waitFor(30, TimeUnit.SECONDS), "the process exits once drained");
    assertEquals(0, process.exitValue(), "output:\n" + serve.output());
    assertTrue(serve.output().contains("POST /admin/shutdown by bootstrap-admin"), serve.output());
  }

  private static HttpResponse<String> shutdown(String base, String key) throws Exception {
    return HTTP.send(HttpRequest.newBuilder(URI.create(base + "/admin/shutdown")).timeout(Duration.ofSeconds(10))
        .header("authorization", "Bearer " + key).POST(HttpRequest.BodyPublishers.noBody()).build(), HttpResponse.BodyHandlers.ofString());
  }

  private String start(Path config, Path dataDir) throws Exception {
    return start(config, dataDir, null);
  }

  /** Starts {@code switchboard serve} (with that admin key, if any); returns its base URL. */
  private String start(Path config, Path dataDir, String adminKey) throws Exception {
    // the admin API checks keys against the store, which needs the pepper
    ServeProcess p = ServeProcess.start(config, dataDir, adminKey == null ? Map.of()
        : Map.of("SWITCHBOARD_ADMIN_KEY", adminKey, "SWITCHBOARD_KEY_PEPPER", "graceful-stop-pepper-0123456789"));
    serve = p;
    process = p.process;
    return p.baseUrl;
  }

  private static CompletableFuture<HttpResponse<String>> post(String base, String body) {
    return HTTP.sendAsync(HttpRequest.newBuilder(URI.create(base + "/v1/chat/completions")).timeout(Duration.ofSeconds(60))
        .header("content-type", "application/json").POST(HttpRequest.BodyPublishers.ofString(body)).build(),
        HttpResponse.BodyHandlers.ofString());
  }

  private static HttpResponse<String> get(String url) throws Exception {
    return HTTP.send(HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(5)).GET().build(),
        HttpResponse.BodyHandlers.ofString());
  }

  private static boolean refused(String base) {
    try {
      get(base + "/healthz");
      return false;
    } catch (Exception e) {
      return true;
    }
  }

  private static String streamedText(String sse) {
    StringBuilder text = new StringBuilder();
    Matcher m = Pattern.compile("\"content\":\"((?:[^\"\\\\]|\\\\.)*)\"").matcher(sse);
    while (m.find()) text.append(m.group(1));
    return text.toString();
  }
}
