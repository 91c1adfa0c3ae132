package dev.switchboard.router.embedded;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.switchboard.router.kafka.EmbeddedKafka;
import dev.switchboard.router.kafka.KafkaConnection;
import dev.switchboard.router.requestlog.CaptureMode;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue #17: a graceful stop while Kafka is down keeps the request log. The broker stops, requests are answered, the
 * gateway is stopped with {@code POST /admin/shutdown}; the spool's files on disk hold those requests' records. A new
 * gateway on the same data directory, with the broker back, delivers them to the topic.
 */
@Timeout(180)
class DrainSpoolEndToEndTest {
  private static final String ADMIN_KEY = "drain-spool-admin-key";
  private static final String TOPIC = "drain.requests";
  private static final HttpClient HTTP = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
      .connectTimeout(Duration.ofSeconds(5)).build();

  @TempDir Path dir;

  @Test
  void adminShutdownWithTheBrokerDown_spoolsTheRecords_nextStartDeliversThem() throws Exception {
    Path kafkaDir = dir.resolve("external-kafka");
    Path data = dir.resolve("data");
    EmbeddedKafka kafka = EmbeddedKafka.start(kafkaDir, 0);
    int kafkaPort = kafka.port();
    KafkaConnection settings = KafkaConnection.fromFile(EmbeddedKafka.clientPropertiesFile(kafkaDir), null);
    List<String> held = List.of("held-0", "held-1", "held-2", "held-3", "held-4");
    try {
      SwitchboardServer first = SwitchboardServer.start(options(data).withKafka(settings));
      try {
        assertEquals(200, chat(first.baseUrl(), "before-outage").statusCode());
        Awaitility.await().atMost(Duration.ofSeconds(30)).until(() -> first.requestLog().stats().delivered() == 1);

        kafka.close(); // the broker goes away; the gateway keeps answering
        for (String id : held) assertEquals(200, chat(first.baseUrl(), id).statusCode(), id);

        HttpResponse<String> stop = HTTP.send(HttpRequest.newBuilder(URI.create(first.baseUrl() + "/admin/shutdown"))
            .timeout(Duration.ofSeconds(10)).header("authorization", "Bearer " + ADMIN_KEY)
            .POST(HttpRequest.BodyPublishers.noBody()).build(), HttpResponse.BodyHandlers.ofString());
        assertEquals(202, stop.statusCode(), stop.body());
        assertTrue(stop.body().contains("\"draining\""), stop.body());
        assertTrue(first.awaitStopped(90, TimeUnit.SECONDS), "the shutdown request stops the gateway");
      } finally {
        first.close();
      }
      String spooled = spoolText(data.resolve("spool"));
      for (String id : held) assertTrue(spooled.contains(id), "the spool files hold the record of " + id);

      kafka = EmbeddedKafka.start(kafkaDir, kafkaPort); // the broker is back
      try (SwitchboardServer second = SwitchboardServer.start(options(data).withKafka(settings))) {
        Awaitility.await().atMost(Duration.ofSeconds(60)).until(() -> second.requestLog().stats().spoolPending() == 0
            && second.requestLog().stats().drainedFromSpool() >= held.size());
      }
      Set<String> keys = topicKeys(settings, held.size() + 1);
      assertTrue(keys.containsAll(held), "delivered after the restart: " + keys);
      assertTrue(keys.contains("before-outage"), keys.toString());
    } finally {
      kafka.close();
    }
  }

  private static ServerOptions options(Path data) throws Exception {
    Path file = data.resolveSibling("switchboard.yaml");
    Files.writeString(file, """
        server: { drain_grace_ms: 0, drain_timeout_ms: 10000 }
        deployments:
          - { name: gpt-4-1106-preview, provider: recorded, input_price_per_mtok: 10, output_price_per_mtok: 30 }
        """);
    return new ServerOptions(file, "127.0.0.1", 0, false, SwitchboardHome.find(), data, true, null, 0, TOPIC, CaptureMode.FULL)
        .withEnv(Map.of("SWITCHBOARD_ADMIN_KEY", ADMIN_KEY, "SWITCHBOARD_KEY_PEPPER", "drain-spool-pepper-0123456789")::get);
  }

  private static HttpResponse<String> chat(String base, String requestId) throws Exception {
    return HTTP.send(HttpRequest.newBuilder(URI.create(base + "/v1/chat/completions")).timeout(Duration.ofSeconds(20))
        .header("content-type", "application/json").header("x-request-id", requestId)
        .POST(HttpRequest.BodyPublishers.ofString("{\"model\":\"gpt-4-1106-preview\",\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]}"))
        .build(), HttpResponse.BodyHandlers.ofString());
  }

  /** The spool's segment files as text (records are length-prefixed; their keys and JSON values are UTF-8). */
  private static String spoolText(Path spool) throws Exception {
    StringBuilder all = new StringBuilder();
    try (Stream<Path> files = Files.list(spool)) {
      for (Path f : files.filter(f -> f.getFileName().toString().endsWith(".seg")).sorted().toList()) {
        all.append(new String(Files.readAllBytes(f), StandardCharsets.ISO_8859_1));
      }
    }
    assertTrue(all.length() > 0, "the spool has segment files in " + spool);
    return all.toString();
  }

  private static Set<String> topicKeys(KafkaConnection kafka, int atLeast) {
    Set<String> keys = new HashSet<>();
    try (KafkaConsumer<String, String> c = new KafkaConsumer<>(kafka.properties(), new StringDeserializer(), new StringDeserializer())) {
      TopicPartition tp = new TopicPartition(TOPIC, 0);
      c.assign(List.of(tp));
      c.seekToBeginning(List.of(tp));
      Awaitility.await().atMost(Duration.ofSeconds(30)).until(() -> {
        for (ConsumerRecord<String, String> r : c.poll(Duration.ofMillis(200))) keys.add(r.key());
        return keys.size() >= atLeast;
      });
    }
    return new HashSet<>(new ArrayList<>(keys));
  }
}
