package dev.switchboard.router.requestlog;

import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import java.util.function.ToDoubleFunction;

/**
 * Publishes a {@link RequestLog}'s counters to Micrometer. In Prometheus format the names are
 * {@code switchboard_requestlog_appended_total}, {@code switchboard_requestlog_delivered_total},
 * {@code switchboard_requestlog_spooled_total}, {@code switchboard_requestlog_spool_drained_total},
 * {@code switchboard_requestlog_spool_dropped_total}, {@code switchboard_requestlog_spool_refused_total},
 * {@code switchboard_requestlog_queue_dropped_total}, {@code switchboard_requestlog_rejected_total} and the gauges
 * {@code switchboard_requestlog_spool_pending_records}, {@code switchboard_requestlog_spool_bytes},
 * {@code switchboard_requestlog_spooling} (1 while Kafka is unreachable).
 */
public final class RequestLogMetrics {

  private RequestLogMetrics() {}

  public static void bind(MeterRegistry registry, RequestLog log) {
    counter(registry, log, "switchboard_requestlog_appended", "records handed to the request log", s -> s.appended());
    counter(registry, log, "switchboard_requestlog_delivered", "records acknowledged by Kafka", s -> s.delivered());
    counter(registry, log, "switchboard_requestlog_spooled", "records written to the disk spool", s -> s.spooled());
    counter(registry, log, "switchboard_requestlog_spool_drained", "spooled records later delivered", s -> s.drainedFromSpool());
    counter(registry, log, "switchboard_requestlog_spool_dropped", "records deleted from a full spool (drop-oldest)",
        s -> s.spoolDropped());
    counter(registry, log, "switchboard_requestlog_spool_refused", "records a full spool refused (refuse-new)",
        s -> s.spoolRefused());
    counter(registry, log, "switchboard_requestlog_queue_dropped", "records lost to a full in-memory queue",
        s -> s.queueDropped());
    counter(registry, log, "switchboard_requestlog_rejected", "records Kafka can never accept", s -> s.rejected());
    Gauge.builder("switchboard_requestlog_spool_pending", log, l -> l.stats().spoolPending())
        .baseUnit("records").description("records waiting in the spool").register(registry);
    Gauge.builder("switchboard_requestlog_spool", log, l -> l.stats().spoolBytes())
        .baseUnit("bytes").description("size of the spool segment files").register(registry);
    Gauge.builder("switchboard_requestlog_spooling", log, l -> l.stats().spooling() ? 1 : 0)
        .description("1 while Kafka is unreachable and records go to the spool").register(registry);
  }

  private static void counter(MeterRegistry registry, RequestLog log, String name, String help,
      ToDoubleFunction<RequestLogStats> f) {
    FunctionCounter.builder(name, log, l -> f.applyAsDouble(l.stats())).description(help).register(registry);
  }
}
