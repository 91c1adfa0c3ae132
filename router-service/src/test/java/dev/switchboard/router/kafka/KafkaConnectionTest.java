package dev.switchboard.router.kafka;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Map;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class KafkaConnectionTest {

  @TempDir Path dir;

  private static final String JAAS =
      "org.apache.kafka.common.security.scram.ScramLoginModule required username=\"u\" password=\"s3cret-value\";";

  @Test
  void aClientPropertiesFileRoundTripsPrivatelyAndTheCommandLineServersWin() throws Exception {
    KafkaConnection c = new KafkaConnection("127.0.0.1:9092",
        Map.of("security.protocol", "SASL_PLAINTEXT", "sasl.mechanism", "SCRAM-SHA-256", "sasl.jaas.config", JAAS));
    Path f = dir.resolve("client.properties");
    c.writeTo(f);
    assertEquals("rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(f)));
    assertEquals(c, KafkaConnection.fromFile(f, null));
    assertEquals("10.0.0.1:9093", KafkaConnection.fromFile(f, "10.0.0.1:9093").bootstrapServers());
    assertEquals("127.0.0.1:9092", c.properties().getProperty("bootstrap.servers"));
    assertTrue(c.authenticated());
    assertFalse(KafkaConnection.plaintext("h:1").authenticated());
  }

  @Test
  void noSecretInToString() {
    KafkaConnection c = new KafkaConnection("h:1", Map.of("sasl.jaas.config", JAAS, "ssl.keystore.password", "ks-pw",
        "security.protocol", "SASL_SSL"));
    assertFalse(c.toString().contains("s3cret-value"), c.toString());
    assertFalse(c.toString().contains("ks-pw"), c.toString());
    assertTrue(c.toString().contains("SASL_SSL"), "settings that are not secret are shown: " + c);
  }

  @Test
  void aFileWithoutServersNeedsTheCommandLines() throws Exception {
    Path f = Files.writeString(dir.resolve("c.properties"), "security.protocol=SASL_SSL\n");
    assertThrows(IllegalArgumentException.class, () -> KafkaConnection.fromFile(f, null));
    assertEquals("b:1", KafkaConnection.fromFile(f, "b:1").bootstrapServers());
  }

  /** What the docs promise for external clusters: the password can stay in the environment. */
  @Test
  void aPasswordFromTheEnvironmentIsResolvedByKafkasConfigProvider() throws Exception {
    String path = System.getenv("PATH"); // any variable this JVM has
    Path f = Files.writeString(dir.resolve("ext.properties"), """
        bootstrap.servers=kafka.example:9094
        security.protocol=SASL_SSL
        sasl.mechanism=SCRAM-SHA-512
        config.providers=env
        config.providers.env.class=org.apache.kafka.common.config.provider.EnvVarConfigProvider
        sasl.jaas.config=org.apache.kafka.common.security.scram.ScramLoginModule required username="app" password="${env:PATH}";
        """);
    Map<String, Object> m = new java.util.HashMap<>(KafkaConnection.fromFile(f, null).asMap());
    m.put("key.serializer", StringSerializer.class);
    m.put("value.serializer", StringSerializer.class);
    String jaas = new ProducerConfig(m).getPassword("sasl.jaas.config").value();
    assertTrue(jaas.contains("password=\"" + path + "\""), "resolved from the environment");
  }
}
