package dev.switchboard.cli.loop;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.switchboard.cli.SwitchboardCli;
import dev.switchboard.dataset.RoutingDataset;
import dev.switchboard.dataset.RoutingRow;
import dev.switchboard.dataset.parquet.RoutingDatasets;
import dev.switchboard.eval.replay.InProcessCandidateClient;
import dev.switchboard.eval.replay.ReferenceGrader;
import dev.switchboard.eval.replay.ReplayOptions;
import dev.switchboard.eval.replay.ReplayRun;
import dev.switchboard.eval.replay.ReplaySummary;
import dev.switchboard.router.embedded.InProcessGateway;
import dev.switchboard.router.embedded.SwitchboardHome;
import dev.switchboard.router.kafka.EmbeddedKafka;
import dev.switchboard.router.requestlog.CaptureMode;
import dev.switchboard.router.requestlog.KafkaRequestLog;
import dev.switchboard.router.requestlog.RequestLogConfig;
import dev.switchboard.router.requestlog.RequestLogRecord;
import dev.switchboard.router.testkit.MockAnthropicServer;
import dev.switchboard.router.testkit.MockGeminiServer;
import dev.switchboard.router.testkit.MockOpenAiServer;
import dev.switchboard.router.testkit.RecordedRequest;
import dev.switchboard.router.upstream.LatencyProfile;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/**
 * Replay through the gateway's own provider adapters in this process (no gateway HTTP server): a
 * real broker, records written by the real request log, simulated providers speaking the OpenAI,
 * Anthropic and Gemini wire formats, and the embedded defaults' recorded provider.
 */
@Timeout(180)
class InProcessReplayTest {

  @TempDir static Path shared;
  @TempDir Path dir;
  static EmbeddedKafka kafka;
  static Vertx vertx;
  static MockOpenAiServer openai;
  static MockAnthropicServer anthropic;
  static MockGeminiServer gemini;
  static final ObjectMapper JSON = new ObjectMapper();

  @BeforeAll
  static void start() throws Exception {
    kafka = EmbeddedKafka.start(shared.resolve("kafka"), 0);
    vertx = Vertx.vertx();
    openai = new MockOpenAiServer(vertx);
    anthropic = new MockAnthropicServer(vertx);
    gemini = new MockGeminiServer(vertx);
    Future.all(openai.start(), anthropic.start(), gemini.start()).toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
  }

  @AfterAll
  static void stop() throws Exception {
    vertx.close().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
    kafka.close();
  }

  private record Run(int code, String out, String err) {}

  private static Run cli(String... args) {
    CommandLine cl = SwitchboardCli.commandLine();
    StringWriter err = new StringWriter();
    cl.setErr(new PrintWriter(err, true));
    PrintStream stdout = System.out;
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    System.setOut(new PrintStream(out, true, StandardCharsets.UTF_8));
    try {
      int code = cl.execute(args);
      return new Run(code, out.toString(StandardCharsets.UTF_8), err.toString());
    } finally {
      System.setOut(stdout);
    }
  }

  /** Writes records through the real request log: ids {@code prefix-i}, one user turn each, reference "Paris". */
  private void log(String topic, List<String> prompts, String prefix) {
    RequestLogConfig cfg = RequestLogConfig.defaults(kafka.connection(), dir.resolve("spool-" + topic))
        .withTopic(topic).withCapture(CaptureMode.FULL);
    try (KafkaRequestLog log = new KafkaRequestLog(cfg)) {
      for (int i = 0; i < prompts.size(); i++) {
        JsonNode messages = JSON.createArrayNode()
            .add(JSON.createObjectNode().put("role", "system").put("content", "Be brief."))
            .add(JSON.createObjectNode().put("role", "user").put("content", prompts.get(i)));
        log.append(RequestLogRecord.builder(prefix + "-" + i).route("auto").deployment("x").messages(messages).response("r")
            .usage(10, 2).status(200).category("geo").metadata(Map.of("reference", "Paris")).build());
      }
    }
  }

