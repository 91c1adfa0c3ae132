package dev.switchboard.router.embedded;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.switchboard.router.governance.Governance;
import dev.switchboard.router.requestlog.CaptureMode;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue #14: every admin action's audit entry also goes to a Kafka topic ({@code storage.audit_topic}), after the
 * database row; a Kafka that is down fails no admin call, it is logged and counted.
 */
class AuditTopicEndToEndTest {
  private static final String ADMIN_KEY = "bootstrap-admin-key-for-audit-tests";
  private static final Map<String, String> ENV = Map.of(Governance.PEPPER_ENV, "test-pepper-0123456789abcdef", "SWITCHBOARD_ADMIN_KEY", ADMIN_KEY);
  private static final ObjectMapper JSON = new ObjectMapper();
  private final HttpClient http = HttpClient.newHttpClient();

  private static ServerOptions options(Path dir, String topic) throws Exception {
    Path file = dir.resolve("switchboard.yaml");
    Files.writeString(file, """
        server: { auth: required }
        storage: { audit_topic: %s }
        deployments:
          - { name: gpt-4-1106-preview, provider: recorded, input_price_per_mtok: 10, output_price_per_mtok: 30 }
        """.formatted(topic));
    return new ServerOptions(file, "127.0.0.1", 0, false, SwitchboardHome.find(), dir.resolve("data"), true, null, 0,
        "switchboard.requests", CaptureMode.FULL).withEnv(ENV::get);
  }

  @Test
  void adminActions_arePublishedToTheAuditTopic_withoutSecrets(@TempDir Path dir) throws Exception {
    try (SwitchboardServer server = SwitchboardServer.start(options(dir, "ops.audit"))) {
      JsonNode team = admin(server, "POST", "/admin/teams", "{\"name\":\"research\"}");
      JsonNode key = admin(server, "POST", "/admin/keys", "{\"name\":\"ci\",\"team_id\":\"" + team.path("id").asText() + "\"}");
      String keyId = key.path("id").asText();
      String secret = key.path("secret").asText();
      admin(server, "PATCH", "/admin/keys/" + keyId, "{\"rpm\":60}");
      admin(server, "DELETE", "/admin/keys/" + keyId, null);

      List<ConsumerRecord<String, String>> got = new ArrayList<>();
      try (KafkaConsumer<String, String> c = consumer(server.kafkaConnection())) {
        c.subscribe(List.of("ops.audit"));
        await("key.create, key.update and key.revoke on the topic").atMost(Duration.ofSeconds(30)).pollInterval(Duration.ZERO)
            .until(() -> {
              c.poll(Duration.ofMillis(200)).forEach(got::add);
              return actions(got, keyId).containsAll(List.of("key.create", "key.update", "key.revoke"));
            });
      }
      assertEquals(List.of("key.create", "key.update", "key.revoke"), actions(got, keyId), "in commit order");
      ConsumerRecord<String, String> created = got.stream().filter(r -> r.value().contains("\"key.create\"")).findFirst().orElseThrow();
      assertEquals("key:" + keyId, created.key());
      JsonNode entry = JSON.readTree(created.value());
      assertEquals("bootstrap-admin", entry.path("actor").asText());
      assertEquals("ci", entry.path("after").path("name").asText());
      assertEquals("127.0.0.1", entry.path("source_address").asText());
      // the topic carries the database's entry: the same id GET /admin/audit shows
      JsonNode rows = admin(server, "GET", "/admin/audit?target_id=" + keyId, null).path("data");
      assertEquals(rows.get(0).path("id").asLong(), entry.path("id").asLong());
      for (ConsumerRecord<String, String> r : got) {
        assertFalse(r.value().contains(secret), "no secret on the audit topic");
      }
      await().atMost(Duration.ofSeconds(10)).until(() -> metric(server, "switchboard_audit_published_total") >= 4);
    }
  }

  @Test
  void kafkaDown_adminCallsStillSucceed_andTheFailureIsCounted(@TempDir Path dir) throws Exception {
    int deadPort;
    try (ServerSocket s = new ServerSocket(0)) {
      deadPort = s.getLocalPort(); // closed again: nothing listens there
    }
    try (SwitchboardServer server = SwitchboardServer.start(options(dir, "switchboard.audit").withKafka("127.0.0.1:" + deadPort))) {
      long t0 = System.nanoTime();
      JsonNode team = admin(server, "POST", "/admin/teams", "{\"name\":\"ops\"}");
      assertTrue(System.nanoTime() - t0 < 3_000_000_000L, "the admin call does not wait for Kafka");
      assertEquals("ops", admin(server, "GET", "/admin/teams/" + team.path("id").asText(), null).path("name").asText(), "the row is there");
      await("the failed publish counted").atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(200))
          .until(() -> metric(server, "switchboard_audit_publish_failed_total") >= 1);
    }
  }

  private static List<String> actions(List<ConsumerRecord<String, String>> got, String keyId) throws Exception {
    List<String> out = new ArrayList<>();
    for (ConsumerRecord<String, String> r : got) {
      JsonNode e = JSON.readTree(r.value());
      if (keyId.equals(e.path("target_id").asText()) && !e.path("action").asText().endsWith(".read")) out.add(e.path("action").asText());
    }
    return out;
  }

  private JsonNode admin(SwitchboardServer s, String method, String path, String body) throws Exception {
    HttpResponse<String> r = http.send(HttpRequest.newBuilder(URI.create(s.baseUrl() + path)).header("authorization", "Bearer " + ADMIN_KEY)
        .header("content-type", "application/json")
        .method(method, body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body)).build(),
        HttpResponse.BodyHandlers.ofString());
    assertTrue(r.statusCode() / 100 == 2, method + " " + path + ": " + r.statusCode() + " " + r.body());
    return JSON.readTree(r.body());
  }

  private double metric(SwitchboardServer s, String name) throws Exception {
    String text = http.send(HttpRequest.newBuilder(URI.create(s.baseUrl() + "/metrics")).build(), HttpResponse.BodyHandlers.ofString()).body();
    return text.lines().filter(l -> l.startsWith(name + " ") || l.startsWith(name + "{")).mapToDouble(l -> Double.parseDouble(l.substring(l.lastIndexOf(' ') + 1)))
        .sum();
  }

  private static KafkaConsumer<String, String> consumer(dev.switchboard.router.kafka.KafkaConnection kafka) {
    Properties p = new Properties();
    p.putAll(kafka.asMap());
    p.put(ConsumerConfig.GROUP_ID_CONFIG, "audit-test");
    p.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
    return new KafkaConsumer<>(p, new StringDeserializer(), new StringDeserializer());
  }
}
