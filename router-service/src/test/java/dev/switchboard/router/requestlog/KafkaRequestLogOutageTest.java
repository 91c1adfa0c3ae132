package dev.switchboard.router.requestlog;

import static dev.switchboard.router.requestlog.RequestLogTestSupport.await;
import static dev.switchboard.router.requestlog.RequestLogTestSupport.record;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * The request log's failure paths, one send at a time: Kafka's {@code MockProducer} (through
 * {@link FakeKafka}) decides each send's outcome and a clock the test moves decides when a probe or
 * a stall check is due. What is held here is the delivery guarantee of docs/request-log.md: records
 * Kafka acknowledged are never spooled; failed ones are spooled in append order and drained oldest
 * first; a partly failed drain batch re-sends only what Kafka did not acknowledge; a record Kafka
 * wrote although its acknowledgement was lost is found by reconciliation and not sent again. So
 * every request id reaches the topic exactly once.
 */
class KafkaRequestLogOutageTest {

  private static final Duration PROBE = Duration.ofMillis(500);
  private static final Duration WAIT = Duration.ofSeconds(10);

  @TempDir Path dir;
  private final FakeKafka kafka = new FakeKafka();
  /** The log's clock, in nanoseconds: moves only when the test moves it. */
  private final AtomicLong now = new AtomicLong(1_000_000_000L);

  private KafkaRequestLog open() {
    RequestLogConfig config = new RequestLogConfig("fake:9092", "t", 1, dir.resolve("spool"), 64L << 20, 1L << 20,
        SpoolFullPolicy.REFUSE_NEW, CaptureMode.FULL, 1000, Duration.ofSeconds(5), PROBE, Duration.ofSeconds(10),
        Map.of());
    return new KafkaRequestLog(config, kafka, now::get);
  }

  private void append(KafkaRequestLog log, String... ids) {
    for (String id : ids) {
      log.append(record(id, "q", "a"));
    }
  }

  /** Waits until the log's producer number {@code session} has made {@code n} sends, and returns it. */
  private FakeKafka.Session sent(int session, int n) {
    await(() -> kafka.sessions() == session && kafka.session().history().size() >= n, WAIT,
        n + " sends by producer " + session);
    return kafka.session();
  }

  /** Kafka answers again and the probe interval passes on the log's clock. */
  private void kafkaBack() {
    kafka.up();
    now.addAndGet(PROBE.toNanos());
  }

  private static List<String> keys(FakeKafka.Session s) {
    return s.history().stream().map(ProducerRecord::key).toList();
  }

  @Test
  @Timeout(30)
  void append_someSendsFail_onlyTheFailedAreSpooledAndDrainedInAppendOrderWhenKafkaIsBack() {
    try (KafkaRequestLog log = open()) {
      append(log, "r-0", "r-1", "r-2", "r-3");
      FakeKafka.Session first = sent(1, 4);
      kafka.down(); // so the probe after the failures finds nobody
      first.completeNext();
      first.failNext();
      first.completeNext();
      first.failNext();
      await(() -> log.stats().spooling() && log.stats().spooled() == 2, WAIT, "r-1, r-3 spooled, " + log.stats());
      assertEquals(List.of("r-0", "r-2"), kafka.topic(), "acknowledged records are never spooled");
      append(log, "r-4", "r-5");
      await(() -> log.stats().spooled() == 4, WAIT, "new records spooled behind, " + log.stats());

      kafkaBack();
      FakeKafka.Session second = sent(2, 4);
      assertEquals(List.of("r-1", "r-3", "r-4", "r-5"), keys(second), "oldest first");
      while (second.completeNext()) {
        // acknowledge the whole batch
      }
      await(() -> !log.stats().spooling() && log.stats().delivered() == 6, WAIT, "spool drained, " + log.stats());
      RequestLogStats s = log.stats();
      assertEquals(4, s.drainedFromSpool(), s.toString());
      assertEquals(0, s.spoolPending(), s.toString());
      assertEquals(List.of("r-0", "r-2", "r-1", "r-3", "r-4", "r-5"), kafka.topic());
    }
  }

  /**
   * A drain batch where Kafka acknowledges some records and fails others: the spool is committed up
   * to the first failure, the records acknowledged after it are remembered and not sent again, the
   * failed ones are re-sent at the next probe. Each record reaches the topic once; the acknowledged
   * ones stay ahead of the older failed ones (what the design allows: it never re-sends a record to
   * restore order).
   */
  @Test
  @Timeout(30)
  void drain_batchPartlyFails_resendsOnlyWhatKafkaDidNotAcknowledge() {
    kafka.down(); // from the start: everything is spooled, nothing was ever sent
    try (KafkaRequestLog log = open()) {
      append(log, "s-0", "s-1", "s-2", "s-3", "s-4", "s-5");
      await(() -> log.stats().spooled() == 6, WAIT, "6 spooled, " + log.stats());
      assertEquals(0, kafka.sessions());

      kafkaBack();
      FakeKafka.Session first = sent(1, 6);
      first.completeNext();
      first.completeNext();
      first.failNext();
      first.completeNext();
      first.failNext();
      first.completeNext();
      await(() -> log.stats().delivered() == 4 && log.stats().spoolPending() == 4, WAIT,
          "s-0, s-1 committed, s-3, s-5 delivered ahead, " + log.stats());
      assertTrue(log.stats().spooling());
      assertEquals(List.of("s-0", "s-1", "s-3", "s-5"), kafka.topic());

      now.addAndGet(PROBE.toNanos()); // the next probe
      FakeKafka.Session second = sent(2, 2);
      assertEquals(List.of("s-2", "s-4"), keys(second), "what Kafka acknowledged is not sent again");
      second.completeNext();
      second.completeNext();
      await(() -> !log.stats().spooling() && log.stats().spoolPending() == 0, WAIT, "spool drained, " + log.stats());
      RequestLogStats s = log.stats();
      assertEquals(6, s.delivered(), s.toString());
      assertEquals(6, s.drainedFromSpool(), s.toString());
      assertEquals(List.of("s-0", "s-1", "s-3", "s-5", "s-2", "s-4"), kafka.topic());
      assertEquals(Arrays.asList(null, Map.of(0, 0L)), kafka.reads(),
          "the first drain only takes the end offsets as the mark; the second reads on from there");
    }
  }

