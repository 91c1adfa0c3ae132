package dev.switchboard.router.kafka;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.ScramCredentialInfo;
import org.apache.kafka.clients.admin.ScramMechanism;
import org.apache.kafka.clients.admin.UserScramCredentialUpsertion;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.SaslAuthenticationException;
import org.apache.kafka.common.errors.TopicAuthorizationException;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue #15: any local user could read every captured prompt from the embedded broker and forge
 * records. The broker now takes only its generated SCRAM user: these clients, on the same machine
 * and port, get nothing.
 */
@Timeout(120)
class EmbeddedKafkaSecurityTest {

  @TempDir static Path dir;
  static EmbeddedKafka kafka;

  @BeforeAll
  static void start() throws Exception {
    kafka = EmbeddedKafka.start(dir.resolve("kafka"), 0);
    try (KafkaProducer<String, String> p = EmbeddedKafkaTest.producer(kafka.connection())) {
      p.send(new ProducerRecord<>("secrets", "k", "a captured prompt")).get(30, TimeUnit.SECONDS);
    }
  }

  @AfterAll
  static void stop() {
    if (kafka != null) kafka.close();
  }

  @Test
  void anUnauthenticatedClientReadsNothingAndWritesNothing() {
    KafkaConnection anonymous = KafkaConnection.plaintext(kafka.bootstrapServers());
    Properties c = consumerProps(anonymous);
    try (KafkaConsumer<String, String> consumer = new KafkaConsumer<>(c, new StringDeserializer(), new StringDeserializer())) {
      assertThrows(org.apache.kafka.common.errors.TimeoutException.class,
          () -> consumer.partitionsFor("secrets", Duration.ofSeconds(3)), "metadata needs a login");
      TopicPartition tp = new TopicPartition("secrets", 0);
      consumer.assign(List.of(tp));
      consumer.seek(tp, 0);
      long deadline = System.nanoTime() + Duration.ofSeconds(3).toNanos();
      for (int polls = 0; polls < 30 && System.nanoTime() < deadline; polls++) {
        assertTrue(consumer.poll(Duration.ofMillis(100)).isEmpty(), "no record reaches a client without credentials");
      }
    }
    Properties p = anonymous.properties();
    p.put("max.block.ms", "3000");
    try (KafkaProducer<String, String> producer = new KafkaProducer<>(p, new StringSerializer(), new StringSerializer())) {
      ExecutionException e = assertThrows(ExecutionException.class,
          () -> producer.send(new ProducerRecord<>("secrets", "k", "forged")).get(10, TimeUnit.SECONDS));
      assertInstanceOf(org.apache.kafka.common.errors.TimeoutException.class, e.getCause(), "no metadata without a login");
    }
    try (KafkaConsumer<String, String> owner = new KafkaConsumer<>(consumerProps(kafka.connection()), new StringDeserializer(),
        new StringDeserializer())) {
      TopicPartition tp = new TopicPartition("secrets", 0);
      assertEquals(1L, owner.endOffsets(List.of(tp), Duration.ofSeconds(10)).get(tp), "nothing forged reached the topic");
    }
  }

  @Test
  void aWrongPasswordIsRefused() {
    KafkaConnection stored = EmbeddedKafka.storedConnection(kafka.dataDir()).orElseThrow();
    String jaas = stored.settings().get("sasl.jaas.config").replaceAll("password=\"[^\"]*\"", "password=\"guessed\"");
    Map<String, String> wrong = new java.util.HashMap<>(stored.settings());
    wrong.put("sasl.jaas.config", jaas);
    Properties p = new KafkaConnection(kafka.bootstrapServers(), wrong).properties();
    p.put("default.api.timeout.ms", "10000");
    p.put("request.timeout.ms", "5000");
    try (Admin admin = Admin.create(p)) {
      ExecutionException e = assertThrows(ExecutionException.class, () -> admin.listTopics().names().get(15, TimeUnit.SECONDS));
      assertInstanceOf(SaslAuthenticationException.class, e.getCause());
    }
  }

  @Test
  void anotherAuthenticatedUserIsNotAuthorised() throws Exception {
    try (Admin admin = Admin.create(kafka.connection().properties())) {
      admin.alterUserScramCredentials(List.of(new UserScramCredentialUpsertion("mallory",
          new ScramCredentialInfo(ScramMechanism.SCRAM_SHA_256, 4096), "mallory-secret"))).all().get(15, TimeUnit.SECONDS);
    }
    KafkaConnection mallory = new KafkaConnection(kafka.bootstrapServers(), Map.of(
        "security.protocol", "SASL_PLAINTEXT", "sasl.mechanism", "SCRAM-SHA-256",
        "sasl.jaas.config", "org.apache.kafka.common.security.scram.ScramLoginModule required username=\"mallory\" password=\"mallory-secret\";"));
    Properties p = mallory.properties();
    p.put("default.api.timeout.ms", "10000");
    p.put("request.timeout.ms", "5000");
    // Her login may race the user reaching the broker's metadata; the refusal must be authorisation, not login.
    org.awaitility.Awaitility.await().atMost(Duration.ofSeconds(20)).untilAsserted(() -> {
      try (Admin admin = Admin.create(p)) {
        assertTrue(admin.listTopics().names().get(10, TimeUnit.SECONDS).isEmpty(), "she sees no topic");
      }
    });
    try (KafkaConsumer<String, String> consumer = new KafkaConsumer<>(consumerProps(mallory), new StringDeserializer(),
        new StringDeserializer())) {
      consumer.assign(List.of(new TopicPartition("secrets", 0)));
      consumer.seekToBeginning(List.of(new TopicPartition("secrets", 0)));
      assertThrows(TopicAuthorizationException.class, () -> consumer.poll(Duration.ofSeconds(10)));
    }
  }

