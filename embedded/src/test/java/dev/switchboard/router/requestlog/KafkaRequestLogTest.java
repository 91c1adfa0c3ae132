package dev.switchboard.router.requestlog;

import static dev.switchboard.router.requestlog.RequestLogTestSupport.JSON;
import static dev.switchboard.router.requestlog.RequestLogTestSupport.await;
import static dev.switchboard.router.requestlog.RequestLogTestSupport.consumeAll;
import static dev.switchboard.router.requestlog.RequestLogTestSupport.record;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.switchboard.router.kafka.EmbeddedKafka;
import dev.switchboard.router.kafka.KafkaConnection;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** The request log against a real in-process broker, including outages. */
class KafkaRequestLogTest {

  @TempDir Path dir;

  private RequestLogConfig config(KafkaConnection bootstrap, String topic) {
    return new RequestLogConfig(bootstrap, topic, 1, dir.resolve("spool"), 64L << 20, 1L << 20,
        SpoolFullPolicy.REFUSE_NEW, CaptureMode.FULL, 10_000, Duration.ofSeconds(3), Duration.ofMillis(300),
        Duration.ofSeconds(15), Map.of());
  }

  @Test
  @Timeout(60)
  void recordsArriveAsSnakeCaseJsonKeyedByRequestIdAndRedacted() throws Exception {
    try (EmbeddedKafka kafka = EmbeddedKafka.start(dir.resolve("kafka"), 0)) {
      RequestLogConfig cfg = config(kafka.connection(), "json-test").withCapture(CaptureMode.REDACTED);
      try (KafkaRequestLog log = new KafkaRequestLog(cfg)) {
        log.append(record("req-1", "mail me at jane.doe@example.com", "call +1 415 555 0100"));
        log.append(record("req-2", "plain question", "plain answer"));
        await(() -> log.stats().delivered() == 2, Duration.ofSeconds(20), "2 deliveries");
      }
      List<ConsumerRecord<String, String>> got = consumeAll(kafka.connection(), "json-test", 2, Duration.ofSeconds(20));
      assertEquals(List.of("req-1", "req-2"), got.stream().map(ConsumerRecord::key).toList());
      JsonNode r = JSON.readTree(got.get(0).value());
      assertEquals(1, r.get("schema_version").asInt());
      assertEquals("req-1", r.get("request_id").asText());
      assertEquals("2026-11-25T12:00:00Z", r.get("time").asText());
      assertEquals("cheap-model", r.get("deployment").asText());
      assertEquals(0.93, r.get("candidates").get(1).get("predicted_quality").asDouble());
      assertEquals("redacted", r.get("capture").asText());
      assertEquals("mail me at [EMAIL]", r.get("messages").get(0).get("content").asText());
      assertEquals("user", r.get("messages").get(0).get("role").asText());
      assertEquals("call [PHONE]", r.get("response").asText());
      assertEquals(34, r.get("usage").get("completion_tokens").asLong());
      assertEquals(10.5, r.get("latency").get("gateway_overhead_ms").asDouble());
      assertEquals("SERVER_ERROR", r.get("attempts").get(0).get("error_kind").asText());
      assertEquals(1, r.get("fallbacks").asInt());
      assertTrue(r.get("error").isNull());
      assertEquals("test", r.get("metadata").get("app").asText());
    }
  }

  /**
   * A 4 MB prompt (the body limit) makes a record over Kafka's 1 MiB limit, which Kafka refuses for
   * good: it is logged anyway, its texts cut around a marker, marked truncated with its full size.
   */
  @Test
  @Timeout(60)
  void aRecordOverTheBrokersLimitIsLoggedCutAndMarked() throws Exception {
    try (EmbeddedKafka kafka = EmbeddedKafka.start(dir.resolve("kafka"), 0)) {
      String huge = "Summarise this log line. ".repeat(4_000_000 / 25);
      try (KafkaRequestLog log = new KafkaRequestLog(config(kafka.connection(), "huge-test"))) {
        log.append(record("req-huge", huge, "short answer"));
        log.append(record("req-small", "plain question", "plain answer"));
        await(() -> log.stats().delivered() == 2, Duration.ofSeconds(30), "2 deliveries");
        assertEquals(0, log.stats().rejected(), "nothing refused for good");
        assertEquals(1, log.truncated());
      }
      List<ConsumerRecord<String, String>> got = consumeAll(kafka.connection(), "huge-test", 2, Duration.ofSeconds(20));
      assertEquals(List.of("req-huge", "req-small"), got.stream().map(ConsumerRecord::key).toList());
      assertTrue(got.get(0).value().length() < 1_000_000, "fits the broker: " + got.get(0).value().length());
      JsonNode r = JSON.readTree(got.get(0).value());
      assertEquals("true", r.at("/metadata/truncated").asText());
      assertTrue(r.at("/metadata/original_bytes").asLong() > 4_000_000, r.at("/metadata").toString());
      String content = r.at("/messages/0/content").asText();
      assertTrue(content.startsWith("Summarise this log line.") && content.contains("characters cut to fit the request log"), content.substring(0, 80));
      assertEquals("short answer", r.get("response").asText(), "short texts are kept whole");
      assertTrue(JSON.readTree(got.get(1).value()).at("/metadata/truncated").isMissingNode());
    }
  }