  private static List<String> capitals(int n) {
    return java.util.stream.IntStream.range(0, n).mapToObj(i -> "Capital of France? #" + i).toList();
  }

  /** A gateway config with one deployment per simulated provider, at distinct prices, and a fallback route. */
  private Path config(String anthropicKeyEnv) throws Exception {
    Path f = dir.resolve("gateway.yaml");
    Files.writeString(f, """
        resilience: { backoff_base_ms: 10, backoff_max_ms: 2000, breaker_failure_threshold: 50, breaker_open_ms: 1000 }
        deployments:
          - { name: oa, provider: openai, base_url: %s, model: gpt-4o-mini, input_price_per_mtok: 1, output_price_per_mtok: 2 }
          - { name: claude, provider: anthropic, base_url: %s, model: claude-3-5-haiku-latest, input_price_per_mtok: 3, output_price_per_mtok: 4%s }
          - { name: gem, provider: gemini, base_url: %s, model: gemini-2.0-flash, input_price_per_mtok: 5, output_price_per_mtok: 6 }
        routes:
          - { alias: cheap-first, type: fallback, deployments: [gem, oa] }
        """.formatted(openai.baseUrl(), anthropic.baseUrl(), anthropicKeyEnv == null ? "" : ", api_key_env: " + anthropicKeyEnv,
        gemini.baseUrl()));
    return f;
  }

  private static List<RoutingRow> rowsOf(Path run, String model) throws Exception {
    return RoutingDatasets.read(run.resolve("outcomes.parquet")).stream().filter(r -> r.model().equals(model)).toList();
  }

  @Test
  void replaysThroughTheGatewaysAdaptersRetryingA429AfterItsRetryAfterAndA5xx() throws Exception {
    String topic = "adapters";
    log(topic, capitals(5), "q");
    openai.succeed().clearRequests().replyText("Paris.").usage(11, 5);
    anthropic.succeed().clearRequests().replyText("London").usage(13, 7);
    gemini.succeed().clearRequests().replyText("Lyon").usage(17, 9);
    // The first OpenAI call is rate limited with a Retry-After, the first Anthropic call overloaded;
    // the gateway's retry loop answers both on the second attempt. Every Gemini call fails, so the
    // route cheap-first falls back to oa.
    openai.failNext(1, 429, "Rate limit reached for requests", Map.of("retry-after", "1"));
    anthropic.failNext(1, 529, "Overloaded");
    gemini.failWith(503, "The model is overloaded.");
    Path run = dir.resolve("runs/adapters");

    Run r = cli("replay", "--kafka-config", EmbeddedKafka.clientPropertiesFile(kafka.dataDir()).toString(), "--topic", topic, "--candidates", "claude,cheap-first,oa",
        "--grader", "reference", "--config", config(null).toString(), "--max-tokens", "64", "--out", run.toString(),
        "--prices", dir.resolve("no-such-prices.json").toString());

    assertEquals(0, r.code(), r.err() + r.out());
    assertTrue(r.err().contains("warning: --prices applies to --upstream only"), r.err());
    JsonNode summary = JSON.readTree(run.resolve("summary.json").toFile());
    assertEquals(5, summary.get("graded").asInt(), summary.toString());
    assertEquals(0, summary.get("failed").asInt(), summary.toString());
    assertEquals(15, summary.get("total_rows").asInt());
    // Each adapter spoke its provider's wire format, with the replay's max_tokens.
    List<RecordedRequest> toAnthropic = anthropic.requests();
    assertEquals(6, toAnthropic.size(), "5 records + 1 retry after the 529");
    assertTrue(toAnthropic.stream().allMatch(q -> q.path().equals("/v1/messages") && q.body().contains("\"max_tokens\":64")
        && q.body().contains("\"system\":\"Be brief.\"")), toAnthropic.get(0).body());
    List<RecordedRequest> toOpenAi = openai.requests();
    assertEquals(11, toOpenAi.size(), "5 for oa, 5 for cheap-first after gem failed, 1 retry after the 429");
    assertTrue(toOpenAi.stream().allMatch(q -> q.path().equals("/v1/chat/completions") && q.body().contains("\"max_tokens\":64")));
    assertTrue(gemini.requests().stream().allMatch(q -> q.path().contains(":generateContent")), gemini.requests().get(0).path());
    // Grades from each answer; cost at the prices of the deployment that answered (cheap-first: oa's).
    for (RoutingRow row : rowsOf(run, "claude")) {
      assertEquals(0.0, row.quality());
      assertEquals((13 * 3 + 7 * 4) / 1e6, row.costUsd(), 1e-12);
    }
    for (String paris : List.of("oa", "cheap-first")) {
      List<RoutingRow> rows = rowsOf(run, paris);
      assertEquals(5, rows.size());
      for (RoutingRow row : rows) {
        assertEquals(1.0, row.quality());
        assertEquals(11, row.inputTokens());
        assertEquals((11 * 1 + 5 * 2) / 1e6, row.costUsd(), 1e-12);
      }
    }
    assertTrue(r.out().contains("done: 5 records, 5 graded, 15 rows"), r.out());
    gemini.succeed();
  }

