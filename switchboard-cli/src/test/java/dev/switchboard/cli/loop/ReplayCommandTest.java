package dev.switchboard.cli.loop;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.switchboard.dataset.parquet.RoutingDatasets;
import dev.switchboard.eval.replay.FakeOpenAiUpstream;
import dev.switchboard.eval.replay.ReplayFixture;
import dev.switchboard.router.kafka.EmbeddedKafka;
import java.nio.file.Files;
import java.nio.file.Path;
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

  static ReplayFixture fixture;

  @BeforeAll
  static void start() throws Exception {
    fixture = ReplayFixture.start(shared);
    kafka = fixture.kafka;
    upstream = fixture.upstream;
  }

  @AfterAll
  static void stop() {
    fixture.close();
  }

  private void log(String topic, int n) {
    fixture.log(topic, n, dir);
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
    String[] common = {"--kafka", kafka.bootstrapServers(), "--data-dir", shared.toString(), "--topic", topic, "--candidates", "bad,good", "--grader",
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

  /**
   * Issue #15: the broker's log is readable only with its generated credentials. replay finds them in
   * the data directory by itself (as {@code switchboard kafka} and {@code serve} store them), and a
   * wrong password is refused with a message that says so and shows no secret.
   */
  @Test
  void replayLogsInWithTheDataDirectorysCredentialsAndAWrongPasswordIsRefused() throws Exception {
    String topic = "auth";
    log(topic, 2);
    String[] common = {"--topic", topic, "--candidates", "bad,good", "--grader", "reference", "--upstream",
        upstream.baseUrl(), "--max-tokens", "64"};
    Path run = dir.resolve("runs/auth");
    assertEquals(0, new CommandLine(new ReplayCommand()).execute(concat(common, "--data-dir", shared.toString(),
        "--out", run.toString())), "no --kafka: the embedded broker of --data-dir, with its stored credentials");
    assertEquals(4, RoutingDatasets.read(run.resolve("outcomes.parquet")).size());

    Path stored = EmbeddedKafka.clientPropertiesFile(kafka.dataDir());
    String good = Files.readString(stored);
    String password = good.replaceAll("(?s).*password=\"([^\"]*)\".*", "$1");
    Path wrong = Files.writeString(dir.resolve("wrong.properties"), good.replace(password, "guessed"));
    java.io.StringWriter err = new java.io.StringWriter();
    CommandLine cli = new CommandLine(new ReplayCommand());
    cli.setErr(new java.io.PrintWriter(err, true));
    assertEquals(1, cli.execute(concat(common, "--kafka-config", wrong.toString(), "--out", dir.resolve("runs/wrong").toString())));
    assertTrue(err.toString().contains("refused the login"), err.toString());
    assertFalse(err.toString().contains(password), "no secret in the message");
  }

  private static String[] concat(String[] a, String... b) {
    String[] out = java.util.Arrays.copyOf(a, a.length + b.length);
    System.arraycopy(b, 0, out, a.length, b.length);
    return out;
  }
}
