package dev.switchboard.cli.serve;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue #17: {@code switchboard serve} with the shipped logging config. Text lines start with an ISO-8601 timestamp
 * with date and zone; {@code SWITCHBOARD_LOG_FORMAT=json} makes every log line a JSON object (Logback's JsonEncoder);
 * each chat request gets one access line with its fields, unless {@code server.access_log: false}; the embedded
 * broker's expected first-start warning stays out.
 */
class LogFormatTest {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final Pattern ISO_LINE = Pattern.compile("^\\d{4}-\\d{2}-\\d{2}T\\d{2}:\\d{2}:\\d{2}\\.\\d{3}(Z|[+-]\\d{2}:\\d{2}) .*");
  /** What serve prints on stdout for the user (the pipe merges it with the log). */
  private static final List<String> STDOUT = List.of("Switchboard is listening on", "Request log: Kafka");

  @TempDir Path dir;

  @Test
  void json_everyLogLineIsAJsonObject_theAccessLineCarriesTheRequestsFields() throws Exception {
    String out = run(Map.of("SWITCHBOARD_LOG_FORMAT", "json"), "", "access-json-1");
    List<JsonNode> lines = new ArrayList<>();
    for (String line : logLines(out)) {
      JsonNode n = JSON.readTree(line); // throws on a line that is not JSON
      assertTrue(n.path("timestamp").isNumber(), line);
      assertTrue(n.path("level").isTextual() && n.path("loggerName").isTextual(), line);
      lines.add(n);
    }
    assertTrue(lines.stream().anyMatch(n -> n.path("formattedMessage").asText().startsWith("switchboard gateway listening")), out);
    List<JsonNode> access = lines.stream().filter(n -> n.path("loggerName").asText().equals("switchboard.access")).toList();
    assertEquals(1, access.size(), out);
    Map<String, String> kv = new HashMap<>();
    for (JsonNode pair : access.get(0).path("kvpList")) pair.fields().forEachRemaining(e -> kv.put(e.getKey(), e.getValue().asText()));
    assertEquals("access-json-1", kv.get("request_id"));
    assertEquals("-", kv.get("key_id"), "auth off: no key");
    assertEquals("gpt-4-1106-preview", kv.get("model"));
    assertEquals("gpt-4-1106-preview", kv.get("deployment"));
    assertEquals("gpt-4-1106-preview", kv.get("route"));
    assertEquals("200", kv.get("status"));
    assertTrue(Double.parseDouble(kv.get("latency_ms")) > 0, kv.toString());
    assertTrue(Double.parseDouble(kv.get("overhead_ms")) >= 0, kv.toString());
    assertTrue(Long.parseLong(kv.get("input_tokens")) > 0 && Long.parseLong(kv.get("output_tokens")) > 0, kv.toString());
    assertTrue(Double.parseDouble(kv.get("cost_usd")) > 0, kv.toString());
    assertEquals("-", kv.get("cache"));
    assertEquals("-", kv.get("fallback"));
    assertFalse(out.contains("metadata log appears to be empty"), "the broker's expected first-start warning is kept out");
  }

  @Test
  void text_linesStartWithAnIsoTimestamp_andTheAccessLineIsKeyValue() throws Exception {
    String out = run(Map.of(), "", "access-text-1");
    List<String> log = logLines(out);
    assertFalse(log.isEmpty(), out);
    for (String line : log) assertTrue(ISO_LINE.matcher(line).matches() || line.startsWith("\tat ") || line.isBlank(), line);
    List<String> access = log.stream().filter(l -> l.contains(" ACCESS ")).toList();
    assertEquals(1, access.size(), out);
    assertTrue(access.get(0).contains(" request_id=access-text-1 key_id=- route=gpt-4-1106-preview model=gpt-4-1106-preview"
        + " deployment=gpt-4-1106-preview status=200 latency_ms="), access.get(0));
    assertTrue(access.get(0).matches(".* input_tokens=\\d+ output_tokens=\\d+ cost_usd=[0-9.]+ cache=- fallback=-$"), access.get(0));
  }

  @Test
  void accessLogFalse_writesNoAccessLine() throws Exception {
    String out = run(Map.of(), "server: { access_log: false }\n", "no-access-1");
    assertFalse(out.contains(" ACCESS "), out);
    assertFalse(out.contains("request_id=no-access-1"), out);
  }

  /** Starts serve (shipped logging, request log on), sends one chat request with {@code requestId}, stops it; its output. */
  private String run(Map<String, String> env, String serverSection, String requestId) throws Exception {
    Path config = dir.resolve(requestId + ".yaml");
    Files.writeString(config, serverSection + """
        deployments:
          - { name: gpt-4-1106-preview, provider: recorded, input_price_per_mtok: 10, output_price_per_mtok: 30 }
        """);
    try (ServeProcess serve = ServeProcess.start(config, dir.resolve(requestId), env, true)) {
      HttpResponse<String> r = HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create(serve.baseUrl + "/v1/chat/completions"))
          .timeout(Duration.ofSeconds(20)).header("content-type", "application/json").header("x-request-id", requestId)
          .POST(HttpRequest.BodyPublishers.ofString("{\"model\":\"gpt-4-1106-preview\",\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]}"))
          .build(), HttpResponse.BodyHandlers.ofString());
      assertEquals(200, r.statusCode(), r.body());
      assertTrue(serve.stop(), "stops on SIGTERM");
      assertEquals(0, serve.process.exitValue(), serve.output());
      return serve.output();
    }
  }

  private static List<String> logLines(String out) {
    return out.lines().filter(l -> !l.isBlank() && STDOUT.stream().noneMatch(l::startsWith)).toList();
  }
}
