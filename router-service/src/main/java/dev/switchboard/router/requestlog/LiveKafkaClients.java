package dev.switchboard.router.requestlog;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.function.LongSupplier;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.common.errors.TopicExistsException;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** The request log's clients of a real Kafka cluster, set up from its {@link RequestLogConfig}. */
final class LiveKafkaClients implements KafkaClients {

  private static final Logger LOG = LoggerFactory.getLogger(KafkaRequestLog.class);

  private final RequestLogConfig config;
  private final BrokerProbe probe;
  private final LongSupplier clock;

  /** @param clock nanoseconds, {@code System::nanoTime} outside tests (bounds the reconciliation read) */
  LiveKafkaClients(RequestLogConfig config, LongSupplier clock) {
    this.config = config;
    this.probe = new BrokerProbe(config.bootstrapServers());
    this.clock = clock;
  }

  @Override
  public Producer<String, byte[]> newProducer() {
    Properties p = config.kafka().properties();
    p.put("acks", "all");
    p.put("enable.idempotence", "true");
    p.put("max.in.flight.requests.per.connection", "5");
    p.put("linger.ms", "5");
    p.put("compression.type", "lz4");
    // A small producer buffer: a backlog waits in our queue, where no delivery timeout runs, rather
    // than in the producer, where a slow broker would expire it and send it to the spool.
    p.put("buffer.memory", Long.toString(4L << 20));
    long delivery = config.deliveryTimeout().toMillis();
    long request = Math.max(500, Math.min(10_000, delivery / 2 - 10));
    p.put("delivery.timeout.ms", Long.toString(delivery));
    p.put("request.timeout.ms", Long.toString(request));
    // send() waits this long for metadata when Kafka is down: short, the sender must move on to the spool.
    p.put("max.block.ms", "2000");
    p.put("reconnect.backoff.max.ms", "1000");
    p.put("client.id", "switchboard-requestlog");
    p.putAll(config.producerOverrides());
    return new KafkaProducer<>(p, new StringSerializer(), new ByteArraySerializer());
  }

  @Override
  public boolean createTopicIfMissing() {
    Properties p = config.kafka().properties();
    p.put("request.timeout.ms", "2000");
    p.put("default.api.timeout.ms", "3000");
    p.put("client.id", "switchboard-requestlog-admin");
    try (Admin admin = Admin.create(p)) {
      admin.createTopics(List.of(new NewTopic(config.topic(), Optional.of(config.partitions()), Optional.empty())))
          .all().get(4, TimeUnit.SECONDS);
      return true;
    } catch (ExecutionException e) {
      if (e.getCause() instanceof TopicExistsException) {
        return true;
      }
      LOG.warn("request log: cannot create topic {}: {}", config.topic(), e.getCause().getMessage());
      return false;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return false;
    } catch (Exception e) {
      LOG.warn("request log: cannot create topic {}: {}", config.topic(), e.toString());
      return false;
    }
  }

  @Override
  public boolean reachable() {
    return probe.reachable();
  }

  @Override
  public TopicReconciler.Result keysSince(Map<Integer, Long> from, Duration timeout) {
    return TopicReconciler.keysSince(config.kafka(), config.topic(), from, timeout, clock);
  }
}
