package dev.switchboard.router.requestlog;

/** Where the gateway records finished requests. */
public interface RequestLog extends AutoCloseable {

  /**
   * Records {@code r}. Called on the Vert.x event loop: never blocks, never throws for a full
   * buffer (an overflow is counted instead).
   */
  void append(RequestLogRecord r);

  /** Counters since this log was opened. */
  RequestLogStats stats();

  /** Flushes what is buffered (to Kafka, or to the spool) and releases resources; bounded in time. */
  @Override
  void close();
}