  /**
   * Kafka wrote {@code l-1} but its acknowledgement was lost (the send timed out). The reconcile mark
   * (the offsets acknowledged when it was sent) is on disk before the record enters the spool; the
   * drain reads the topic from there, finds {@code l-1} and sends only {@code l-2}.
   */
  @Test
  @Timeout(30)
  void send_acknowledgementLost_recordKafkaWroteIsNotSentAgain() {
    Path spoolDir = dir.resolve("spool");
    try (KafkaRequestLog log = open()) {
      append(log, "l-0");
      sent(1, 1).completeNext(); // l-0 at offset 0: acknowledged up to offset 1
      append(log, "l-1", "l-2");
      FakeKafka.Session first = sent(1, 3);
      kafka.down();
      first.writeNextButLoseAck();
      first.failNext();
      await(() -> log.stats().spooling() && log.stats().spooled() == 2, WAIT, "l-1, l-2 spooled, " + log.stats());
      assertEquals(Map.of(0, 1L), ReconcileMark.read(spoolDir));
      assertEquals(List.of("l-0", "l-1"), kafka.topic());

      kafkaBack();
      FakeKafka.Session second = sent(2, 1);
      assertEquals(List.of("l-2"), keys(second), "l-1 is in the topic already");
      second.completeNext();
      await(() -> !log.stats().spooling() && log.stats().spoolPending() == 0, WAIT, "spool drained, " + log.stats());
      RequestLogStats s = log.stats();
      assertEquals(3, s.delivered(), "l-1 counts as delivered, once: " + s);
      assertEquals(2, s.drainedFromSpool(), s.toString());
      assertEquals(List.of(Map.of(0, 1L)), kafka.reads());
      assertEquals(List.of("l-0", "l-1", "l-2"), kafka.topic());
    }
    assertFalse(Files.exists(spoolDir.resolve(ReconcileMark.FILE)), "the mark goes once the spool is empty");
  }

  /**
   * Sends in flight, no acknowledgement for over a second on the log's clock, and nobody listens: the
   * log does not wait out the delivery timeout; it closes the producer (failing the sends) and
   * spools them.
   */
  @Test
  @Timeout(30)
  void send_acknowledgementsStopAndKafkaIsGone_sendsFailAtOnceAndAreSpooled() {
    try (KafkaRequestLog log = open()) {
      append(log, "t-0", "t-1");
      FakeKafka.Session first = sent(1, 2);
      kafka.down();
      now.addAndGet(Duration.ofSeconds(2).toNanos());
      await(() -> log.stats().spooling() && log.stats().spooled() == 2, WAIT, "t-0, t-1 spooled, " + log.stats());
      assertTrue(first.closed());
      assertEquals(List.of(), kafka.topic());
      assertEquals(0, log.stats().delivered());

      kafkaBack();
      FakeKafka.Session second = sent(2, 2);
      assertEquals(List.of("t-0", "t-1"), keys(second));
      second.flush();
      await(() -> !log.stats().spooling() && log.stats().delivered() == 2, WAIT, "delivered, " + log.stats());
    }
    assertEquals(List.of("t-0", "t-1"), kafka.topic());
  }

  @Test
  @Timeout(30)
  void open_spoolLeftByAnEarlierLog_startsSpoolingAndDeliversItFirst() {
    kafka.down();
    try (KafkaRequestLog log = open()) {
      append(log, "old-0", "old-1");
      await(() -> log.stats().spooled() == 2, WAIT, "2 spooled, " + log.stats());
    }
    assertNull(ReconcileMark.read(dir.resolve("spool")), "nothing was ever sent: no mark");
    try (KafkaRequestLog log = open()) {
      assertTrue(log.stats().spooling(), "a non-empty spool is drained before new records");
      append(log, "new-0");
      await(() -> log.stats().spooled() == 1, WAIT, "new-0 spooled behind, " + log.stats());
      kafkaBack();
      FakeKafka.Session first = sent(1, 3);
      assertEquals(List.of("old-0", "old-1", "new-0"), keys(first));
      first.flush();
      await(() -> !log.stats().spooling() && log.stats().delivered() == 3, WAIT, "delivered, " + log.stats());
    }
    assertEquals(List.of("old-0", "old-1", "new-0"), kafka.topic());
  }
}
