package dev.switchboard.router.kafka;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Properties;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

class EmbeddedKafkaTest {

  @TempDir Path dir;

  @Test
  @Timeout(90)
  void recordsSurviveARestartOnTheSameDirectoryAndPort() throws Exception {
    Path data = dir.resolve("kafka");
    int port;
    try (EmbeddedKafka kafka = EmbeddedKafka.start(data, 0)) {
      port = kafka.port();
      assertEquals("127.0.0.1:" + port, kafka.bootstrapServers());
      try (KafkaProducer<String, String> p = producer(kafka.connection())) {
        p.send(new ProducerRecord<>("t", "k1", "before restart")).get();
      }
    }
    assertTrue(Files.exists(data.resolve("meta.properties")), "the data dir is formatted");
    try (EmbeddedKafka kafka = EmbeddedKafka.start(data, port)) {
      assertEquals(port, kafka.port());
      try (KafkaProducer<String, String> p = producer(kafka.connection())) {
        p.send(new ProducerRecord<>("t", "k2", "after restart")).get();
      }
      assertEquals(List.of("before restart", "after restart"), readAll(kafka.connection(), "t", 2));
    }
  }

  static KafkaProducer<String, String> producer(KafkaConnection kafka) {
    Properties p = kafka.properties();
    p.put("acks", "all");
    p.put("max.block.ms", "20000");
    return new KafkaProducer<>(p, new StringSerializer(), new StringSerializer());
  }

  static List<String> readAll(KafkaConnection kafka, String topic, int expected) {
    Properties p = kafka.properties();
    p.put("group.id", "test-" + System.nanoTime());
    p.put("auto.offset.reset", "earliest");
    List<String> out = new ArrayList<>();
    try (KafkaConsumer<String, String> c =
        new KafkaConsumer<>(p, new StringDeserializer(), new StringDeserializer())) {
      c.subscribe(List.of(topic));
      long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
      while (out.size() < expected && System.nanoTime() < deadline) {
        for (ConsumerRecord<String, String> r : c.poll(Duration.ofMillis(200))) {
          out.add(r.value());
        }
      }
    }
    return out;
  }
}
