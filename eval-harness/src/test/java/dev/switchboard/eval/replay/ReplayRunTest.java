package dev.switchboard.eval.replay;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.switchboard.dataset.RoutingRow;
import dev.switchboard.dataset.parquet.RoutingDatasets;
import dev.switchboard.router.kafka.EmbeddedKafka;
import dev.switchboard.router.requestlog.CaptureMode;
import dev.switchboard.router.requestlog.KafkaRequestLog;
import dev.switchboard.router.requestlog.RequestLogConfig;
import dev.switchboard.router.requestlog.RequestLogRecord;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.stream.Collectors;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** Replay end to end: a real broker, request log records written by the real request log, a real HTTP upstream. */
@Timeout(120)
class ReplayRunTest {

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

  private void produceRaw(String topic, String key, String value) throws Exception {
    Properties p = new Properties();
    p.putAll(kafka.connection().asMap());
    try (KafkaProducer<String, String> prod = new KafkaProducer<>(p, new StringSerializer(), new StringSerializer())) {
      prod.send(new ProducerRecord<>(topic, key, value)).get();
    }
  }

  private long committedOffset(String group, String topic) {
    Properties p = new Properties();
    p.putAll(kafka.connection().asMap());
    p.put("group.id", group);
    try (var c = new org.apache.kafka.clients.consumer.KafkaConsumer<>(p, new org.apache.kafka.common.serialization.StringDeserializer(),
        new org.apache.kafka.common.serialization.StringDeserializer())) {
      var tp = new org.apache.kafka.common.TopicPartition(topic, 0);
      var om = c.committed(java.util.Set.of(tp)).get(tp);
      return om == null ? 0 : om.offset();
    }
  }

  private ReplayOptions options(String topic, Path run, double cap) {
    return new ReplayOptions(kafka.connection(), topic, "g-" + topic, null, false, null, 0,
        List.of("bad", "good"), 2, cap, 64, run);
  }

  private static final PrintStream QUIET = new PrintStream(new ByteArrayOutputStream(), true, StandardCharsets.UTF_8);

  private static CandidateClient client() {
    return new OpenAiHttpCandidateClient(upstream.baseUrl(), null, 64, Duration.ofSeconds(10));
  }

  private static Map<String, Long> rowsPerRequest(List<RoutingRow> rows) {
    return rows.stream().collect(Collectors.groupingBy(RoutingRow::promptId, Collectors.counting()));
  }

  @Test
  void aRunCrashedBetweenWritingAndCommittingResumesWithoutDuplicates() throws Exception {
    String topic = "crash";
    log(topic, 30);
    Path run = dir.resolve("runs/crash");
    ReplayRun first = new ReplayRun(options(topic, run, Double.POSITIVE_INFINITY), client(), new ReferenceGrader(),
        PriceBook.free(), QUIET);
    int[] segmentsWritten = {0};
    first.afterSegmentWritten = () -> {
      if (++segmentsWritten[0] == 2) {
        throw new IllegalStateException("simulated crash after the segment, before the commit");
      }
    };
    assertThrows(IllegalStateException.class, first::run);
    assertFalse(Files.exists(run.resolve("outcomes.parquet")), "the crashed run wrote no final outputs");
    int doneBefore = rowsPerRequest(new OutcomeSegments(run).rows()).size();
    long committed = committedOffset("g-" + topic, topic);
    assertTrue(committed < doneBefore, "the crash lost the second segment's commit: " + committed + " vs " + doneBefore);

    ReplaySummary s = new ReplayRun(options(topic, run, Double.POSITIVE_INFINITY), client(), new ReferenceGrader(),
        PriceBook.free(), QUIET).run();
    assertEquals(doneBefore - committed, s.skippedAlreadyDone(), "the segment whose commit was lost is skipped: " + s);
    assertEquals(30 - doneBefore, s.consumed());
    List<RoutingRow> rows = RoutingDatasets.read(run.resolve("outcomes.parquet"));
    Map<String, Long> perRequest = rowsPerRequest(rows);
    assertEquals(30, perRequest.size(), "every request once");
    assertTrue(perRequest.values().stream().allMatch(c -> c == 2), "one row per candidate, no duplicates: " + perRequest);
    for (RoutingRow r : rows) {
      assertEquals(r.model().equals("good") ? 1.0 : 0.0, r.quality(), r.toString());
      assertEquals("Capital of France? #" + r.promptId().substring(2), r.prompt());
      assertEquals(FakeOpenAiUpstream.promptTokens(JSON.readTree("[{\"role\":\"system\",\"content\":\"Be brief.\"},"
          + "{\"role\":\"user\",\"content\":\"" + r.prompt() + "\"}]")), r.inputTokens());
      assertEquals("geo", r.category());
      assertEquals("replay:crash", r.source());
    }
    assertEquals(60, s.totalRows());
    // A third run finds nothing new.
    ReplaySummary again = new ReplayRun(options(topic, run, Double.POSITIVE_INFINITY), client(), new ReferenceGrader(),
        PriceBook.free(), QUIET).run();
    assertEquals(0, again.consumed());
    assertEquals(60, RoutingDatasets.read(run.resolve("outcomes.parquet")).size());
  }

