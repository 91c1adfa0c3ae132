package dev.switchboard.cli.loop;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.switchboard.dataset.parquet.RoutingDatasets;
import dev.switchboard.eval.replay.FakeOpenAiUpstream;
import dev.switchboard.router.kafka.EmbeddedKafka;
import dev.switchboard.router.requestlog.CaptureMode;
import dev.switchboard.router.requestlog.KafkaRequestLog;
import dev.switchboard.router.requestlog.RequestLogConfig;
import dev.switchboard.router.requestlog.RequestLogRecord;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/**
 * {@code switchboard replay} on the command line: a real broker, records written by the real request
 * log, a real HTTP upstream. The replay engine itself is tested in eval-harness ({@code ReplayRunTest}).
 */
@Timeout(120)
class ReplayCommandTest {

  @TempDir static Path shared;
  @TempDir Path dir;
  static EmbeddedKafka kafka;
  static FakeOpenAiUpstream upstream;
  static final ObjectMapper JSON = new ObjectMapper();

  @BeforeAll
  static void start() throws Exception {
    kafka = EmbeddedKafka.start(shared.resolve("kafka"), 0);
    // "good" knows the capital, "bad" does not; "broken" always fails.
    upstream = new FakeOpenAiUpstream(m -> switch (m) {
      case "good", "judge" -> m.equals("judge") ? "Score: 10" : "Paris.";
      case "bad" -> "London";
      default -> null;
    });
  }

  @AfterAll
  static void stop() {
    upstream.close();
    kafka.close();
  }

  /** Writes {@code n} records through the real request log: ids q-0..q-(n-1), reference "Paris". */
  private void log(String topic, int n) {
    RequestLogConfig cfg = RequestLogConfig.defaults(kafka.bootstrapServers(), dir.resolve("spool-" + topic))
        .withTopic(topic).withCapture(CaptureMode.FULL);
    try (KafkaRequestLog log = new KafkaRequestLog(cfg)) {
      for (int i = 0; i < n; i++) {
        JsonNode messages = JSON.createArrayNode()
            .add(JSON.createObjectNode().put("role", "system").put("content", "Be brief."))
            .add(JSON.createObjectNode().put("role", "user").put("content", "Capital of France? #" + i));
        log.append(new RequestLogRecord(1, "q-" + i, Instant.now().toString(), "default", "auto", "good", List.of(),
            0.3, "v1", null, messages, "Paris", new RequestLogRecord.Tokens(10, 2), 0.0, null, 200, List.of(), 0,
            null, "geo", Map.of("reference", "Paris")));
      }
    }
  }

  @Test
  void theCommandLineRunsAReplayAndExitsWith3WhenTheCapStopsIt() throws Exception {
    String topic = "cli";
    log(topic, 6);
    Path run = dir.resolve("runs/cli");
    Path prices = dir.resolve("models.json");
    // $1M per 1M tokens = $1 per token: each record reserves far more than $150.
    Files.writeString(prices, "{\"models\": {\"good\": {\"input_usd_per_mtok\": 1000000, \"output_usd_per_mtok\": 1000000,"
        + " \"price_is_proxy\": false, \"source\": \"test\"}, \"bad\": {\"input_usd_per_mtok\": 0, \"output_usd_per_mtok\": 0,"
        + " \"price_is_proxy\": false, \"source\": \"test\"}}}");
    String[] common = {"--kafka", kafka.bootstrapServers(), "--topic", topic, "--candidates", "bad,good", "--grader",
        "reference", "--upstream", upstream.baseUrl(), "--prices", prices.toString(), "--max-tokens", "64",
        "--out", run.toString()};
    int capped = new CommandLine(new ReplayCommand()).execute(concat(common, "--max-spend-usd", "150"));
    assertEquals(3, capped);
    JsonNode summary = JSON.readTree(run.resolve("summary.json").toFile());
    assertTrue(summary.get("stopped_by_spend_cap").asBoolean());
    assertEquals("switchboard-replay-cli", summary.get("group").asText());
    int rest = new CommandLine(new ReplayCommand()).execute(concat(common, "--max-spend-usd", "100000"));
    assertEquals(0, rest);
    assertEquals(12, RoutingDatasets.read(run.resolve("outcomes.parquet")).size());
    String[] badGrader = common.clone();
    badGrader[java.util.Arrays.asList(common).indexOf("reference")] = "oracle";
    assertEquals(2, new CommandLine(new ReplayCommand()).execute(badGrader));
  }

  private static String[] concat(String[] a, String... b) {
    String[] out = java.util.Arrays.copyOf(a, a.length + b.length);
    System.arraycopy(b, 0, out, a.length, b.length);
    return out;
  }
}
