package dev.switchboard.cli.options;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.switchboard.cli.CliRun;
import dev.switchboard.router.config.ConfigKeys;
import dev.switchboard.router.embedded.ServerOptions;
import dev.switchboard.router.embedded.SwitchboardHome;
import dev.switchboard.router.embedded.SwitchboardServer;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code serve --scoring-deadline-ms}: on a slow CPU the embedded defaults' 50 ms can be too short
 * for long prompts, and the operator must be able to change it without writing a config file.
 */
class ScoringDeadlineOptionTest {
  private static final ObjectMapper JSON = new ObjectMapper();
  @TempDir Path dir;

  @Test
  void anOutOfRangeDeadlineIsRefusedBeforeAnythingStarts() {
    CliRun r = CliRun.switchboard("serve", "--scoring-deadline-ms", "0", "--port", "0", "--no-request-log",
        "--data-dir", dir.toString());
    assertEquals(2, r.code(), r.err());
    assertTrue(r.err().contains("--scoring-deadline-ms must be 1 to 60000, got 0"), r.err());
  }

  @Test
  void theDeadlineFromTheCommandLineReplacesTheEmbeddedDefault() throws Exception {
    Path home = SwitchboardHome.find();
    // The embedded defaults decide with the default deadline; the option replaces it. (That a late
    // score goes to the route's default is ScoringDeadlineTest's, with a classifier slow enough to
    // be late: the shipped default scores in microseconds.)
    String body = "{\"model\":\"auto\",\"messages\":[{\"role\":\"user\",\"content\":\"Say hello in French, then in German.\"}]}";
    try (SwitchboardServer server = SwitchboardServer.start(ServerOptions.embedded(home, dir.resolve("a")).withRequestLog(false))) {
      JsonNode d = route(server, body);
      assertFalse(d.has("routing_fallback"), d.toString());
      assertTrue(d.has("difficulty"), d.toString());
      assertEquals(ConfigKeys.DEFAULT_SCORING_DEADLINE_MS, d.path("scoring_deadline_ms").asLong(),
          d.toString());
    }
    try (SwitchboardServer server = SwitchboardServer.start(
        ServerOptions.embedded(home, dir.resolve("b")).withRequestLog(false).withScoringDeadlineMs(7L))) {
      JsonNode d = route(server, body.replace("French", "Italian"));
      assertEquals(7, d.path("scoring_deadline_ms").asLong(), d.toString());
    }
  }

  private static JsonNode route(SwitchboardServer server, String body) throws Exception {
    HttpResponse<String> r = HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create(server.baseUrl() + "/v1/route"))
        .header("content-type", "application/json").POST(HttpRequest.BodyPublishers.ofString(body)).build(),
        HttpResponse.BodyHandlers.ofString());
    assertEquals(200, r.statusCode(), r.body());
    return JSON.readTree(r.body());
  }
}
