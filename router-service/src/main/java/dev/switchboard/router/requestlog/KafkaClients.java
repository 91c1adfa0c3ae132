package dev.switchboard.router.requestlog;

import java.time.Duration;
import java.util.Map;
import org.apache.kafka.clients.producer.Producer;

/**
 * Everything the request log asks of Kafka, in one seam: {@link LiveKafkaClients} talks to a cluster;
 * tests pass an in-memory one built on Kafka's {@code MockProducer}, so outages, partly failed
 * batches and lost acknowledgements can be driven one send at a time.
 */
interface KafkaClients {

  /**
   * A new producer session (the log closes it with {@code close(Duration.ZERO)} when Kafka fails).
   *
   * @return an idempotent {@code acks=all} producer with keys = request ids, values = JSON
   */
  Producer<String, byte[]> newProducer();

  /**
   * Creates the topic unless it exists. Failure is tolerated: auto-creation or an admin may do it.
   *
   * @return true if the topic exists now (no need to ask again)
   */
  boolean createTopicIfMissing();

  /** @return true if a broker answers at all (see {@link BrokerProbe}) */
  boolean reachable();

  /**
   * The record ids (and legacy keys) the topic holds from {@code from} to its end (see {@link TopicReconciler#keysSince}).
   *
   * @param from per partition, where to start; a missing partition from its beginning; null reads nothing
   * @param timeout how long to read before returning a partial result
   * @return the ids found and how far the read got
   * @throws RuntimeException if Kafka does not answer
   */
  TopicReconciler.Result keysSince(Map<Integer, Long> from, Duration timeout);
}
