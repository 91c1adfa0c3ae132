package dev.switchboard.router.requestlog;

import java.util.HashMap;
import java.util.Map;
import org.apache.kafka.clients.producer.RecordMetadata;

/**
 * Per partition, the offset after the highest one Kafka acknowledged to this log. A send that
 * fails may still have been written (a lost acknowledgement); if so, it sits at or after the
 * offsets known when it was sent, which is where reconciliation reads from.
 *
 * <p>Written by the producer's I/O thread, read by the sender thread: the map is replaced as a
 * whole, so each send takes a consistent snapshot with one volatile read.
 */
final class AckedOffsets {
  private volatile Map<Integer, Long> acked = Map.of();
  private final Object lock = new Object();

  /** Producer I/O thread: notes an acknowledgement. */
  void note(RecordMetadata md) {
    if (md == null || !md.hasOffset()) {
      return;
    }
    long next = md.offset() + 1;
    synchronized (lock) {
      Long cur = acked.get(md.partition());
      if (cur == null || next > cur) {
        Map<Integer, Long> m = new HashMap<>(acked);
        m.put(md.partition(), next);
        acked = Map.copyOf(m);
      }
    }
  }

  /** @return the acknowledged offsets now (immutable) */
  Map<Integer, Long> snapshot() {
    return acked;
  }
}
