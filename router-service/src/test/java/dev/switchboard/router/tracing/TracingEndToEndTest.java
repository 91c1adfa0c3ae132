package dev.switchboard.router.tracing;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.switchboard.router.chat.RequestTrace;
import dev.switchboard.router.testkit.GatewayHarness;
import dev.switchboard.router.testkit.MockOpenAiServer;
import dev.switchboard.router.testkit.RecordedRequest;
import io.opentelemetry.api.common.AttributeKey;
import io.opentelemetry.api.trace.SpanKind;
import io.opentelemetry.api.trace.StatusCode;
import io.opentelemetry.api.trace.propagation.W3CTraceContextPropagator;
import io.opentelemetry.context.propagation.ContextPropagators;
import io.opentelemetry.sdk.OpenTelemetrySdk;
import io.opentelemetry.sdk.testing.exporter.InMemorySpanExporter;
import io.opentelemetry.sdk.trace.SdkTracerProvider;
import io.opentelemetry.sdk.trace.data.SpanData;
import io.opentelemetry.sdk.trace.export.SimpleSpanProcessor;
import io.vertx.core.Vertx;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Issue #17: one request through a route whose first deployment fails, traced with the SDK's in-memory exporter. The
 * span tree (a SERVER span, a CLIENT span per upstream attempt), its GenAI and HTTP attributes, the continuation of the
 * caller's {@code traceparent}, and the {@code traceparent} each upstream receives.
 */
class TracingEndToEndTest {
  private static final String TRACE_ID = "4bf92f3577b34da6a3ce929d0e0e4736";
  private static final String CALLER_SPAN = "00f067aa0ba902b7";

  private static Vertx vertx;
  private static MockOpenAiServer bad;
  private static MockOpenAiServer good;
  private static InMemorySpanExporter spans;
  private static OpenTelemetrySdk sdk;
  private static GatewayHarness gw;

  @BeforeAll
  static void start() throws Exception {
    vertx = Vertx.vertx();
    bad = new MockOpenAiServer(vertx).failWith(500, "boom");
    good = new MockOpenAiServer(vertx).replyText("traced answer").usage(11, 7);
    bad.start().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
    good.start().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
    spans = InMemorySpanExporter.create();
    sdk = OpenTelemetrySdk.builder()
        .setTracerProvider(SdkTracerProvider.builder().addSpanProcessor(SimpleSpanProcessor.create(spans)).build())
        .setPropagators(ContextPropagators.create(W3CTraceContextPropagator.getInstance())).build();
    gw = GatewayHarness.start("""
        deployments:
          - { name: bad, provider: openai, base_url: "%s", model: bad-model, max_retries: 0 }
          - { name: good, provider: openai, base_url: "%s", model: good-model, max_retries: 0, input_price_per_mtok: 2, output_price_per_mtok: 8 }
        routes:
          - { alias: traced, deployments: [bad, good] }
        """.formatted(bad.baseUrl(), good.baseUrl()), null, o -> o.withTracing(Tracing.of(sdk)));
  }

  @AfterAll
  static void stop() throws Exception {
    if (gw != null) gw.close();
    sdk.close();
    vertx.close().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
  }