  @Test
  void poisonRecordsAreSkippedCountedAndListed() throws Exception {
    String topic = "poison";
    log(topic, 3);
    produceRaw(topic, "bad-json", "{not json");
    produceRaw(topic, "v2", "{\"schema_version\": 2, \"request_id\": \"v2\"}");
    produceRaw(topic, "none", "{\"schema_version\": 1, \"request_id\": \"none\", \"messages\": null}");
    Path run = dir.resolve("runs/poison");
    ReplaySummary s = new ReplayRun(options(topic, run, Double.POSITIVE_INFINITY), client(), new ReferenceGrader(),
        PriceBook.free(), QUIET).run();
    assertEquals(3, s.graded());
    assertEquals(3, s.poison());
    assertEquals(List.of("bad-json", "v2", "none"), s.poisonRecords().stream().map(ReplaySummary.Problem::requestId).toList());
    assertTrue(s.poisonRecords().get(0).reason().startsWith("not JSON"), s.poisonRecords().toString());
    assertTrue(s.poisonRecords().get(1).reason().contains("schema_version 2"));
    JsonNode summary = JSON.readTree(run.resolve("summary.json").toFile());
    assertEquals(3, summary.get("poison").asInt());
    assertEquals(3, summary.get("poison_records").size());
    assertEquals(6, RoutingDatasets.read(run.resolve("outcomes.parquet")).size());
  }

  /**
   * Records a replay cannot re-ask are skipped and counted, not replayed: a replay's own calls
   * (metadata.replay_run) and records the gateway cut to fit the broker (metadata.truncated; here
   * a 4 MB prompt through the real request log), and answers the gateway served from its response cache
   * (metadata.cache = hit or semantic-hit, issue #16: a repeat of a prompt already logged when it was first answered).
   */
  @Test
  void replayTrafficAndCutRecordsAreSkippedAndCounted() throws Exception {
    String topic = "skips";
    log(topic, 2);
    RequestLogConfig cfg = RequestLogConfig.defaults(kafka.connection(), dir.resolve("spool-skips-2"))
        .withTopic(topic).withCapture(CaptureMode.FULL);
    try (KafkaRequestLog log = new KafkaRequestLog(cfg)) {
      JsonNode huge = JSON.createArrayNode().add(JSON.createObjectNode().put("role", "user").put("content", "x ".repeat(2_000_000)));
      log.append(new RequestLogRecord(1, "huge", Instant.now().toString(), "default", "auto", "good", List.of(), 0.3, "v1", null,
          huge, "ok", new RequestLogRecord.Tokens(10, 2), 0.0, null, 200, List.of(), 0, null, null, Map.of("reference", "ok")));
      JsonNode m = JSON.createArrayNode().add(JSON.createObjectNode().put("role", "user").put("content", "graded by a replay"));
      log.append(new RequestLogRecord(1, "own", Instant.now().toString(), "default", "good", "good", List.of(), null, null, null,
          m, "ok", new RequestLogRecord.Tokens(10, 2), 0.0, null, 200, List.of(), 0, null, null, Map.of("replay_run", "r1")));
      JsonNode again = JSON.createArrayNode().add(JSON.createObjectNode().put("role", "user").put("content", "asked twice"));
      log.append(new RequestLogRecord(1, "cached", Instant.now().toString(), "default", "default", null, List.of(), null, null, null,
          again, "ok", new RequestLogRecord.Tokens(0, 0), 0.0, null, 200, List.of(), 0, null, null,
          Map.of("cache", "semantic-hit", "cache_saved_usd", "0.00100000", "reference", "ok")));
      log.append(new RequestLogRecord(1, "cached-miss", Instant.now().toString(), "default", "default", "good", List.of(), null, null,
          null, again, "ok", new RequestLogRecord.Tokens(10, 2), 0.0, null, 200, List.of(), 0, null, null,
          Map.of("cache", "miss", "reference", "ok")));
    }
    Path run = dir.resolve("runs/skips");
    ReplaySummary s = new ReplayRun(options(topic, run, Double.POSITIVE_INFINITY), client(), new ReferenceGrader(),
        PriceBook.free(), QUIET).run();
    assertEquals(6, s.consumed());
    assertEquals(3, s.graded(), "a cache miss is a fresh answer, graded like any other");
    assertEquals(1, s.skippedTruncated());
    assertEquals(1, s.skippedReplayTraffic());
    assertEquals(1, s.skippedCacheHits());
    assertTrue(s.message().contains("1 records were answered from the response cache"), s.message());
    assertTrue(s.message().contains("1 records were logged cut to fit the broker"), s.message());
    assertEquals(1, JSON.readTree(run.resolve("summary.json").toFile()).get("skipped_truncated").asInt());
  }