  @Test
  void anUnknownCandidateIsABadArgumentBeforeAnythingIsConsumed() throws Exception {
    String topic = "unknown";
    log(topic, capitals(3), "u");
    openai.succeed().clearRequests();
    Path run = dir.resolve("runs/unknown");
    Path cfg = config(null);

    Run r = cli("replay", "--kafka-config", EmbeddedKafka.clientPropertiesFile(kafka.dataDir()).toString(), "--topic", topic, "--candidates", "oa,gpt-5-nonexistent",
        "--grader", "reference", "--config", cfg.toString(), "--out", run.toString());

    assertEquals(2, r.code(), r.err());
    assertTrue(r.err().startsWith("error: --candidates: 'gpt-5-nonexistent' is neither a deployment nor a route of " + cfg
        + " (deployments: oa, claude, gem; routes: cheap-first)"), r.err());
    assertFalse(r.err().contains("\tat ") || r.err().contains("Exception"), "no stack trace: " + r.err());
    assertTrue(openai.requests().isEmpty(), "no candidate was called");
    assertFalse(Files.exists(run.resolve("summary.json")), "nothing was consumed");

    Run judge = cli("replay", "--kafka-config", EmbeddedKafka.clientPropertiesFile(kafka.dataDir()).toString(), "--topic", topic, "--candidates", "oa",
        "--grader", "judge:no-judge", "--config", cfg.toString(), "--out", run.toString());
    assertEquals(2, judge.code());
    assertTrue(judge.err().startsWith("error: --grader: 'no-judge' is neither a deployment nor a route"), judge.err());

    Run both = cli("replay", "--kafka-config", EmbeddedKafka.clientPropertiesFile(kafka.dataDir()).toString(), "--topic", topic, "--candidates", "oa",
        "--grader", "reference", "--config", cfg.toString(), "--upstream", openai.baseUrl(), "--out", run.toString());
    assertEquals(2, both.code());
    assertTrue(both.err().startsWith("error: --config and --upstream are mutually exclusive"), both.err());
    assertFalse(Files.exists(run.resolve("summary.json")), "still nothing consumed");
  }

