package dev.switchboard.router.requestlog;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.function.BooleanSupplier;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.StringDeserializer;

/** Builders and a bounded consumer for the request log tests. */
final class RequestLogTestSupport {

  static final ObjectMapper JSON = new ObjectMapper();

  private RequestLogTestSupport() {}

  static RequestLogRecord record(String id, String userText, String answer) {
    JsonNode messages = JSON.createArrayNode().add(JSON.createObjectNode().put("role", "user").put("content", userText));
    return RequestLogRecord.builder(id)
        .time(Instant.parse("2026-11-25T12:00:00Z"))
        .route("default").alias("switchboard-auto").deployment("cheap-model")
        .candidates(List.of(new RequestLogRecord.Candidate("cheap-model", 0.81), new RequestLogRecord.Candidate("big-model", 0.93)))
        .difficulty(0.42).policyVersion("policy-7")
        .messages(messages).response(answer)
        .usage(12, 34).costUsd(0.00021)
        .latency(new RequestLogRecord.Latency(120.5, 110.0, 10.5, 1.25))
        .status(200)
        .attempts(List.of(new RequestLogRecord.Attempt("flaky-model", 503, "SERVER_ERROR", 40.0),
            new RequestLogRecord.Attempt("cheap-model", 200, null, 70.0)))
        .fallbacks(1).category("coding").metadata(Map.of("app", "test"))
        .build();
  }

  /** Every record value of {@code topic} (from the beginning), polling until {@code minCount} or the deadline. */
  static List<ConsumerRecord<String, String>> consumeAll(String bootstrap, String topic, int minCount, Duration max) {
    return consumeAll(dev.switchboard.router.kafka.KafkaConnection.plaintext(bootstrap), topic, minCount, max);
  }

  static List<ConsumerRecord<String, String>> consumeAll(dev.switchboard.router.kafka.KafkaConnection kafka, String topic,
      int minCount, Duration max) {
    Properties p = kafka.properties();
    p.put("isolation.level", "read_committed");
    List<ConsumerRecord<String, String>> out = new ArrayList<>();
    // No consumer group: assign the partitions directly (a group would make the broker create
    // __consumer_offsets first, seconds on a busy machine).
    try (KafkaConsumer<String, String> c = new KafkaConsumer<>(p, new StringDeserializer(), new StringDeserializer())) {
      List<TopicPartition> tps = c.partitionsFor(topic, max).stream()
          .map(i -> new TopicPartition(topic, i.partition())).toList();
      c.assign(tps);
      c.seekToBeginning(tps);
      long deadline = System.nanoTime() + max.toNanos();
      int emptyAfterEnough = 0;
      while (System.nanoTime() < deadline) {
        var batch = c.poll(Duration.ofMillis(300));
        batch.forEach(out::add);
        if (out.size() >= minCount) {
          // a few more empty polls to catch duplicates beyond the expected count
          emptyAfterEnough = batch.isEmpty() ? emptyAfterEnough + 1 : 0;
          if (emptyAfterEnough >= 3) {
            break;
          }
        }
      }
    }
    return out;
  }

  static void await(BooleanSupplier condition, Duration max, String what) {
    org.awaitility.Awaitility.await(what).atMost(max).pollInterval(Duration.ofMillis(20)).until(condition::getAsBoolean);
  }
}