  @Test
  void theSpendCapStopsTheRunAndARerunWithAHigherCapFinishesIt() throws Exception {
    String topic = "spend";
    log(topic, 20);
    Path run = dir.resolve("runs/spend");
    // $1 per token: a call costs ~13 + 10 tokens actually; the reservation bound is (prompt bytes + 16) + 64 per candidate.
    PriceBook dollarPerToken = (d, in, out) -> in + out;
    int before = upstream.calls("good");
    ByteArrayOutputStream printed = new ByteArrayOutputStream();
    ReplaySummary s = new ReplayRun(options(topic, run, 400), client(), new ReferenceGrader(), dollarPerToken,
        new PrintStream(printed, true, StandardCharsets.UTF_8)).run();
    assertTrue(s.stoppedBySpendCap(), s.toString());
    assertTrue(s.spentUsd() <= 400, "the cap is hard: " + s.spentUsd());
    assertTrue(s.graded() > 0 && s.graded() < 20, s.toString());
    assertEquals(s.graded(), upstream.calls("good") - before, "no call beyond the records kept");
    String text = printed.toString(StandardCharsets.UTF_8);
    assertTrue(text.contains("spend <= $400.0000 (the cap"), text);
    assertTrue(text.contains("spend cap reached"), text);

    ReplaySummary rest = new ReplayRun(options(topic, run, 1e9), client(), new ReferenceGrader(), dollarPerToken, QUIET).run();
    assertFalse(rest.stoppedBySpendCap());
    assertEquals(20 - s.graded(), rest.graded());
    Map<String, Long> perRequest = rowsPerRequest(RoutingDatasets.read(run.resolve("outcomes.parquet")));
    assertEquals(20, perRequest.size());
    assertTrue(perRequest.values().stream().allMatch(c -> c == 2));
  }

  /**
   * Issue #17: the spend printed before a run bounds what it spends ("estimated spend <= $1.03" was followed by $2.94
   * spent): it comes from each record's prompt, not an assumed prompt size, and a longer prompt raises it.
   */
  @Test
  void thePrintedSpendBoundsWhatTheRunSpends() throws Exception {
    String topic = "bound";
    log(topic, 12);
    PriceBook dollarPerToken = (d, in, out) -> in + out;
    ByteArrayOutputStream printed = new ByteArrayOutputStream();
    ReplaySummary s = new ReplayRun(options(topic, dir.resolve("runs/bound"), Double.POSITIVE_INFINITY), client(), new ReferenceGrader(),
        dollarPerToken, new PrintStream(printed, true, StandardCharsets.UTF_8)).run();
    String text = printed.toString(StandardCharsets.UTF_8);
    java.util.regex.Matcher m = java.util.regex.Pattern.compile("replay: 12 records x 2 candidates; spend <= \\$([0-9.]+) \\(").matcher(text);
    assertTrue(m.find(), text);
    double bound = Double.parseDouble(m.group(1));
    assertTrue(s.spentUsd() > 0, s.toString());
    assertTrue(s.spentUsd() <= bound, "spent " + s.spentUsd() + " <= printed " + bound);
    assertEquals(bound, s.estimatedMaxUsd(), 1e-3);
    assertTrue(bound < 20 * s.spentUsd(), "a bound, not a scare: " + bound + " for " + s.spentUsd());
  }