  @Test
  void theCredentialsFileIsPrivateAndHoldsAStrongSecret() throws Exception {
    Path file = EmbeddedKafka.clientPropertiesFile(kafka.dataDir());
    assertEquals("rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(file)));
    assertEquals("rwx------", PosixFilePermissions.toString(Files.getPosixFilePermissions(kafka.dataDir())));
    String jaas = EmbeddedKafka.storedConnection(kafka.dataDir()).orElseThrow().settings().get("sasl.jaas.config");
    String password = jaas.replaceAll(".*password=\"([^\"]*)\".*", "$1");
    assertTrue(password.length() >= 22, "at least 128 random bits in base64"); // 32 bytes: 43 characters
    assertFalse(kafka.connection().toString().contains(password), "toString hides the password");
    assertEquals(kafka.connection(), EmbeddedKafka.storedConnection(kafka.dataDir()).orElseThrow(),
        "the file is a complete Kafka client config of this broker");
  }

  @Test
  void theCredentialsAreReusedAcrossRestartsAndRegeneratedIfLost(@TempDir Path own) throws Exception {
    Path data = own.resolve("kafka");
    KafkaConnection first;
    try (EmbeddedKafka k = EmbeddedKafka.start(data, 0)) {
      first = k.connection();
      try (KafkaProducer<String, String> p = EmbeddedKafkaTest.producer(first)) {
        p.send(new ProducerRecord<>("t", "k", "one")).get(30, TimeUnit.SECONDS);
      }
    }
    try (EmbeddedKafka k = EmbeddedKafka.start(data, 0)) {
      assertEquals(first.settings(), k.connection().settings(), "the same user and password after a restart");
    }
    // A log formatted before the broker had users, or whose file was deleted: a new user is registered.
    Files.delete(EmbeddedKafka.clientPropertiesFile(data));
    try (EmbeddedKafka k = EmbeddedKafka.start(data, 0)) {
      assertNotEquals(first.settings().get("sasl.jaas.config"), k.connection().settings().get("sasl.jaas.config"));
      assertEquals("rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(EmbeddedKafka.clientPropertiesFile(data))));
      assertEquals(List.of("one"), EmbeddedKafkaTest.readAll(k.connection(), "t", 1), "the new user reads the old records");
    }
  }

  /** The broker's and the clients' own logs at INFO (their config dumps included) never show the password. */
  @Test
  void thePasswordIsInNoLogLine(@TempDir Path own) throws Exception {
    ch.qos.logback.classic.LoggerContext ctx = (ch.qos.logback.classic.LoggerContext) org.slf4j.LoggerFactory.getILoggerFactory();
    ch.qos.logback.core.read.ListAppender<ch.qos.logback.classic.spi.ILoggingEvent> seen = new ch.qos.logback.core.read.ListAppender<>();
    seen.start();
    ch.qos.logback.classic.Logger root = ctx.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME);
    List<ch.qos.logback.classic.Logger> kafkaLoggers = List.of(ctx.getLogger("kafka"), ctx.getLogger("org.apache.kafka"));
    List<ch.qos.logback.classic.Level> before = kafkaLoggers.stream().map(ch.qos.logback.classic.Logger::getLevel).toList();
    root.addAppender(seen);
    kafkaLoggers.forEach(l -> l.setLevel(ch.qos.logback.classic.Level.INFO));
    String password;
    try (EmbeddedKafka k = EmbeddedKafka.start(own.resolve("kafka"), 0)) {
      String jaas = k.connection().settings().get("sasl.jaas.config");
      password = jaas.replaceAll(".*password=\"([^\"]*)\".*", "$1");
      try (KafkaProducer<String, String> p = EmbeddedKafkaTest.producer(k.connection())) {
        p.send(new ProducerRecord<>("t", "k", "v")).get(30, TimeUnit.SECONDS);
      }
    } finally {
      root.detachAppender(seen);
      for (int i = 0; i < kafkaLoggers.size(); i++) kafkaLoggers.get(i).setLevel(before.get(i));
    }
    assertTrue(seen.list.size() > 20, "the INFO logs were captured: " + seen.list.size());
    for (ch.qos.logback.classic.spi.ILoggingEvent e : seen.list) {
      assertFalse(e.getFormattedMessage().contains(password), "a log line shows the password: " + e.getLoggerName());
    }
  }

  private static Properties consumerProps(KafkaConnection connection) {
    Properties c = connection.properties();
    c.put("auto.offset.reset", "earliest");
    c.put("enable.auto.commit", "false");
    c.put("default.api.timeout.ms", "3000");
    c.put("request.timeout.ms", "2000");
    return c;
  }
}
