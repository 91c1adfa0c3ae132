package dev.switchboard.cli.serve;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.switchboard.router.testkit.MockOpenAiServer;
import dev.switchboard.router.tracing.OtlpReceiver;
import io.opentelemetry.proto.trace.v1.Span;
import io.vertx.core.Vertx;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue #17: {@code switchboard serve} with nothing but the standard {@code OTEL_EXPORTER_OTLP_ENDPOINT} set exports
 * its request spans to a real OTLP/HTTP receiver on loopback; the spans of the last requests go out during the
 * graceful stop (the SDK is flushed after the drain), and the upstream receives the trace context.
 */
class ServeTracingTest {

  @Test
  void otelEndpointInTheEnvironment_exportsSpans_flushedOnStop(@TempDir Path dir) throws Exception {
    Vertx vertx = Vertx.vertx();
    try (OtlpReceiver receiver = OtlpReceiver.start()) {
      MockOpenAiServer upstream = new MockOpenAiServer(vertx).replyText("traced by env").usage(4, 2);
      upstream.start().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
      Path config = dir.resolve("switchboard.yaml");
      Files.writeString(config, """
          deployments:
            - { name: envtraced, provider: openai, base_url: "%s", model: m }
          """.formatted(upstream.baseUrl()));
      // a long batch delay: only the flush at the stop can deliver the span in time
      try (ServeProcess serve = ServeProcess.start(config, dir.resolve("data"),
          Map.of("OTEL_EXPORTER_OTLP_ENDPOINT", receiver.endpoint(), "OTEL_BSP_SCHEDULE_DELAY", "600000",
              "OTEL_SERVICE_NAME", "switchboard-test"))) {
        HttpResponse<String> r = HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create(serve.baseUrl + "/v1/chat/completions"))
            .timeout(Duration.ofSeconds(20)).header("content-type", "application/json")
            .POST(HttpRequest.BodyPublishers.ofString("{\"model\":\"envtraced\",\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]}"))
            .build(), HttpResponse.BodyHandlers.ofString());
        assertEquals(200, r.statusCode(), r.body());
        assertTrue(receiver.spans().isEmpty(), "nothing exported before the stop (batch delay 10 min)");
        assertTrue(serve.stop(), "stops on SIGTERM");
        assertEquals(0, serve.process.exitValue(), serve.output());
      }
      Span server = receiver.spans().stream().filter(s -> s.getKind() == Span.SpanKind.SPAN_KIND_SERVER).findFirst()
          .orElseThrow(() -> new AssertionError("no server span arrived: " + receiver.spans()));
      assertEquals("chat envtraced", server.getName());
      assertEquals("switchboard-test", receiver.serviceName(), "OTEL_SERVICE_NAME is honoured");
      String traceparent = upstream.lastRequest().header("traceparent");
      assertTrue(traceparent != null && traceparent.contains(java.util.HexFormat.of().formatHex(server.getTraceId().toByteArray())),
          traceparent);
    } finally {
      vertx.close().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
    }
  }
}
