package dev.switchboard.router.requestlog;

import dev.switchboard.router.kafka.KafkaConnection;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;

/**
 * Settings of {@link KafkaRequestLog}.
 *
 * @param kafka Kafka's {@code bootstrap.servers} and client security settings (every client of the log uses them)
 * @param topic the request log topic
 * @param partitions partitions when the log creates the topic (1 keeps a global order)
 * @param spoolDir directory of the disk spool (created if missing)
 * @param spoolMaxBytes size limit of the spool
 * @param spoolSegmentBytes spool segments roll past this size
 * @param spoolFullPolicy what to do when the spool is full
 * @param capture how messages and responses are captured
 * @param queueCapacity in-memory queue between {@code append} and the sender thread
 * @param deliveryTimeout the producer's {@code delivery.timeout.ms}: how long a record may wait for
 *     a slow Kafka before it goes to the spool (a Kafka that stopped listening is detected within
 *     about a second by a TCP probe, whatever this is)
 * @param probeInterval while spooling, how often to check whether Kafka is back
 * @param closeTimeout upper bound of {@code close()}
 * @param producerOverrides extra producer properties (win over the defaults)
 */
public record RequestLogConfig(
    KafkaConnection kafka,
    String topic,
    int partitions,
    Path spoolDir,
    long spoolMaxBytes,
    long spoolSegmentBytes,
    SpoolFullPolicy spoolFullPolicy,
    CaptureMode capture,
    int queueCapacity,
    Duration deliveryTimeout,
    Duration probeInterval,
    Duration closeTimeout,
    Map<String, String> producerOverrides) {

  public static final String DEFAULT_TOPIC = "switchboard.requests";

  public RequestLogConfig {
    if (kafka == null) {
      throw new IllegalArgumentException("request log: bootstrap servers are required");
    }
    if (topic == null || topic.isBlank()) {
      throw new IllegalArgumentException("request log: topic is required");
    }
    if (partitions < 1 || queueCapacity < 1) {
      throw new IllegalArgumentException("request log: partitions and queue capacity must be >= 1");
    }
    if (deliveryTimeout.toMillis() < 1000) {
      throw new IllegalArgumentException("request log: delivery timeout must be >= 1 s");
    }
    producerOverrides = producerOverrides == null ? Map.of() : Map.copyOf(producerOverrides);
  }

  /** A log on a cluster that takes unauthenticated clients (tests of the outage machinery, an open external cluster). */
  public RequestLogConfig(String bootstrapServers, String topic, int partitions, Path spoolDir, long spoolMaxBytes,
      long spoolSegmentBytes, SpoolFullPolicy spoolFullPolicy, CaptureMode capture, int queueCapacity,
      Duration deliveryTimeout, Duration probeInterval, Duration closeTimeout, Map<String, String> producerOverrides) {
    this(plaintext(bootstrapServers), topic, partitions, spoolDir, spoolMaxBytes, spoolSegmentBytes, spoolFullPolicy, capture,
        queueCapacity, deliveryTimeout, probeInterval, closeTimeout, producerOverrides);
  }

  private static KafkaConnection plaintext(String bootstrapServers) {
    if (bootstrapServers == null || bootstrapServers.isBlank()) {
      throw new IllegalArgumentException("request log: bootstrap servers are required");
    }
    return KafkaConnection.plaintext(bootstrapServers);
  }

  /** Kafka {@code bootstrap.servers}. */
  public String bootstrapServers() {
    return kafka.bootstrapServers();
  }

  /** {@link #defaults(KafkaConnection, Path)} on a cluster that takes unauthenticated clients. */
  public static RequestLogConfig defaults(String bootstrapServers, Path spoolDir) {
    return defaults(plaintext(bootstrapServers), spoolDir);
  }

  /**
   * Defaults: topic {@value #DEFAULT_TOPIC}, 1 partition, 256 MiB spool in 16 MiB segments,
   * {@code drop-oldest}, {@code full} capture, 65,536 queued records, 30 s delivery timeout,
   * 500 ms probe, 15 s close.
   */
  public static RequestLogConfig defaults(KafkaConnection kafka, Path spoolDir) {
    return new RequestLogConfig(kafka, DEFAULT_TOPIC, 1, spoolDir, 256L << 20, 16L << 20,
        SpoolFullPolicy.DROP_OLDEST, CaptureMode.FULL, 65_536, Duration.ofSeconds(30),
        Duration.ofMillis(500), Duration.ofSeconds(15), Map.of());
  }

  public RequestLogConfig withTopic(String t) {
    return new RequestLogConfig(kafka, t, partitions, spoolDir, spoolMaxBytes, spoolSegmentBytes,
        spoolFullPolicy, capture, queueCapacity, deliveryTimeout, probeInterval, closeTimeout, producerOverrides);
  }

  public RequestLogConfig withCapture(CaptureMode c) {
    return new RequestLogConfig(kafka, topic, partitions, spoolDir, spoolMaxBytes, spoolSegmentBytes,
        spoolFullPolicy, c, queueCapacity, deliveryTimeout, probeInterval, closeTimeout, producerOverrides);
  }

  public RequestLogConfig withSpool(long maxBytes, long segmentBytes, SpoolFullPolicy policy) {
    return new RequestLogConfig(kafka, topic, partitions, spoolDir, maxBytes, segmentBytes,
        policy, capture, queueCapacity, deliveryTimeout, probeInterval, closeTimeout, producerOverrides);
  }
}
