package dev.switchboard.router.requestlog;

import java.time.Duration;
import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.common.InvalidRecordException;
import org.apache.kafka.common.errors.RecordBatchTooLargeException;
import org.apache.kafka.common.errors.RecordTooLargeException;
import org.apache.kafka.common.errors.SerializationException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The one producer the log uses at a time, or none. A producer is dropped when Kafka fails and a
 * fresh one is opened when it answers again, so the failed session's retries and buffered batches
 * die with it. Sender thread only (callbacks never touch the slot).
 */
final class ProducerSlot {

  private static final Logger LOG = LoggerFactory.getLogger(KafkaRequestLog.class);

  private final KafkaClients kafka;
  private Producer<String, byte[]> producer;
  private boolean topicChecked;

  ProducerSlot(KafkaClients kafka) {
    this.kafka = kafka;
  }

  /** @return whether a producer is open */
  boolean isOpen() {
    return producer != null;
  }

  /**
   * Opens a producer unless one is open; the first time (until it succeeds) creates the topic.
   *
   * @return the open producer
   */
  Producer<String, byte[]> open() {
    if (producer == null) {
      if (!topicChecked) {
        topicChecked = kafka.createTopicIfMissing();
      }
      producer = kafka.newProducer();
    }
    return producer;
  }

  /** Blocks until every buffered send has its outcome (frees the producer's buffer). */
  void flush() {
    if (producer != null) {
      try {
        producer.flush();
      } catch (RuntimeException e) {
        LOG.warn("request log: producer flush failed: {}", e.getMessage());
      }
    }
  }

  /** Closes the producer at once: sends not completed yet fail (their callbacks run with an error). */
  void close() {
    if (producer != null) {
      try {
        producer.close(Duration.ZERO);
      } catch (RuntimeException e) {
        LOG.debug("request log: producer close: {}", e.getMessage());
      }
      producer = null;
    }
  }

  /**
   * Errors no retry can fix: spooling the record would only block the spool forever.
   *
   * @param e a send's error
   * @return true if Kafka will never take this record
   */
  static boolean isPermanent(Exception e) {
    return e instanceof RecordTooLargeException || e instanceof RecordBatchTooLargeException
        || e instanceof InvalidRecordException || e instanceof SerializationException;
  }
}