  @Test
  void aRequestWithAFallback_makesOneServerSpanWithAClientSpanPerAttempt_andPropagatesTheTrace() throws Exception {
    spans.reset();
    HttpResponse<String> r = gw.post("/v1/chat/completions", GatewayHarness.chat("traced", false).getBytes(),
        Map.of("traceparent", "00-" + TRACE_ID + "-" + CALLER_SPAN + "-01"));
    assertEquals(200, r.statusCode(), r.body());
    Awaitility.await().atMost(Duration.ofSeconds(5)).until(() -> spans.getFinishedSpanItems().size() == 3);
    List<SpanData> all = spans.getFinishedSpanItems();

    SpanData server = only(all, SpanKind.SERVER);
    assertEquals(TRACE_ID, server.getTraceId(), "the caller's trace continues");
    assertEquals(CALLER_SPAN, server.getParentSpanId(), "the caller's span is the parent");
    assertEquals("chat traced", server.getName());
    assertEquals("chat", attr(server, "gen_ai.operation.name"));
    assertEquals("traced", attr(server, "gen_ai.request.model"));
    assertEquals("good-model", attr(server, "gen_ai.response.model"));
    assertEquals("openai", attr(server, "gen_ai.provider.name"));
    assertEquals("openai", attr(server, "gen_ai.system"));
    assertEquals(11L, server.getAttributes().get(AttributeKey.longKey("gen_ai.usage.input_tokens")));
    assertEquals(7L, server.getAttributes().get(AttributeKey.longKey("gen_ai.usage.output_tokens")));
    assertEquals((11 * 2 + 7 * 8) / 1e6, server.getAttributes().get(AttributeKey.doubleKey("switchboard.cost_usd")), 1e-12);
    assertEquals("traced", attr(server, "switchboard.route"));
    assertEquals("upstream_server_error", attr(server, "switchboard.fallback_reason"));
    assertEquals(200L, server.getAttributes().get(AttributeKey.longKey("http.response.status_code")));
    assertEquals(r.headers().firstValue("x-request-id").orElseThrow(), attr(server, "switchboard.request_id"));

    List<SpanData> attempts = all.stream().filter(s -> s.getKind() == SpanKind.CLIENT).toList();
    assertEquals(2, attempts.size());
    SpanData first = attempts.stream().filter(s -> "bad".equals(attr(s, "switchboard.deployment"))).findFirst().orElseThrow();
    SpanData second = attempts.stream().filter(s -> "good".equals(attr(s, "switchboard.deployment"))).findFirst().orElseThrow();
    for (SpanData a : attempts) {
      assertEquals(TRACE_ID, a.getTraceId());
      assertEquals(server.getSpanId(), a.getParentSpanId(), "attempts are children of the request's span");
      assertEquals("POST", attr(a, "http.request.method"));
      assertEquals("127.0.0.1", attr(a, "server.address"));
      assertTrue(attr(a, "url.full").endsWith("/v1/chat/completions"), attr(a, "url.full"));
    }
    assertEquals("chat bad-model", first.getName());
    assertEquals(500L, first.getAttributes().get(AttributeKey.longKey("http.response.status_code")));
    assertEquals(StatusCode.ERROR, first.getStatus().getStatusCode());
    assertEquals("server_error", attr(first, "error.type"));
    assertEquals(200L, second.getAttributes().get(AttributeKey.longKey("http.response.status_code")));
    assertEquals(StatusCode.UNSET, second.getStatus().getStatusCode());

    // each upstream got the trace, with its own attempt's span as the parent
    assertEquals("00-" + TRACE_ID + "-" + first.getSpanId() + "-01", bad.lastRequest().header("traceparent"));
    assertEquals("00-" + TRACE_ID + "-" + second.getSpanId() + "-01", good.lastRequest().header("traceparent"));
  }

  @Test
  void aRequestWithoutTraceparent_startsANewTrace() throws Exception {
    spans.reset();
    HttpResponse<String> r = gw.post("/v1/chat/completions", GatewayHarness.chat("good", false).getBytes(),
        Map.of());
    assertEquals(200, r.statusCode(), r.body());
    Awaitility.await().atMost(Duration.ofSeconds(5)).until(() -> spans.getFinishedSpanItems().size() == 2);
    SpanData server = only(spans.getFinishedSpanItems(), SpanKind.SERVER);
    assertEquals("0000000000000000", server.getParentSpanId(), "a root span");
    assertTrue(good.lastRequest().header("traceparent").contains(server.getTraceId()));
  }

  /** Off (no OTEL_* asking for traces): every request gets the no-op trace, and nothing is sent upstream. */
  @Test
  void off_isTheNoOpTrace_andSendsNoTraceparent() throws Exception {
    assertSame(RequestTrace.OFF, Tracing.OFF.start(null));
    assertTrue(!Tracing.configured(Map.<String, String>of()::get));
    assertTrue(Tracing.configured(Map.of("OTEL_EXPORTER_OTLP_ENDPOINT", "http://127.0.0.1:4318")::get));
    assertTrue(Tracing.configured(Map.of("OTEL_TRACES_EXPORTER", "otlp")::get));
    assertTrue(!Tracing.configured(Map.of("OTEL_TRACES_EXPORTER", "none", "OTEL_EXPORTER_OTLP_ENDPOINT", "http://x")::get));
    assertTrue(!Tracing.configured(Map.of("OTEL_SDK_DISABLED", "true", "OTEL_TRACES_EXPORTER", "otlp")::get));
    try (GatewayHarness plain = GatewayHarness.start("""
        deployments:
          - { name: good, provider: openai, base_url: "%s", model: good-model }
        """.formatted(good.baseUrl()))) {
      HttpResponse<String> r = plain.post("/v1/chat/completions", GatewayHarness.chat("good", false).getBytes(),
          Map.of("traceparent", "00-" + TRACE_ID + "-" + CALLER_SPAN + "-01"));
      assertEquals(200, r.statusCode(), r.body());
      RecordedRequest sent = good.lastRequest();
      assertNull(sent.header("traceparent"), "an untraced gateway neither continues nor forwards a trace");
    }
  }

  private static SpanData only(List<SpanData> all, SpanKind kind) {
    List<SpanData> of = all.stream().filter(s -> s.getKind() == kind).toList();
    assertEquals(1, of.size(), all.toString());
    return of.get(0);
  }

  private static String attr(SpanData s, String key) {
    return s.getAttributes().get(AttributeKey.stringKey(key));
  }
}
