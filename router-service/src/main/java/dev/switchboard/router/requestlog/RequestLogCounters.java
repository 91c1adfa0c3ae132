package dev.switchboard.router.requestlog;

import java.util.concurrent.atomic.AtomicLong;

/**
 * The request log's counters, written from three threads: the event loop ({@code append}), the
 * sender thread and the producer's I/O thread (send callbacks). Counters are atomic; the spool
 * gauges are copied from the spool by the sender thread, which alone may touch the spool, and read
 * from any thread as volatile fields.
 */
final class RequestLogCounters {
  final AtomicLong appended = new AtomicLong();
  final AtomicLong queueDropped = new AtomicLong();
  final AtomicLong delivered = new AtomicLong();
  final AtomicLong spooled = new AtomicLong();
  final AtomicLong drained = new AtomicLong();
  final AtomicLong rejected = new AtomicLong();
  /** Records whose texts were cut to fit the producer's limit. */
  final AtomicLong truncated = new AtomicLong();

  private volatile long spoolDropped;
  private volatile long spoolRefused;
  private volatile long spoolPending;
  private volatile long spoolBytes;

  /** A spooled record Kafka now holds: delivered, and drained from the spool. */
  void drainedOne() {
    drained.incrementAndGet();
    delivered.incrementAndGet();
  }

  /** Sender thread only: copies the spool's gauges. */
  void refreshSpool(DiskSpool spool) {
    spoolDropped = spool.droppedRecords();
    spoolRefused = spool.refusedRecords();
    spoolPending = spool.pendingRecords();
    spoolBytes = spool.totalBytes();
  }

  /**
   * @param spooling whether Kafka is considered unreachable now
   * @return the counters as the public snapshot
   */
  RequestLogStats snapshot(boolean spooling) {
    return new RequestLogStats(appended.get(), delivered.get(), spooled.get(), drained.get(), spoolDropped,
        spoolRefused, queueDropped.get(), rejected.get(), spoolPending, spoolBytes, spooling);
  }
}
