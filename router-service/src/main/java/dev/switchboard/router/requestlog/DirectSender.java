package dev.switchboard.router.requestlog;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.LongSupplier;
import org.apache.kafka.clients.producer.BufferExhaustedException;
import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Direct mode: hands records to the producer and keeps the books on the sends in flight, so the
 * sender notices when Kafka stops taking them. It never spools; it reports an {@link Outage} and
 * {@link DeliveryState} moves to spooling, collecting the failures with {@link #takeFailures()}.
 *
 * <p>Threads: {@link #send}, {@link #check}, {@link #awaitInFlight} and {@link #takeFailures} run on
 * the sender thread; the send callbacks run on the producer's I/O thread and only touch the atomic
 * and volatile fields below.
 */
final class DirectSender {

  private static final Logger LOG = LoggerFactory.getLogger(KafkaRequestLog.class);
  /** No acknowledgement for this long with sends in flight: check whether Kafka is still there. */
  private static final long STALL_NANOS = TimeUnit.SECONDS.toNanos(1);

  /**
   * Direct mode must end.
   *
   * @param notSent records not handed to the producer, in append order
   * @param kafkaGone nobody listens: fail the sends in flight at once instead of waiting them out
   */
  record Outage(List<Pending> notSent, boolean kafkaGone) {}

  /**
   * A send that failed: Kafka may still have written it (a lost acknowledgement). If it did, it
   * sits at or after {@code ackedAtSend}, the acknowledged offsets when it was sent.
   */
  record Failed(Pending pending, Map<Integer, Long> ackedAtSend) {}

  private final String topic;
  private final Path spoolDir;
  private final long deliveryTimeoutNanos;
  private final KafkaClients kafka;
  private final ProducerSlot producer;
  private final AckedOffsets acked;
  private final RequestLogCounters counters;
  private final LongSupplier clock;

  private final ConcurrentLinkedQueue<Failed> failed = new ConcurrentLinkedQueue<>();
  private volatile boolean failureSeen;
  /** Sends whose callback has not run yet. */
  private final AtomicInteger inFlight = new AtomicInteger();
  /** Last time a send was acknowledged, or in-flight went from 0 to 1. */
  private volatile long lastProgressNanos;

  DirectSender(RequestLogConfig config, KafkaClients kafka, ProducerSlot producer, AckedOffsets acked,
      RequestLogCounters counters, LongSupplier clock) {
    this.topic = config.topic();
    this.spoolDir = config.spoolDir();
    this.deliveryTimeoutNanos = config.deliveryTimeout().toNanos();
    this.kafka = kafka;
    this.producer = producer;
    this.acked = acked;
    this.counters = counters;
    this.clock = clock;
    this.lastProgressNanos = clock.getAsLong();
  }

  /**
   * Hands {@code pending} to the producer, in order.
   *
   * @return null if every record was handed over, else why direct mode must end and what was not sent
   */
  Outage send(List<Pending> pending) {
    if (!producer.isOpen() && !kafka.reachable()) {
      // No producer yet (start, or after an outage) and nobody listening: don't wait for timeouts.
      return new Outage(pending, false);
    }
    Producer<String, byte[]> p = producer.open();
    boolean blocked = false;
    long blockedSince = 0;
    for (int i = 0; i < pending.size(); i++) {
      Pending rec = pending.get(i);
      if (failureSeen) {
        return new Outage(pending.subList(i, pending.size()), false);
      }
      try {
        if (inFlight.getAndIncrement() == 0) {
          lastProgressNanos = clock.getAsLong();
        }
        Map<Integer, Long> ackedAtSend = acked.snapshot();
        p.send(RecordIds.producerRecord(topic, rec.key(), rec.recordId(), rec.value()), (md, err) -> completed(rec, ackedAtSend, md, err));
        blocked = false;
      } catch (RuntimeException e) {
        inFlight.decrementAndGet();
        // Buffer full (Kafka slower than traffic) or no metadata within max.block.ms (new topic,
        // busy broker, or Kafka gone). Retry while Kafka answers, up to the delivery timeout.
        long now = clock.getAsLong();
        if (!blocked) {
          blocked = true;
          blockedSince = now;
        }
        if (now - blockedSince < deliveryTimeoutNanos && kafka.reachable()) {
          if (e instanceof BufferExhaustedException) {
            producer.flush();
          }
          i--;
          continue;
        }
        LOG.warn("request log: Kafka unavailable ({}); spooling to {}", e.getMessage(), spoolDir);
        return new Outage(pending.subList(i, pending.size()), true);
      }
    }
    return null;
  }

  /** Producer I/O thread: one send's outcome. */
  private void completed(Pending rec, Map<Integer, Long> ackedAtSend, RecordMetadata md, Exception err) {
    if (err == null) {
      acked.note(md);
      counters.delivered.incrementAndGet();
      lastProgressNanos = clock.getAsLong();
    } else if (ProducerSlot.isPermanent(err)) {
      counters.rejected.incrementAndGet();
      LOG.warn("request log: Kafka refused record {} for good: {}", rec.key(), err.toString());
    } else {
      failed.add(new Failed(rec, ackedAtSend));
      failureSeen = true;
    }
    inFlight.decrementAndGet();
  }

  /**
   * Between sends: has a send failed, or have acknowledgements stopped while nobody listens?
   *
   * @return null while direct mode can go on
   */
  Outage check() {
    if (failureSeen) {
      return new Outage(List.of(), false);
    }
    if (stalled()) {
      if (!kafka.reachable()) {
        // Acks stopped and nobody listens: don't wait out the delivery timeout.
        return new Outage(List.of(), true);
      }
      lastProgressNanos = clock.getAsLong(); // slow, not gone: check again in a while
    }
    return null;
  }

  /** @return whether a send failed since the last {@link #takeFailures()} */
  boolean failureSeen() {
    return failureSeen;
  }

  /** In-flight sends but no acknowledgement for a while. */
  private boolean stalled() {
    return inFlight.get() > 0 && clock.getAsLong() - lastProgressNanos > STALL_NANOS;
  }

  /** Waits for every send's callback; gives up early if Kafka stops answering. */
  void awaitInFlight() {
    long deadline = clock.getAsLong() + deliveryTimeoutNanos + TimeUnit.SECONDS.toNanos(1);
    while (inFlight.get() > 0 && clock.getAsLong() < deadline) {
      if (stalled()) {
        if (!kafka.reachable()) {
          producer.close(); // fails the in-flight callbacks at once
        }
        lastProgressNanos = clock.getAsLong();
      }
      sleepQuietly(2);
    }
  }

  /**
   * Call after {@link #awaitInFlight()}: no callback runs any more.
   *
   * @return the failed sends so far, in completion order; clears {@link #failureSeen()}
   */
  List<Failed> takeFailures() {
    List<Failed> out = new ArrayList<>();
    for (Failed f; (f = failed.poll()) != null; ) {
      out.add(f);
    }
    failureSeen = false;
    return out;
  }

  private static void sleepQuietly(long ms) {
    try {
      Thread.sleep(ms);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