  @Test
  void fromAndUntilSelectRecordsByTime() throws Exception {
    String topic = "window";
    log(topic, 4); // q-0..q-3, delivered (so stamped) before log() returns
    // The cut is the next millisecond (Kafka's timestamps are milliseconds); the late records are
    // sent once the clock has passed it, so they are stamped after it.
    Instant cut = Instant.ofEpochMilli(System.currentTimeMillis() + 1);
    org.awaitility.Awaitility.await().atMost(java.time.Duration.ofSeconds(1)).pollInterval(java.time.Duration.ofMillis(1))
        .until(() -> System.currentTimeMillis() > cut.toEpochMilli());
    RequestLogConfig cfg = RequestLogConfig.defaults(kafka.connection(), dir.resolve("spool-window-2"))
        .withTopic(topic);
    try (KafkaRequestLog log = new KafkaRequestLog(cfg)) {
      for (int i = 0; i < 3; i++) {
        log.append(RequestLogRecord.builder("late-" + i)
            .messages(JSON.createArrayNode().add(JSON.createObjectNode().put("role", "user").put("content", "late " + i)))
            .metadata(Map.of("reference", "Paris")).build());
      }
    }
    Path before = dir.resolve("runs/before");
    ReplaySummary untilCut = new ReplayRun(new ReplayOptions(kafka.connection(), topic, "g-until", null, false, cut, 0,
        List.of("bad", "good"), 2, Double.POSITIVE_INFINITY, 64, before), client(), new ReferenceGrader(), PriceBook.free(), QUIET).run();
    assertEquals(4, untilCut.graded());
    assertEquals(java.util.Set.of("q-0", "q-1", "q-2", "q-3"),
        rowsPerRequest(RoutingDatasets.read(before.resolve("outcomes.parquet"))).keySet());
    Path after = dir.resolve("runs/after");
    ReplaySummary fromCut = new ReplayRun(new ReplayOptions(kafka.connection(), topic, "g-from", cut, false, null, 0,
        List.of("bad", "good"), 2, Double.POSITIVE_INFINITY, 64, after), client(), new ReferenceGrader(), PriceBook.free(), QUIET).run();
    assertEquals(3, fromCut.graded());
    assertEquals(java.util.Set.of("late-0", "late-1", "late-2"),
        rowsPerRequest(RoutingDatasets.read(after.resolve("outcomes.parquet"))).keySet());
  }

  @Test
  void aFailingCandidateIsCountedAndTheRecordHasNoRows() throws Exception {
    String topic = "failing";
    log(topic, 2);
    Path run = dir.resolve("runs/failing");
    ReplayOptions o = new ReplayOptions(kafka.connection(), topic, "g-" + topic, null, false, null, 0,
        List.of("good", "broken"), 2, Double.POSITIVE_INFINITY, 64, run);
    ReplaySummary s = new ReplayRun(o, client(), new ReferenceGrader(), PriceBook.free(), QUIET).run();
    assertEquals(2, s.failed());
    assertTrue(s.failures().get(0).reason().contains("HTTP 500"), s.failures().toString());
    assertEquals(0, s.totalRows());
  }

  @Test
  void theJudgeScoresAgainstTheStrongestCandidate() throws Exception {
    String topic = "judge";
    log(topic, 2);
    Path run = dir.resolve("runs/judge");
    Map<String, Integer> seen = new HashMap<>();
    JudgeGrader judge = new JudgeGrader(client(), "judge", "good", a -> 0.0);
    ReplaySummary s = new ReplayRun(options(topic, run, Double.POSITIVE_INFINITY), client(), judge, PriceBook.free(), QUIET).run();
    assertEquals(2, s.graded());
    assertEquals("judge:judge", s.grader());
    List<RoutingRow> rows = RoutingDatasets.read(run.resolve("outcomes.parquet"));
    assertTrue(rows.stream().allMatch(r -> r.quality() == 1.0), "Score: 10 maps to 1.0");
    seen.put("judge", upstream.calls("judge"));
    assertTrue(seen.get("judge") >= 4, "one judge call per candidate and record");
  }
}
