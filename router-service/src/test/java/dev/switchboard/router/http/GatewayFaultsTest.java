package dev.switchboard.router.http;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.switchboard.router.testkit.FaultyOpenAiUpstream;
import dev.switchboard.router.testkit.GatewayHarness;
import io.vertx.core.Vertx;
import java.net.http.HttpResponse;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;

/**
 * The gateway against a fault-injecting OpenAI-wire upstream: every failure mode ends in the
 * client-visible result the README promises, and the attempts header says what happened.
 */
class GatewayFaultsTest {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final String SECRET = "sk-test-SECRET-4242424242";
  /** A key of no recognisable shape (Azure's are 32 hex characters): only its value can find it. */
  private static final String HEX_KEY = "0123456789abcdef0123456789abcdef";
  private static Vertx upstreamVertx;
  private static FaultyOpenAiUpstream upstream;
  private static GatewayHarness gw;
  private static ListAppender<ILoggingEvent> logs;

  @BeforeAll
  static void start() throws Exception {
    logs = new ListAppender<>();
    logs.start();
    ((Logger) LoggerFactory.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME)).addAppender(logs);
    upstreamVertx = Vertx.vertx();
    upstream = new FaultyOpenAiUpstream(upstreamVertx);
    String u = upstream.baseUrl();
    String yaml = """
        server: { request_deadline_ms: 10000 }
        resilience: { backoff_base_ms: 10, backoff_max_ms: 50, breaker_failure_threshold: 3, breaker_open_ms: 600000 }
        deployments:
          - { name: good, provider: openai, base_url: %1$s, model: ok, api_key_env: TEST_KEY }
          - { name: err500, provider: openai, base_url: %1$s, model: fail-500, max_retries: 1 }
          - { name: dead500, provider: openai, base_url: %1$s, model: fail-500, max_retries: 1 }
          - { name: err503, provider: openai, base_url: %1$s, model: fail-503, max_retries: 0 }
          - { name: err400, provider: openai, base_url: %1$s, model: fail-400, max_retries: 2 }
          - { name: auth, provider: openai, base_url: %1$s, model: fail-401, max_retries: 2 }
          - { name: leaky401, provider: openai, base_url: %1$s, model: fail-401-echo, api_key_env: TEST_KEY, max_retries: 0 }
          - { name: leaky400, provider: openai, base_url: %1$s, model: fail-400-echo, api_key_env: TEST_KEY, max_retries: 0 }
          - { name: leakyhex, provider: openai, base_url: %1$s, model: fail-400-echo, api_key_env: HEX_KEY, max_retries: 0 }
          - { name: limited, provider: openai, base_url: %1$s, model: rate-limited, max_retries: 1 }
          - { name: flaky, provider: openai, base_url: %1$s, model: flaky, max_retries: 2 }
          - { name: slow, provider: openai, base_url: %1$s, model: slow, timeout_ms: 300, max_retries: 0 }
          - { name: reset, provider: openai, base_url: %1$s, model: reset, max_retries: 0 }
          - { name: cut, provider: openai, base_url: %1$s, model: cut, max_retries: 0 }
          - { name: garbage, provider: openai, base_url: %1$s, model: garbage, max_retries: 0 }
          - { name: verbatim, provider: openai, base_url: %1$s, model: verbatim, max_retries: 0 }
          - { name: breaky, provider: openai, base_url: %1$s, model: fail-500, max_retries: 0 }
          - { name: down, provider: openai, base_url: "http://127.0.0.1:1/v1", model: ok, max_retries: 0 }
        routes:
          - { alias: r-500, deployments: [err500, good] }
          - { alias: r-limited, deployments: [limited, good] }
          - { alias: r-slow, deployments: [slow, good] }
          - { alias: r-reset, deployments: [reset, good] }
          - { alias: r-garbage, deployments: [garbage, good] }
          - { alias: r-auth, deployments: [auth, good] }
          - { alias: r-down, deployments: [down, good] }
          - { alias: r-dead, deployments: [dead500, err503] }
          - { alias: r-400, deployments: [err400, good] }
          - { alias: r-breaker, deployments: [breaky, good] }
          - { alias: r-leak, deployments: [leaky401, leaky400] }
        """.formatted(u);
    gw = GatewayHarness.start(yaml, null, o -> o.withEnv(name -> name.equals("TEST_KEY") ? SECRET : name.equals("HEX_KEY") ? HEX_KEY : null));
  }

  @AfterAll
  static void stop() throws Exception {
    gw.close();
    upstream.close();
    upstreamVertx.close();
  }

  private static JsonNode json(HttpResponse<String> r) throws Exception {
    return JSON.readTree(r.body());
  }

  private static String header(HttpResponse<String> r, String name) {
    return r.headers().firstValue(name).orElse(null);
  }

  /** An OpenAI-compatible answer goes to the client as the upstream wrote it, not re-serialised (and its usage still counts). */
  @Test
  void anOpenAiCompletionPassesThroughByteForByte() throws Exception {
    HttpResponse<String> r = gw.post("/v1/chat/completions", GatewayHarness.chat("verbatim", false));
    assertEquals(200, r.statusCode(), r.body());
    assertEquals(FaultyOpenAiUpstream.VERBATIM, r.body());
    assertEquals("verbatim", header(r, "x-switchboard-deployment"));
    assertTrue(Double.parseDouble(header(r, "x-switchboard-cost-usd")) >= 0);
  }

  @Test
  void serverErrorsAreRetriedThenTheNextDeploymentAnswers() throws Exception {
    int before = upstream.calls("fail-500");
    HttpResponse<String> r = gw.post("/v1/chat/completions", GatewayHarness.chat("r-500", false));
    assertEquals(200, r.statusCode(), r.body());
    assertEquals("good", header(r, "x-switchboard-deployment"));
    assertEquals("3", header(r, "x-switchboard-attempts"), "two attempts on err500 (1 retry), one on good");
    assertEquals(2, upstream.calls("fail-500") - before);
    assertEquals("echo: hello there", json(r).at("/choices/0/message/content").asText());
    assertTrue(Double.parseDouble(header(r, "x-switchboard-overhead-ms")) >= 0);
    assertTrue(header(r, "x-request-id").startsWith("req_"));
  }

  @Test
  void rateLimitIsRetriedWithRetryAfterCappedThenFallsBack() throws Exception {
    HttpResponse<String> r = gw.post("/v1/chat/completions", GatewayHarness.chat("r-limited", false));
    assertEquals(200, r.statusCode(), r.body());
    assertEquals("good", header(r, "x-switchboard-deployment"));
    assertEquals("3", header(r, "x-switchboard-attempts"));
  }

  @Test
  void aFlakyDeploymentRecoversOnRetry() throws Exception {
    HttpResponse<String> r = gw.post("/v1/chat/completions", GatewayHarness.chat("flaky", false));
    assertEquals(200, r.statusCode(), r.body());
    assertEquals("flaky", header(r, "x-switchboard-deployment"));
    assertEquals("2", header(r, "x-switchboard-attempts"));
  }

  @Test
  void aSlowDeploymentTimesOutAndTheNextAnswers() throws Exception {
    HttpResponse<String> r = gw.post("/v1/chat/completions", GatewayHarness.chat("r-slow", false));
    assertEquals(200, r.statusCode(), r.body());
    assertEquals("good", header(r, "x-switchboard-deployment"));
    assertEquals("2", header(r, "x-switchboard-attempts"));
  }

  @Test
  void connectionResetAndRefusedAndGarbageFallBack() throws Exception {
    for (String route : List.of("r-reset", "r-down", "r-garbage", "r-auth")) {
      HttpResponse<String> r = gw.post("/v1/chat/completions", GatewayHarness.chat(route, false));
      assertEquals(200, r.statusCode(), route + ": " + r.body());
      assertEquals("good", header(r, "x-switchboard-deployment"), route);
    }
  }

  /**
   * Providers quote the credential they reject; that text must reach neither the client nor a log:
   * the key is masked wherever the upstream's message is repeated (upstream_rejected, and the
   * "Last error" of all_upstreams_failed).
   */
  @Test
  void aKeyQuotedByTheUpstreamIsMaskedInEveryErrorAndLog() throws Exception {
    int logged = logs.list.size();
    HttpResponse<String> rejected = gw.post("/v1/chat/completions", GatewayHarness.chat("leaky400", false));
    assertEquals(400, rejected.statusCode(), rejected.body());
    assertEquals("upstream_rejected", json(rejected).at("/error/code").asText());
    assertEquals("Deployment 'leaky400' rejected the request: Invalid request for key [SECRET]: temperature.",
        json(rejected).at("/error/message").asText());

    HttpResponse<String> failed = gw.post("/v1/chat/completions", GatewayHarness.chat("leaky401", false));
    assertEquals(502, failed.statusCode(), failed.body());
    assertEquals("all_upstreams_failed", json(failed).at("/error/code").asText());
    assertTrue(json(failed).at("/error/message").asText().endsWith("Last error: Incorrect API key provided: Bearer [SECRET]"),
        failed.body());
    assertEquals("Bearer " + SECRET, upstream.received().get(upstream.received().size() - 1).authorization(),
        "the upstream did get the key (so its message quoted it)");

    HttpResponse<String> route = gw.post("/v1/chat/completions", GatewayHarness.chat("r-leak", false));
    HttpResponse<String> stream = gw.post("/v1/chat/completions", GatewayHarness.chat("leaky400", true));
    assertEquals(400, stream.statusCode(), stream.body());
    HttpResponse<String> hex = gw.post("/v1/chat/completions", GatewayHarness.chat("leakyhex", false));
    assertEquals("Deployment 'leakyhex' rejected the request: Invalid request for key [SECRET]: temperature.",
        json(hex).at("/error/message").asText(), "masked by its value: it has no key's shape");
    for (HttpResponse<String> r : List.of(rejected, failed, route, stream, hex)) {
      assertFalse(r.body().contains(SECRET) || r.body().contains("4242424242") || r.body().contains(HEX_KEY), r.body());
      r.headers().map().forEach((k, v) -> assertFalse(v.toString().contains(SECRET), k + ": " + v));
    }
    for (ILoggingEvent e : logs.list.subList(logged, logs.list.size())) {
      assertFalse(e.getFormattedMessage().contains(SECRET) || e.getFormattedMessage().contains(HEX_KEY), e.getFormattedMessage());
      if (e.getThrowableProxy() != null) assertFalse(e.getThrowableProxy().getMessage() != null
          && e.getThrowableProxy().getMessage().contains(SECRET), e.getThrowableProxy().getMessage());
    }
  }

  /** A client that leaves mid-body is routine under load: a debug line, not a stack trace at ERROR. */
  @Test
  void aClientLeavingMidBodyIsNotAnError() throws Exception {
    Logger verticle = (Logger) LoggerFactory.getLogger(GatewayVerticle.class);
    ch.qos.logback.classic.Level was = verticle.getLevel();
    verticle.setLevel(ch.qos.logback.classic.Level.DEBUG);
    int logged = logs.list.size();
    try (java.net.Socket s = new java.net.Socket("127.0.0.1", java.net.URI.create(gw.baseUrl()).getPort())) {
      s.getOutputStream().write(("POST /v1/chat/completions HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\n"
          + "Content-Length: 1000\r\n\r\n{\"model\":").getBytes(java.nio.charset.StandardCharsets.US_ASCII));
      s.getOutputStream().flush();
    }
    try {
      org.awaitility.Awaitility.await().atMost(java.time.Duration.ofSeconds(10)).until(() -> logs.list.subList(logged, logs.list.size())
          .stream().anyMatch(e -> e.getFormattedMessage().startsWith("client closed the connection")));
      assertTrue(logs.list.subList(logged, logs.list.size()).stream().noneMatch(e -> e.getLevel() == ch.qos.logback.classic.Level.ERROR),
          logs.list.subList(logged, logs.list.size()).toString());
    } finally {
      verticle.setLevel(was);
    }
  }

  @Test
  void everyUpstreamFailedIs502ListingTheAttempts() throws Exception {
    HttpResponse<String> r = gw.post("/v1/chat/completions", GatewayHarness.chat("r-dead", false));
    assertEquals(502, r.statusCode());
    JsonNode e = json(r).path("error");
    assertEquals("all_upstreams_failed", e.path("code").asText());
    assertEquals("upstream_error", e.path("type").asText());
    assertEquals(3, e.path("attempts").size(), r.body());
    assertEquals("dead500", e.at("/attempts/0/deployment").asText());
    assertEquals("server_error", e.at("/attempts/0/outcome").asText());
    assertEquals(500, e.at("/attempts/0/status").asInt());
    assertEquals("err503", e.at("/attempts/2/deployment").asText());
    assertTrue(e.path("message").asText().contains("err503"), e.path("message").asText());
    assertEquals("3", header(r, "x-switchboard-attempts"));
  }

  @Test
  void anUpstreamBadRequestGoesBackToTheClientWithoutRetry() throws Exception {
    int before = upstream.calls("fail-400");
    HttpResponse<String> r = gw.post("/v1/chat/completions", GatewayHarness.chat("r-400", false));
    assertEquals(400, r.statusCode());
    assertEquals("upstream_rejected", json(r).at("/error/code").asText());
    assertTrue(json(r).at("/error/message").asText().contains("Invalid parameter: temperature"));
    assertEquals(1, upstream.calls("fail-400") - before);
  }

  @Test
  void anOpenBreakerSkipsTheDeploymentWithoutCallingIt() throws Exception {
    int before = upstream.calls("fail-500");
    for (int i = 0; i < 3; i++) gw.post("/v1/chat/completions", GatewayHarness.chat("r-breaker", false));
    assertEquals(3, upstream.calls("fail-500") - before, "three failures open the breaker (threshold 3)");
    HttpResponse<String> r = gw.post("/v1/chat/completions", GatewayHarness.chat("r-breaker", false));
    assertEquals(200, r.statusCode());
    assertEquals("good", header(r, "x-switchboard-deployment"));
    assertEquals("1", header(r, "x-switchboard-attempts"), "the open breaker is skipped, not attempted");
    assertEquals(3, upstream.calls("fail-500") - before);
    HttpResponse<String> ready = gw.get("/readyz");
    assertTrue(ready.body().contains("\"breaky\":\"open\""), ready.body());
  }

  @Test
  void streamsFallBackBeforeTheFirstByte() throws Exception {
    HttpResponse<String> r = gw.post("/v1/chat/completions", GatewayHarness.chat("r-500", true));
    assertEquals(200, r.statusCode(), r.body());
    assertEquals("good", header(r, "x-switchboard-deployment"));
    assertTrue(r.headers().firstValue("content-type").orElse("").startsWith("text/event-stream"));
    assertTrue(r.body().contains("echo: "), r.body());
    assertTrue(r.body().trim().endsWith("data: [DONE]"), r.body());
    assertFalse(r.body().contains("\"usage\""), "no usage chunk unless the client asked for it");
  }

  @Test
  void streamsSendUsageWhenAsked() throws Exception {
    String body = "{\"model\":\"good\",\"stream\":true,\"stream_options\":{\"include_usage\":true},"
        + "\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]}";
    HttpResponse<String> r = gw.post("/v1/chat/completions", body);
    assertEquals(200, r.statusCode());
    assertTrue(r.body().contains("\"completion_tokens\":5"), r.body());
    assertTrue(r.body().indexOf("\"usage\"") < r.body().indexOf("[DONE]"));
  }

  @Test
  void aStreamCutMidwayEndsWithAnErrorEvent() throws Exception {
    HttpResponse<String> r = gw.post("/v1/chat/completions", GatewayHarness.chat("cut", true));
    assertEquals(200, r.statusCode(), "the stream had started, so the status is already 200");
    assertTrue(r.body().contains("Hel"), r.body());
    assertFalse(r.body().contains("[DONE]"), r.body());
    String last = r.body().trim().substring(r.body().trim().lastIndexOf("data: ") + 6);
    JsonNode err = JSON.readTree(last).path("error");
    assertEquals("stream_interrupted", err.path("code").asText(), last);
  }

  @Test
  void theApiKeyGoesUpstreamButNeverIntoResponsesOrLogs() throws Exception {
    HttpResponse<String> ok = gw.post("/v1/chat/completions", GatewayHarness.chat("good", false));
    assertEquals(200, ok.statusCode());
    assertTrue(upstream.received().stream().anyMatch(x -> ("Bearer " + SECRET).equals(x.authorization())));
    HttpResponse<String> failed = gw.post("/v1/chat/completions", GatewayHarness.chat("r-400", false));
    HttpResponse<String> metrics = gw.get("/metrics");
    for (HttpResponse<String> r : List.of(ok, failed, metrics)) {
      assertFalse(r.body().contains(SECRET));
      assertFalse(r.headers().map().toString().contains(SECRET));
    }
    for (ILoggingEvent e : logs.list) assertFalse(e.getFormattedMessage().contains(SECRET), e.getFormattedMessage());
  }

  @Test
  void metricsCountRequestsByRouteDeploymentAndStatus() throws Exception {
    gw.post("/v1/chat/completions", GatewayHarness.chat("good", false));
    String m = gw.get("/metrics").body();
    assertTrue(m.contains("switchboard_requests_total{deployment=\"good\",route=\"good\",status=\"200\"}"), m);
    assertTrue(m.contains("switchboard_request_duration_seconds_bucket"), "latency histogram");
    assertTrue(m.contains("switchboard_upstream_duration_seconds_count{deployment=\"good\",outcome=\"ok\"}"));
    assertTrue(m.contains("switchboard_tokens_total{deployment=\"good\",type=\"completion\"}"));
    assertTrue(m.contains("switchboard_cost_usd_total"));
  }

  @Test
  void requestIdsArePropagated() throws Exception {
    HttpResponse<String> r = gw.post("/v1/chat/completions", GatewayHarness.chat("good", false).getBytes(), Map.of("x-request-id", "client-id-1"));
    assertEquals("client-id-1", header(r, "x-request-id"));
  }
}
