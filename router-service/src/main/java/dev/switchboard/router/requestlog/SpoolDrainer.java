package dev.switchboard.router.requestlog;

import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicIntegerArray;
import java.util.function.BooleanSupplier;
import java.util.function.LongSupplier;
import org.apache.kafka.clients.producer.BufferExhaustedException;
import org.apache.kafka.clients.producer.Producer;

/**
 * Delivers the spool oldest first, in batches, once Kafka answers again. A batch is committed in
 * the spool only up to its first record Kafka did not acknowledge; records acknowledged after that
 * one are remembered and skipped on the retry (within this process), and records reconciliation
 * found in the topic are dropped instead of sent. So nothing is lost and (records are matched by
 * their server-generated record id, whatever request ids clients reuse) nothing is written twice; a partly failed batch can leave a record that Kafka acknowledged ahead
 * of an older one that failed (the older one is sent again, behind it). Sender thread only, except
 * the send callbacks (producer I/O thread), which touch only the batch's latch and flags.
 */
final class SpoolDrainer {

  static final int BATCH = 500;
  /** No acknowledgement for this long: check whether Kafka is still there. */
  private static final long STALL_NANOS = TimeUnit.SECONDS.toNanos(1);

  private final String topic;
  private final long deliveryTimeoutNanos;
  private final KafkaClients kafka;
  private final DiskSpool spool;
  private final ProducerSlot producer;
  private final AckedOffsets acked;
  private final Reconciliation reconciliation;
  private final RequestLogCounters counters;
  private final LongSupplier clock;
  private final BooleanSupplier closing;
  /** Spool positions (record ends) acknowledged by Kafka in a partly failed drain batch. */
  private final Set<DiskSpool.Position> deliveredAhead = new HashSet<>();

  SpoolDrainer(RequestLogConfig config, KafkaClients kafka, DiskSpool spool, ProducerSlot producer,
      AckedOffsets acked, Reconciliation reconciliation, RequestLogCounters counters, LongSupplier clock,
      BooleanSupplier closing) {
    this.topic = config.topic();
    this.deliveryTimeoutNanos = config.deliveryTimeout().toNanos();
    this.kafka = kafka;
    this.spool = spool;
    this.producer = producer;
    this.acked = acked;
    this.reconciliation = reconciliation;
    this.counters = counters;
    this.clock = clock;
    this.closing = closing;
  }

  /**
   * Drains until the spool is empty, Kafka fails again or the log closes.
   *
   * @param beforeBatch spools whatever arrived meanwhile, so it goes behind the spooled records
   * @return true if the spool is empty (back to direct sends)
   */
  boolean drain(Runnable beforeBatch) {
    producer.open();
    boolean reconciled = false;
    while (true) {
      beforeBatch.run();
      if (spool.isEmpty()) {
        deliveredAhead.clear();
        reconciliation.spoolEmptied();
        return true;
      }
      if (!reconciled) {
        if (!reconciliation.catchUp()) {
          producer.close(); // go on at the next probe; never drain before reconciling
          return false;
        }
        reconciled = true;
      }
      if (!sendBatch(spool.peek(BATCH)) || closing.getAsBoolean()) {
        return false;
      }
    }
  }

  /** Sends one batch and commits what Kafka took; returns false if any of it failed. */
  private boolean sendBatch(List<SpooledRecord> recs) {
    int n = recs.size();
    // Written by the producer's I/O thread, read here after the latch.
    AtomicIntegerArray ok = new AtomicIntegerArray(n);
    CountDownLatch done = new CountDownLatch(n);
    boolean sendFailed = false;
    Producer<String, byte[]> p = producer.open();
    for (int i = 0; i < n; i++) {
      SpooledRecord r = recs.get(i);
      if (deliveredAhead.contains(r.next()) || reconciliation.inTopic(r)) {
        // Acknowledged in an earlier, partly failed batch, or written by Kafka although the
        // acknowledgement was lost: sending it again would duplicate it.
        ok.set(i, 1);
        done.countDown();
        continue;
      }
      final int idx = i;
      try {
        p.send(RecordIds.producerRecord(topic, r.key(), r.recordId(), r.value()), (md, err) -> {
          if (err == null) {
            acked.note(md);
          }
          if (err == null || ProducerSlot.isPermanent(err)) {
            if (err != null) {
              counters.rejected.incrementAndGet();
            }
            ok.set(idx, 1);
          }
          done.countDown();
        });
      } catch (BufferExhaustedException e) {
        producer.flush();
        i--;
      } catch (RuntimeException e) {
        sendFailed = true;
        break;
      }
    }
    if (sendFailed) {
      producer.close();
    }
    awaitBatch(done);
    int prefix = 0;
    while (prefix < n && ok.get(prefix) == 1) {
      prefix++;
    }
    if (prefix > 0) {
      spool.commit(recs.get(prefix - 1).next());
      int fresh = 0;
      for (int i = 0; i < prefix; i++) {
        if (!deliveredAhead.remove(recs.get(i).next())) {
          fresh++; // not already counted when a failed batch first delivered it
        }
      }
      counters.drained.addAndGet(fresh);
      counters.delivered.addAndGet(fresh);
      counters.refreshSpool(spool);
    }
    if (prefix < n || sendFailed) {
      for (int i = prefix; i < n; i++) {
        if (ok.get(i) == 1 && deliveredAhead.add(recs.get(i).next())) {
          counters.drainedOne();
        }
      }
      producer.close();
      return false;
    }
    return true;
  }

  /** Waits for a batch's callbacks; if acks stop and Kafka is gone, aborts the producer. */
  private void awaitBatch(CountDownLatch done) {
    long deadline = clock.getAsLong() + deliveryTimeoutNanos + TimeUnit.SECONDS.toNanos(1);
    try {
      while (!done.await(STALL_NANOS, TimeUnit.NANOSECONDS)) {
        if (clock.getAsLong() > deadline || !kafka.reachable()) {
          producer.close();
        }
        if (!producer.isOpen()) {
          done.await(5, TimeUnit.SECONDS);
          return;
        }
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
