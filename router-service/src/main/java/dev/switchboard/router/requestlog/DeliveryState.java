package dev.switchboard.router.requestlog;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.function.LongSupplier;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The outage/spool state machine: <b>direct</b> (records go to the producer, see
 * {@link DirectSender}) or <b>spooling</b> (every record goes to the disk spool, behind the older
 * ones, until {@link SpoolDrainer} has emptied it). Direct turns to spooling on an
 * {@link DirectSender.Outage}; spooling turns back to direct when a probe finds Kafka and the
 * drain empties the spool. A spool left non-empty by an earlier process starts the log spooling,
 * so old records are delivered before new ones.
 *
 * <p>Sender thread only, except {@link #spooling()}, read by {@code stats()} from any thread.
 */
final class DeliveryState {

  private static final Logger LOG = LoggerFactory.getLogger(KafkaRequestLog.class);
  private static final long SYNC_EVERY_NANOS = TimeUnit.SECONDS.toNanos(1);

  private final RequestLogConfig config;
  private final KafkaClients kafka;
  private final DiskSpool spool;
  private final ProducerSlot producer;
  private final DirectSender direct;
  private final SpoolDrainer drainer;
  private final Reconciliation reconciliation;
  private final RequestLogCounters counters;
  private final LongSupplier clock;
  /** Records queued since the last look, serialised: spooled ahead of each drain batch. */
  private final Supplier<List<Pending>> arrivals;

  private volatile boolean spooling;
  private long nextProbe;
  private boolean spoolDirty;
  private long lastSync;

  DeliveryState(RequestLogConfig config, KafkaClients kafka, DiskSpool spool, ProducerSlot producer,
      DirectSender direct, SpoolDrainer drainer, Reconciliation reconciliation, RequestLogCounters counters,
      LongSupplier clock, Supplier<List<Pending>> arrivals) {
    this.config = config;
    this.kafka = kafka;
    this.spool = spool;
    this.producer = producer;
    this.direct = direct;
    this.drainer = drainer;
    this.reconciliation = reconciliation;
    this.counters = counters;
    this.clock = clock;
    this.arrivals = arrivals;
    this.spooling = !spool.isEmpty();
    this.nextProbe = clock.getAsLong(); // the first look while spooling probes at once
    this.lastSync = clock.getAsLong();
    counters.refreshSpool(spool);
  }

  /** @return true while Kafka is considered unreachable and records go to the spool */
  boolean spooling() {
    return spooling;
  }

  /**
   * Direct to spooling: lets every in-flight send finish (success or failure, bounded by the
   * delivery timeout; at once if Kafka is gone), spools exactly the failed records plus those never
   * sent, in append order, and drops the producer. Records Kafka acknowledged are never spooled.
   */
  void enter(DirectSender.Outage outage) {
    if (!spooling) {
      LOG.warn("request log: Kafka at {} not reachable; spooling to {}", config.bootstrapServers(), config.spoolDir());
    }
    if (outage.kafkaGone()) {
      // Kafka is gone: closing the producer now fails every in-flight send (they could only time out).
      producer.close();
    }
    direct.awaitInFlight();
    producer.close();
    List<Pending> toSpool = new ArrayList<>(outage.notSent());
    Map<Integer, Long> uncertainFrom = null;
    for (DirectSender.Failed f : direct.takeFailures()) {
      toSpool.add(f.pending());
      uncertainFrom = ReconcileMark.min(uncertainFrom, f.ackedAtSend());
    }
    toSpool.sort(Comparator.comparingLong(Pending::seq));
    spooling = true;
    if (uncertainFrom != null) {
      reconciliation.uncertainFrom(uncertainFrom);
    }
    spool(toSpool);
  }

  /** Appends to the spool (a full spool drops or refuses as its policy says). */
  void spool(List<Pending> records) {
    for (Pending p : records) {
      if (spool.append(p.key(), p.recordId(), p.value())) {
        counters.spooled.incrementAndGet();
        spoolDirty = true;
      }
    }
    counters.refreshSpool(spool);
  }

  /** While spooling, every probe interval: if a broker answers, drain; an empty spool means direct again. */
  void probeAndDrain() {
    long now = clock.getAsLong();
    if (now - nextProbe < 0) {
      return;
    }
    nextProbe = now + config.probeInterval().toNanos();
    if (kafka.reachable() && drainer.drain(() -> spool(arrivals.get()))) {
      spooling = false;
      LOG.info("request log: Kafka reachable again; spool drained");
    }
  }

  /** fsyncs the spool at most once a second while records are being spooled. */
  void syncIfDue() {
    long now = clock.getAsLong();
    if (spoolDirty && now - lastSync >= SYNC_EVERY_NANOS) {
      spool.sync();
      spoolDirty = false;
      lastSync = now;
    }
  }

  /** The sender is done: closes the producer and the spool (which syncs it). */
  void close() {
    producer.close();
    try {
      spool.close();
    } catch (RuntimeException e) {
      LOG.warn("request log: closing the spool failed: {}", e.getMessage());
    }
    counters.refreshSpool(spool);
  }
}