  @Test
  @Timeout(60)
  void captureNoneKeepsNeitherMessagesNorResponse() throws Exception {
    try (EmbeddedKafka kafka = EmbeddedKafka.start(dir.resolve("kafka"), 0)) {
      RequestLogConfig cfg = config(kafka.connection(), "none-test").withCapture(CaptureMode.NONE);
      try (KafkaRequestLog log = new KafkaRequestLog(cfg)) {
        log.append(record("req-1", "secret sk-abcdefghijklmnopqrstuvwx", "answer"));
      }
      List<ConsumerRecord<String, String>> got = consumeAll(kafka.connection(), "none-test", 1, Duration.ofSeconds(20));
      JsonNode r = JSON.readTree(got.get(0).value());
      assertEquals("none", r.get("capture").asText());
      assertTrue(r.get("messages").isNull());
      assertTrue(r.get("response").isNull());
      assertFalse(got.get(0).value().contains("sk-abc"));
    }
  }

  @Test
  @Timeout(120)
  void brokerOutageDuringTrafficLosesNothingAndDuplicatesNothing() throws Exception {
    Path kafkaDir = dir.resolve("kafka");
    EmbeddedKafka kafka = EmbeddedKafka.start(kafkaDir, 0);
    int port = kafka.port();
    KafkaConnection bootstrap = kafka.connection();
    int total = 600;
    KafkaRequestLog log = new KafkaRequestLog(config(bootstrap, "outage"));
    try {
      for (int i = 0; i < total; i++) {
        log.append(record("r-" + i, "q" + i, "a" + i));
        if (i == 150) {
          await(() -> log.stats().delivered() > 0, Duration.ofSeconds(20), "first deliveries");
          kafka.close(); // outage starts while records are in flight
        }
        if (i == 400) {
          await(() -> log.stats().spooling() && log.stats().spooled() > 0, Duration.ofSeconds(20), "spooling");
          kafka = EmbeddedKafka.start(kafkaDir, port);
        }
      }
      await(() -> log.stats().delivered() == total, Duration.ofSeconds(40), "all " + total + " delivered, stats " + log.stats());
    } finally {
      log.close();
    }
    RequestLogStats s = log.stats();
    assertTrue(s.spooled() > 0, "the outage must have sent records through the spool: " + s);
    assertEquals(s.spooled(), s.drainedFromSpool(), s.toString());
    try {
      List<ConsumerRecord<String, String>> got = consumeAll(bootstrap, "outage", total, Duration.ofSeconds(30));
      assertExactlyOnce(got, "r-", total);
    } finally {
      kafka.close();
    }
  }

  @Test
  @Timeout(120)
  void spoolLeftByAClosedGatewayIsDeliveredFirstByTheNextOne() throws Exception {
    Path kafkaDir = dir.resolve("kafka");
    EmbeddedKafka kafka = EmbeddedKafka.start(kafkaDir, 0);
    int port = kafka.port();
    KafkaConnection bootstrap = kafka.connection();
    try (KafkaRequestLog first = new KafkaRequestLog(config(bootstrap, "restart"))) {
      first.append(record("old-0", "q", "a"));
      await(() -> first.stats().delivered() == 1, Duration.ofSeconds(20), "first delivery");
      kafka.close();
      for (int i = 1; i < 50; i++) {
        first.append(record("old-" + i, "q", "a"));
      }
      first.close();
      RequestLogStats s = first.stats();
      assertEquals(49, s.spoolPending(), "closing while Kafka is down spools the queue: " + s);
    }
    kafka = EmbeddedKafka.start(kafkaDir, port);
    try {
      try (KafkaRequestLog second = new KafkaRequestLog(config(bootstrap, "restart"))) {
        assertTrue(second.stats().spooling(), "a non-empty spool is drained before new records");
        for (int i = 0; i < 10; i++) {
          second.append(record("new-" + i, "q", "a"));
        }
        await(() -> second.stats().delivered() == 59, Duration.ofSeconds(30), "59 deliveries, " + second.stats());
        assertEquals(0, second.stats().spoolPending());
      }
      List<ConsumerRecord<String, String>> got = consumeAll(bootstrap, "restart", 60, Duration.ofSeconds(30));
      List<String> keys = got.stream().map(ConsumerRecord::key).toList();
      List<String> expected = new ArrayList<>();
      for (int i = 0; i < 50; i++) {
        expected.add("old-" + i);
      }
      for (int i = 0; i < 10; i++) {
        expected.add("new-" + i);
      }
      assertEquals(expected, keys, "spooled records first, in order, then the new ones, each once");
    } finally {
      kafka.close();
    }
  }

