package dev.switchboard.router.embedded;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import dev.switchboard.router.kafka.EmbeddedKafka;
import dev.switchboard.router.kafka.KafkaConnection;
import dev.switchboard.router.requestlog.CaptureMode;
import dev.switchboard.router.requestlog.RequestLogRecord;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code serve --kafka HOST:PORT --kafka-config FILE}: an external cluster that requires SASL (here
 * an embedded broker in another folder) gets the file's standard client settings on every client
 * of the gateway. (A client without them is refused: {@code EmbeddedKafkaSecurityTest}.)
 */
@Timeout(120)
class ExternalKafkaSettingsTest {

  @TempDir static Path dir;
  static EmbeddedKafka external;

  @BeforeAll
  static void start() {
    external = EmbeddedKafka.start(dir.resolve("external"), 0);
  }

  @AfterAll
  static void stop() {
    if (external != null) external.close();
  }

  private static ServerOptions options(Path data) throws Exception {
    Path file = data.resolveSibling(data.getFileName() + ".yaml");
    Files.writeString(file, """
        deployments:
          - { name: gpt-4-1106-preview, provider: recorded, input_price_per_mtok: 10, output_price_per_mtok: 30 }
        """);
    return new ServerOptions(file, "127.0.0.1", 0, false, SwitchboardHome.find(), data, true, null, 0, "ext.requests",
        CaptureMode.FULL);
  }

  @Test
  void theClientSettingsFileReachesTheRequestLog() throws Exception {
    Path data = dir.resolve("with");
    KafkaConnection settings = KafkaConnection.fromFile(EmbeddedKafka.clientPropertiesFile(external.dataDir()), null);
    try (SwitchboardServer server = SwitchboardServer.start(options(data).withKafka(settings))) {
      assertEquals(external.bootstrapServers(), server.kafkaBootstrap());
      assertFalse(Files.exists(data.resolve("kafka")), "no embedded broker was started");
      server.requestLog().append(RequestLogRecord.builder("ext-1").build());
      Awaitility.await().atMost(Duration.ofSeconds(30)).until(() -> server.requestLog().stats().delivered() == 1);
    }
    try (KafkaConsumer<String, String> c = new KafkaConsumer<>(external.connection().properties(), new StringDeserializer(),
        new StringDeserializer())) {
      TopicPartition tp = new TopicPartition("ext.requests", 0);
      c.assign(List.of(tp));
      c.seekToBeginning(List.of(tp));
      List<String> keys = new java.util.ArrayList<>();
      Awaitility.await().atMost(Duration.ofSeconds(20)).until(() -> {
        for (ConsumerRecord<String, String> r : c.poll(Duration.ofMillis(200))) keys.add(r.key());
        return !keys.isEmpty();
      });
      assertEquals(List.of("ext-1"), keys);
    }
  }
}
