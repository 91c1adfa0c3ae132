package dev.switchboard.router.tracing;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.switchboard.router.testkit.GatewayHarness;
import dev.switchboard.router.testkit.MockOpenAiServer;
import io.opentelemetry.proto.common.v1.KeyValue;
import io.opentelemetry.proto.trace.v1.Span;
import io.vertx.core.Vertx;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;

/**
 * Issue #17: tracing configured the way a user configures it (OpenTelemetry's autoconfiguration; the endpoint as
 * {@code OTEL_EXPORTER_OTLP_ENDPOINT} would give it) exports over OTLP/HTTP protobuf to a real receiver on loopback,
 * which decodes what arrives with the OTLP protobuf types.
 */
class OtlpExportTest {

  @Test
  void autoconfiguredTracing_exportsTheRequestSpanOverOtlpHttp() throws Exception {
    Vertx vertx = Vertx.vertx();
    try (OtlpReceiver receiver = OtlpReceiver.start()) {
      MockOpenAiServer upstream = new MockOpenAiServer(vertx).replyText("exported").usage(5, 3);
      upstream.start().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
      Tracing tracing = Tracing.autoconfigured(Map.of("otel.exporter.otlp.endpoint", receiver.endpoint(),
          "otel.bsp.schedule.delay", "50"));
      try (GatewayHarness gw = GatewayHarness.start("""
          deployments:
            - { name: exported, provider: openai, base_url: "%s", model: exported-model }
          """.formatted(upstream.baseUrl()), null, o -> o.withTracing(tracing))) {
        HttpResponse<String> r = gw.post("/v1/chat/completions", GatewayHarness.chat("exported", false));
        assertEquals(200, r.statusCode(), r.body());
        Awaitility.await().atMost(Duration.ofSeconds(15)).until(() -> receiver.spans().size() >= 2);
      } finally {
        tracing.close();
      }
      List<Span> spans = receiver.spans();
      Span server = spans.stream().filter(s -> s.getKind() == Span.SpanKind.SPAN_KIND_SERVER).findFirst().orElseThrow();
      assertEquals("chat exported", server.getName());
      assertEquals("exported-model", string(server.getAttributesList(), "gen_ai.response.model"));
      assertEquals(3, server.getAttributesList().stream().filter(a -> a.getKey().equals("gen_ai.usage.output_tokens"))
          .findFirst().orElseThrow().getValue().getIntValue());
      Span client = spans.stream().filter(s -> s.getKind() == Span.SpanKind.SPAN_KIND_CLIENT).findFirst().orElseThrow();
      assertEquals(server.getSpanId(), client.getParentSpanId());
      assertEquals("switchboard", receiver.serviceName(), "the resource names the service");
      assertTrue(receiver.contentTypes().stream().allMatch(t -> t.startsWith("application/x-protobuf")), receiver.contentTypes().toString());
    } finally {
      vertx.close().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
    }
  }

  private static String string(List<KeyValue> attributes, String key) {
    return attributes.stream().filter(a -> a.getKey().equals(key)).findFirst().orElseThrow().getValue().getStringValue();
  }
}