  @Test
  @Timeout(60)
  void startingWithKafkaDownSpoolsAndDeliversLater() throws Exception {
    int port = EmbeddedKafka.freePort();
    KafkaConnection bootstrap = EmbeddedKafka.connectionFor(dir.resolve("kafka"), port); // the broker starts later
    try (KafkaRequestLog log = new KafkaRequestLog(config(bootstrap, "late"))) {
      for (int i = 0; i < 20; i++) {
        log.append(record("late-" + i, "q", "a"));
      }
      await(() -> log.stats().spooled() == 20, Duration.ofSeconds(20), "20 spooled, " + log.stats());
      try (EmbeddedKafka kafka = EmbeddedKafka.start(dir.resolve("kafka"), port)) {
        await(() -> log.stats().delivered() == 20, Duration.ofSeconds(30), "20 delivered, " + log.stats());
        assertExactlyOnce(consumeAll(bootstrap, "late", 20, Duration.ofSeconds(20)), "late-", 20);
      }
    }
  }

  /**
   * The lost-acknowledgement case made deterministic: Kafka wrote {@code lost-0..4} but the log that
   * sent them never heard back, so they sit in its spool with {@code lost-5..9} and a reconcile mark
   * at the offset after the last acknowledged record. The next drain must send only {@code lost-5..9}.
   */
  @Test
  @Timeout(90)
  void spooledRecordsKafkaAlreadyWroteAreNotSentAgain() throws Exception {
    try (EmbeddedKafka kafka = EmbeddedKafka.start(dir.resolve("kafka"), 0)) {
      KafkaConnection bootstrap = kafka.connection();
      Properties pp = bootstrap.properties();
      pp.put("acks", "all");
      try (KafkaProducer<String, String> p = new KafkaProducer<>(pp, new StringSerializer(), new StringSerializer())) {
        assertEquals(0, p.send(new ProducerRecord<>("lost-acks", "acked-0", "{}")).get(30, TimeUnit.SECONDS).offset());
        for (int i = 0; i < 5; i++) {
          p.send(new ProducerRecord<>("lost-acks", "lost-" + i, "{}")).get(30, TimeUnit.SECONDS);
        }
      }
      Path spoolDir = dir.resolve("spool");
      try (DiskSpool spool = new DiskSpool(spoolDir, 64L << 20, 1L << 20, SpoolFullPolicy.REFUSE_NEW)) {
        for (int i = 0; i < 10; i++) {
          assertTrue(spool.append("lost-" + i, "{}".getBytes(StandardCharsets.UTF_8)));
        }
        spool.sync();
      }
      ReconcileMark.write(spoolDir, Map.of(0, 1L)); // acked-0 (offset 0) was the last acknowledged write

      try (KafkaRequestLog log = new KafkaRequestLog(config(bootstrap, "lost-acks"))) {
        await(() -> log.stats().spoolPending() == 0 && !log.stats().spooling(), Duration.ofSeconds(40),
            "spool drained, " + log.stats());
        RequestLogStats s = log.stats();
        assertEquals(10, s.drainedFromSpool(), "records found in the topic count as delivered from the spool: " + s);
        assertEquals(10, s.delivered(), s.toString());
      }
      assertFalse(Files.exists(spoolDir.resolve(ReconcileMark.FILE)), "the mark goes once the spool is empty");
      List<String> keys = consumeAll(bootstrap, "lost-acks", 11, Duration.ofSeconds(30)).stream()
          .map(ConsumerRecord::key).toList();
      List<String> expected = new ArrayList<>(List.of("acked-0"));
      for (int i = 0; i < 10; i++) {
        expected.add("lost-" + i);
      }
      assertEquals(expected, keys, "each request id once, in order");
    }
  }