  @Test
  void keysComeFromTheEnvironmentAndNeverShow() throws Exception {
    String unset = "SWITCHBOARD_TEST_KEY_THAT_IS_NOT_SET_" + ProcessHandle.current().pid();
    Run r = cli("replay", "--kafka-config", EmbeddedKafka.clientPropertiesFile(kafka.dataDir()).toString(), "--topic", "keys", "--candidates", "claude",
        "--grader", "reference", "--config", config(unset).toString(), "--out", dir.resolve("runs/nokey").toString());
    assertEquals(2, r.code(), r.err());
    assertEquals("error: --candidates: 'claude' cannot be called: claude needs $" + unset + ", which is not set\n", r.err());

    // A key the provider refuses: the record fails with the provider's auth error, never the key.
    String topic = "keys";
    log(topic, capitals(2), "k");
    anthropic.succeed().clearRequests().requireApiKey("sk-ant-right-key");
    String wrong = "sk-ant-WRONG-secret-0123456789";
    Path run = dir.resolve("runs/keys");
    try (InProcessGateway gw = InProcessGateway.startConfigFile(config("ANTHROPIC_KEY_VAR"),
        name -> name.equals("ANTHROPIC_KEY_VAR") ? wrong : null, SwitchboardHome.find(), LatencyProfile.NONE)) {
      ReplayOptions o = new ReplayOptions(kafka.connection(), topic, "g-keys", null, false, null, 0, List.of("claude"), 2,
          Double.POSITIVE_INFINITY, 64, run);
      ByteArrayOutputStream out = new ByteArrayOutputStream();
      InProcessCandidateClient client = new InProcessCandidateClient(gw, 64);
      ReplaySummary s = new ReplayRun(o, client, new ReferenceGrader(), client.prices(),
          new PrintStream(out, true, StandardCharsets.UTF_8)).run();
      assertEquals(2, s.failed());
      assertTrue(s.failures().get(0).reason().contains("claude #1 auth (HTTP 401)"), s.failures().get(0).reason());
      assertEquals(wrong, anthropic.lastRequest().header("x-api-key"), "the key went to the provider");
      assertFalse(Files.readString(run.resolve("summary.json")).contains(wrong));
      assertFalse(out.toString(StandardCharsets.UTF_8).contains(wrong));
    } finally {
      anthropic.requireApiKey(null);
    }
  }

  @Test
  void withNeitherConfigNorUpstreamTheEmbeddedRecordedProviderAnswersAndTheRecordedGraderGrades() throws Exception {
    Path home = SwitchboardHome.find();
    RoutingDataset ds = RoutingDatasets.load(home.resolve("datasets/alpacaeval2.parquet"));
    List<String> models = List.of("mixtral-8x7b-instruct-v0.1", "gpt-3.5-turbo-1106", "gpt-4-1106-preview");
    List<RoutingDataset.Prompt> prompts = ds.prompts().stream()
        .filter(p -> models.stream().allMatch(m -> p.quality(m).isPresent())).limit(8).toList();
    String topic = "embedded";
    log(topic, prompts.stream().map(RoutingDataset.Prompt::prompt).toList(), "e");
    Path run = dir.resolve("runs/embedded");

    Run r = cli("replay", "--kafka-config", EmbeddedKafka.clientPropertiesFile(kafka.dataDir()).toString(), "--topic", topic, "--candidates", String.join(",", models),
        "--grader", "recorded", "--out", run.toString()); // datasets and recorded answers from the Switchboard home

    assertEquals(0, r.code(), r.err() + r.out());
    List<RoutingRow> rows = RoutingDatasets.read(run.resolve("outcomes.parquet"));
    assertEquals(8 * 3, rows.size());
    // The embedded defaults' eval-driven route would pick a different model per record: not a candidate.
    Run auto = cli("replay", "--kafka-config", EmbeddedKafka.clientPropertiesFile(kafka.dataDir()).toString(), "--topic", topic, "--candidates", "auto",
        "--grader", "recorded", "--out", dir.resolve("runs/auto").toString());
    assertEquals(2, auto.code());
    assertTrue(auto.err().startsWith("error: --candidates: 'auto' is an eval-driven route; name one of its deployments instead ("),
        auto.err());
    Map<String, RoutingDataset.Prompt> byText = prompts.stream().collect(Collectors.toMap(RoutingDataset.Prompt::prompt, p -> p));
    for (RoutingRow row : rows) {
      RoutingDataset.Prompt p = byText.get(row.prompt());
      assertEquals(p.quality(row.model()).getAsDouble(), row.quality(), 1e-9, row.toString());
      assertTrue(row.outputTokens() > 0 && row.costUsd() > 0, "usage and cost from the recorded answer: " + row);
    }
  }
}
