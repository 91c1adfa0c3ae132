package dev.switchboard.router.evaldriven;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.switchboard.router.embedded.ServerOptions;
import dev.switchboard.router.embedded.SwitchboardHome;
import dev.switchboard.router.embedded.SwitchboardServer;
import dev.switchboard.router.testkit.ShippedAutoRoute;
import dev.switchboard.router.tracing.OtlpReceiver;
import io.opentelemetry.proto.trace.v1.Span;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue #17: a request to an eval-driven route, traced through the gateway's environment ({@code OTEL_*} given to
 * {@link SwitchboardServer}), has a {@code switchboard.scoring} span under its request span, with the difficulty the
 * classifier gave and the model the policy chose, beside the attempt's CLIENT span.
 */
class ScoringSpanTest {
  @TempDir Path dir;

  @Test
  void anEvalDrivenRequest_hasAScoringSpanWithItsDifficulty() throws Exception {
    Path home = SwitchboardHome.find();
    Path policy = dir.resolve("auto.yaml");
    Files.writeString(policy, Files.readString(home.resolve("policies/default.yaml")));
    Path config = dir.resolve("switchboard.yaml");
    Files.writeString(config, ShippedAutoRoute.yaml(home, policy, 20_000, ""));
    try (OtlpReceiver receiver = OtlpReceiver.start()) {
      Map<String, String> env = Map.of("OTEL_EXPORTER_OTLP_ENDPOINT", receiver.endpoint(), "OTEL_BSP_SCHEDULE_DELAY", "50");
      try (SwitchboardServer server = SwitchboardServer.start(new ServerOptions(config, "127.0.0.1", 0, false, home,
          dir.resolve("data"), false, null, 0, "t", dev.switchboard.router.requestlog.CaptureMode.NONE).withEnv(env::get))) {
        HttpResponse<String> r = HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create(server.baseUrl() + "/v1/chat/completions"))
            .timeout(Duration.ofSeconds(60)).header("content-type", "application/json")
            .POST(HttpRequest.BodyPublishers.ofString("{\"model\":\"auto\",\"messages\":[{\"role\":\"user\",\"content\":\"Say hello.\"}]}"))
            .build(), HttpResponse.BodyHandlers.ofString());
        assertEquals(200, r.statusCode(), r.body());
        Awaitility.await().atMost(Duration.ofSeconds(20)).until(() -> receiver.spans().size() >= 3);
        List<Span> spans = receiver.spans();
        Span request = only(spans, s -> s.getKind() == Span.SpanKind.SPAN_KIND_SERVER);
        Span scoring = only(spans, s -> s.getName().equals("switchboard.scoring"));
        Span attempt = only(spans, s -> s.getKind() == Span.SpanKind.SPAN_KIND_CLIENT);
        assertEquals(request.getSpanId(), scoring.getParentSpanId());
        assertEquals(request.getSpanId(), attempt.getParentSpanId());
        double difficulty = attr(scoring, "switchboard.difficulty").getDoubleValue();
        assertEquals(Double.parseDouble(r.headers().firstValue("x-switchboard-difficulty").orElseThrow()), difficulty, 1e-4);
        assertEquals(r.headers().firstValue("x-switchboard-model").orElseThrow(), attr(scoring, "switchboard.model").getStringValue());
        assertEquals("auto", attr(request, "switchboard.route").getStringValue());
        assertEquals(difficulty, attr(request, "switchboard.difficulty").getDoubleValue(), 1e-12);
        assertTrue(scoring.getEndTimeUnixNano() <= attempt.getStartTimeUnixNano(), "scoring ends before the upstream call");
      }
    }
  }

  private static Span only(List<Span> spans, java.util.function.Predicate<Span> p) {
    List<Span> of = spans.stream().filter(p).toList();
    assertEquals(1, of.size(), spans.toString());
    return of.get(0);
  }

  private static io.opentelemetry.proto.common.v1.AnyValue attr(Span s, String key) {
    return s.getAttributesList().stream().filter(a -> a.getKey().equals(key)).findFirst().orElseThrow(() -> new AssertionError(key + " in " + s))
        .getValue();
  }
}