  /**
   * Defect 5 of issue #15: a client that reuses {@code x-request-id} values, and a crash during a
   * spool drain after Kafka wrote part of a batch but before the spool committed it. The next
   * process reconciles by the server-generated record id, so it skips exactly the records Kafka
   * holds: nothing lost (matching by request id dropped every record sharing an id with one already
   * written) and nothing duplicated.
   */
  @Test
  @Timeout(120)
  void crashDuringDrainWithReusedClientRequestIdsLosesAndDuplicatesNothing() throws Exception {
    int total = 2000;
    int deliveredBeforeCrash = 700;
    int distinctRequestIds = 7;
    int port = EmbeddedKafka.freePort();
    KafkaConnection bootstrap = EmbeddedKafka.connectionFor(dir.resolve("kafka"), port); // the broker starts later
    Path spoolDir = dir.resolve("spool");
    // Kafka down: everything the gateway logs goes to the spool, each record with its record id.
    try (KafkaRequestLog log = new KafkaRequestLog(config(bootstrap, "reused"))) {
      for (int i = 0; i < total; i++) {
        log.append(record("reused-" + (i % distinctRequestIds), "q" + i, "a" + i));
      }
      await(() -> log.stats().spooled() == total, Duration.ofSeconds(30), total + " spooled, " + log.stats());
    }
    List<SpooledRecord> spooled;
    try (DiskSpool spool = new DiskSpool(spoolDir, 64L << 20, 1L << 20, SpoolFullPolicy.REFUSE_NEW)) {
      spooled = spool.peek(total);
    }
    assertEquals(total, spooled.size());
    assertEquals(total, spooled.stream().map(SpooledRecord::recordId).distinct().count(), "one id per record");

    try (EmbeddedKafka kafka = EmbeddedKafka.start(dir.resolve("kafka"), port)) {
      // The crashed drain: it set the mark at the (empty) topic's end, Kafka wrote the first part of
      // its batch, and the process died before the spool committed any of it.
      ReconcileMark.write(spoolDir, Map.of(0, 0L));
      Properties pp = bootstrap.properties();
      pp.put("acks", "all");
      try (KafkaProducer<String, byte[]> p = new KafkaProducer<>(pp, new StringSerializer(),
          new org.apache.kafka.common.serialization.ByteArraySerializer())) {
        for (SpooledRecord r : spooled.subList(0, deliveredBeforeCrash)) {
          p.send(RecordIds.producerRecord("reused", r.key(), r.recordId(), r.value()));
        }
        p.flush();
      }

      try (KafkaRequestLog log = new KafkaRequestLog(config(bootstrap, "reused"))) {
        await(() -> log.stats().spoolPending() == 0 && !log.stats().spooling(), Duration.ofSeconds(60),
            "spool drained, " + log.stats());
        assertEquals(total, log.stats().drainedFromSpool(), log.stats().toString());
      }
      List<ConsumerRecord<String, String>> got = consumeAll(bootstrap, "reused", total, Duration.ofSeconds(30));
      assertEquals(total, got.size(), "nothing lost, nothing twice");
      List<String> ids = new ArrayList<>();
      Map<String, Integer> perRequestId = new HashMap<>();
      for (ConsumerRecord<String, String> r : got) {
        JsonNode json = JSON.readTree(r.value());
        assertEquals(RecordIds.of(r.headers()), json.get("record_id").asText(), "header and JSON agree");
        assertEquals(r.key(), json.get("request_id").asText(), "the client's request id is still recorded");
        ids.add(json.get("record_id").asText());
        perRequestId.merge(r.key(), 1, Integer::sum);
      }
      assertEquals(spooled.stream().map(SpooledRecord::recordId).toList(), ids, "each spooled record once, in order");
      for (int k = 0; k < distinctRequestIds; k++) {
        assertEquals(total / distinctRequestIds + (k < total % distinctRequestIds ? 1 : 0), perRequestId.get("reused-" + k));
      }
    }
  }

  private static void assertExactlyOnce(List<ConsumerRecord<String, String>> got, String prefix, int total) {
    Map<String, Integer> counts = new HashMap<>();
    got.forEach(r -> counts.merge(r.key(), 1, Integer::sum));
    Set<String> missing = new LinkedHashSet<>();
    for (int i = 0; i < total; i++) {
      if (!counts.containsKey(prefix + i)) {
        missing.add(prefix + i);
      }
    }
    List<String> dups = counts.entrySet().stream().filter(e -> e.getValue() > 1).map(Map.Entry::getKey).toList();
    assertTrue(missing.isEmpty(), "missing: " + missing);
    assertTrue(dups.isEmpty(), "duplicated: " + dups);
    assertEquals(total, got.size());
  }
}
