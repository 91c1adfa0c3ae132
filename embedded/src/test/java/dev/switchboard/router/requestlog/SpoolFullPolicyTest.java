package dev.switchboard.router.requestlog;

import static dev.switchboard.router.requestlog.RequestLogTestSupport.await;
import static dev.switchboard.router.requestlog.RequestLogTestSupport.record;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.switchboard.router.kafka.EmbeddedKafka;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** A full spool while Kafka is unreachable, through the whole request log and its metrics. */
class SpoolFullPolicyTest {

  @TempDir Path dir;

  private KafkaRequestLog unreachable(SpoolFullPolicy policy) {
    String nobody = "127.0.0.1:" + EmbeddedKafka.freePort();
    // ~1.5 KB per serialised record: 8 KB holds a handful, 4 KB segments.
    return new KafkaRequestLog(new RequestLogConfig(nobody, "t", 1, dir.resolve("spool"), 8192, 4096, policy,
        CaptureMode.FULL, 1000, Duration.ofSeconds(1), Duration.ofSeconds(30), Duration.ofSeconds(10), Map.of()));
  }

  @Test
  @Timeout(30)
  void refuseNewCountsRefusedRecordsInTheMetrics() throws Exception {
    SimpleMeterRegistry registry = new SimpleMeterRegistry();
    try (KafkaRequestLog log = unreachable(SpoolFullPolicy.REFUSE_NEW)) {
      RequestLogMetrics.bind(registry, log);
      for (int i = 0; i < 40; i++) {
        log.append(record("r-" + i, "x".repeat(1000), "y"));
      }
      await(() -> log.stats().spooled() + log.stats().spoolRefused() == 40, Duration.ofSeconds(20), "40 handled");
      RequestLogStats s = log.stats();
      assertTrue(s.spoolRefused() > 0, s.toString());
      assertEquals(s.spooled(), s.spoolPending(), "refuse-new keeps what it has: " + s);
      assertEquals(s.spoolRefused(), registry.get("switchboard_requestlog_spool_refused").functionCounter().count());
      assertEquals(0, registry.get("switchboard_requestlog_spool_dropped").functionCounter().count());
      assertEquals(1, registry.get("switchboard_requestlog_spooling").gauge().value());
      assertTrue(s.spoolBytes() <= 8192);
    }
  }

  @Test
  @Timeout(30)
  void dropOldestKeepsTheNewestAndCountsDroppedRecords() throws Exception {
    SimpleMeterRegistry registry = new SimpleMeterRegistry();
    try (KafkaRequestLog log = unreachable(SpoolFullPolicy.DROP_OLDEST)) {
      RequestLogMetrics.bind(registry, log);
      for (int i = 0; i < 40; i++) {
        log.append(record("r-" + i, "x".repeat(1000), "y"));
      }
      await(() -> log.stats().spooled() == 40, Duration.ofSeconds(20), "40 spooled");
      RequestLogStats s = log.stats();
      assertEquals(0, s.spoolRefused());
      assertEquals(40, s.spoolPending() + s.spoolDropped(), s.toString());
      assertTrue(s.spoolDropped() > 0);
      assertEquals(s.spoolDropped(), registry.get("switchboard_requestlog_spool_dropped").functionCounter().count());
    }
  }

  @Test
  void policyNamesParse() {
    assertEquals(SpoolFullPolicy.DROP_OLDEST, SpoolFullPolicy.parse("drop-oldest"));
    assertEquals(SpoolFullPolicy.REFUSE_NEW, SpoolFullPolicy.parse(" Refuse-New "));
    assertThrows(IllegalArgumentException.class, () -> SpoolFullPolicy.parse("drop-newest"));
  }
}
