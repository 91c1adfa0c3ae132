package dev.switchboard.router.governance;

import dev.switchboard.governance.audit.AuditEntry;
import dev.switchboard.router.kafka.KafkaConnection;
import dev.switchboard.router.providers.chat.Json;
import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.MeterRegistry;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/*
 * Design
 * ------
 * The audit table is the record; the topic is a feed of it for SIEMs and other consumers. So: the store commits the
 * entry, then hands it here (JdbcGovernanceStore.onAudited), and the admin call answers without waiting for Kafka.
 * The request log's producer machinery (disk spool, reconciliation) exists to not lose records that live nowhere
 * else; an audit entry is already durable in the database, so a plain idempotent producer on one sender thread is
 * enough: a lost publish is logged and counted (switchboard_audit_publish_failed_total), and the table can be
 * replayed from GET /admin/audit. One thread keeps entries in commit order, and KafkaProducer.send can block for
 * max.block.ms while Kafka is down, which must not be an admin call's (or an event loop's) thread.
 */
/** Publishes each committed audit entry to a Kafka topic, as the JSON {@code GET /admin/audit} returns, never blocking the caller. */
public final class AuditPublisher implements Consumer<AuditEntry>, AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(AuditPublisher.class);

  private final Producer<String, byte[]> producer;
  private final String topic;
  private final ExecutorService sender = Executors.newSingleThreadExecutor(r -> {
    Thread t = new Thread(r, "audit-publisher");
    t.setDaemon(true);
    return t;
  });
  private final AtomicLong published = new AtomicLong();
  private final AtomicLong failed = new AtomicLong();

  /**
   * A publisher with a producer of its own.
   *
   * @param kafka the request log's Kafka: servers and client security settings
   * @param topic {@code storage.audit_topic}
   * @return the publisher; close it after the gateway
   */
  public static AuditPublisher kafka(KafkaConnection kafka, String topic) {
    Map<String, Object> p = new java.util.HashMap<>(kafka.asMap());
    p.putAll(Map.of(
        ProducerConfig.CLIENT_ID_CONFIG, "switchboard-audit",
        ProducerConfig.ACKS_CONFIG, "all",
        ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true,
        // bounded waits: a Kafka that is down costs this thread seconds per entry, never an admin call
        ProducerConfig.MAX_BLOCK_MS_CONFIG, 5_000,
        ProducerConfig.REQUEST_TIMEOUT_MS_CONFIG, 10_000,
        ProducerConfig.DELIVERY_TIMEOUT_MS_CONFIG, 30_000,
        ProducerConfig.LINGER_MS_CONFIG, 0));
    return new AuditPublisher(new KafkaProducer<>(p, new StringSerializer(), new ByteArraySerializer()), topic);
  }

  /** A publisher over any producer (tests pass Kafka's {@code MockProducer}). */
  AuditPublisher(Producer<String, byte[]> producer, String topic) {
    this.producer = producer;
    this.topic = topic;
  }

  /** Queues the entry for publishing and returns at once. */
  @Override
  public void accept(AuditEntry e) {
    byte[] json = Json.writeBytes(AdminJson.audit(e)); // field by field: no secret or hash can be in it
    String key = e.targetType() + ":" + e.targetId();  // one key's (or team's) history stays in order on one partition
    try {
      sender.execute(() -> send(e.id(), key, json));
    } catch (java.util.concurrent.RejectedExecutionException closed) {
      fail(e.id(), closed);
    }
  }

  private void send(long id, String key, byte[] json) {
    try {
      producer.send(new ProducerRecord<>(topic, key, json), (md, ex) -> {
        if (ex == null) {
          published.incrementAndGet();
        } else {
          fail(id, ex);
        }
      });
    } catch (RuntimeException ex) {
      fail(id, ex);
    }
  }

  private void fail(long id, Exception ex) {
    failed.incrementAndGet();
    LOG.warn("audit entry {} is in the database but was not published to Kafka topic {}: {}", id, topic, ex.toString());
  }

  /** Entries Kafka acknowledged. */
  public long published() {
    return published.get();
  }

  /** Entries that could not be published (they are in the database). */
  public long failed() {
    return failed.get();
  }

  /** Registers {@code switchboard_audit_published_total} and {@code switchboard_audit_publish_failed_total}. */
  public void bind(MeterRegistry registry) {
    FunctionCounter.builder("switchboard_audit_published", this, AuditPublisher::published)
        .description("audit entries acknowledged by Kafka (storage.audit_topic)").register(registry);
    FunctionCounter.builder("switchboard_audit_publish_failed", this, AuditPublisher::failed)
        .description("audit entries stored in the database but not published to Kafka").register(registry);
  }

  /** Publishes what is queued (up to 5 s), then closes the producer. */
  @Override
  public void close() {
    sender.shutdown();
    try {
      sender.awaitTermination(5, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    producer.close(Duration.ofSeconds(5));
  }
}
