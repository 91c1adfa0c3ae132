package dev.switchboard.router.embedded;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.switchboard.router.requestlog.CaptureMode;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code switchboard serve --config FILE --port 0}: a hot reload keeps what the launcher added to
 * the file's config (the in-process recorded upstream's URL, the command-line port).
 */
class ServeReloadTest {
  private final HttpClient http = HttpClient.newHttpClient();

  @Test
  void recordedDeploymentsStillAnswerAfterAReload(@TempDir Path dir) throws Exception {
    Path file = dir.resolve("switchboard.yaml");
    String yaml = """
        server: { port: 8080 }
        deployments:
          - { name: gpt-4-1106-preview, provider: recorded, input_price_per_mtok: 10, output_price_per_mtok: 30 }
        """;
    Files.writeString(file, yaml);
    ServerOptions o = new ServerOptions(file, "127.0.0.1", 0, false, SwitchboardHome.find(), dir.resolve("data"), false, null, 0,
        "switchboard.requests", CaptureMode.NONE);
    try (SwitchboardServer server = SwitchboardServer.start(o)) {
      assertEquals(200, chat(server, "gpt-4-1106-preview").statusCode());
      Files.writeString(file, yaml + "routes:\n  - { alias: strong, deployments: [gpt-4-1106-preview] }\n");
      // the reload polls once a second; bounded wait
      org.awaitility.Awaitility.await("the reload").atMost(java.time.Duration.ofSeconds(20)).pollInterval(java.time.Duration.ofMillis(100))
          .until(() -> get(server, "/v1/models").contains("\"strong\""));
      assertTrue(get(server, "/v1/models").contains("\"strong\""), "the reload went live");
      HttpResponse<String> r = chat(server, "strong");
      assertEquals(200, r.statusCode(), r.body());
      assertEquals("gpt-4-1106-preview", r.headers().firstValue("x-switchboard-deployment").orElse(null));
      assertEquals(200, chat(server, "gpt-4-1106-preview").statusCode(), "the recorded deployment still reaches its upstream");
    }
  }

  private HttpResponse<String> chat(SwitchboardServer s, String model) throws Exception {
    return http.send(HttpRequest.newBuilder(URI.create(s.baseUrl() + "/v1/chat/completions")).header("content-type", "application/json")
        .POST(HttpRequest.BodyPublishers.ofString("{\"model\":\"" + model + "\",\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]}"))
        .build(), HttpResponse.BodyHandlers.ofString());
  }

  private String get(SwitchboardServer s, String path) throws Exception {
    return http.send(HttpRequest.newBuilder(URI.create(s.baseUrl() + path)).build(), HttpResponse.BodyHandlers.ofString()).body();
  }
}
