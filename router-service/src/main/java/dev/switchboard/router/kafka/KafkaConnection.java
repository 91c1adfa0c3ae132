package dev.switchboard.router.kafka;

import java.io.IOException;
import java.io.Reader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import java.util.Map;
import java.util.Properties;
import java.util.TreeMap;

/**
 * Where a Kafka cluster is and how a client proves who it is: {@code bootstrap.servers} plus the
 * standard Kafka client security settings ({@code security.protocol}, {@code sasl.mechanism},
 * {@code sasl.jaas.config}, {@code ssl.*}, config providers...). Every Kafka client the gateway and
 * the CLI create (request-log producer, admin and reconciler, audit publisher, replay consumer)
 * starts from {@link #properties()}, so the embedded broker's generated credentials or an external
 * cluster's settings reach all of them, and none connects unauthenticated by accident (issue #15).
 *
 * <p>{@link #toString()} never shows a secret: the settings may hold a password.
 *
 * @param bootstrapServers {@code host:port[,host:port...]}
 * @param settings client settings other than {@code bootstrap.servers}; empty for a PLAINTEXT cluster
 */
public record KafkaConnection(String bootstrapServers, Map<String, String> settings) {

  public KafkaConnection {
    if (bootstrapServers == null || bootstrapServers.isBlank()) {
      throw new IllegalArgumentException("Kafka: bootstrap servers are required");
    }
    settings = settings == null ? Map.of() : Map.copyOf(settings);
    if (settings.containsKey("bootstrap.servers")) {
      throw new IllegalArgumentException("Kafka: bootstrap.servers belongs in bootstrapServers, not the settings");
    }
  }

  /** A cluster that takes unauthenticated clients (an external PLAINTEXT cluster, tests of refusal). */
  public static KafkaConnection plaintext(String bootstrapServers) {
    return new KafkaConnection(bootstrapServers, Map.of());
  }

  /**
   * Reads a Kafka client properties file (the format of Kafka's own {@code --command-config}).
   * Its {@code bootstrap.servers}, if any, is used unless {@code bootstrapServers} is given.
   * A secret can stay out of the file with Kafka's config providers, e.g.
   * {@code config.providers=env} and {@code password="${env:KAFKA_PASSWORD}"}.
   *
   * @param bootstrapServers the command line's servers, or null to take the file's
   * @throws IllegalArgumentException when the file cannot be read or names no servers
   */
  public static KafkaConnection fromFile(Path file, String bootstrapServers) {
    Properties p = new Properties();
    try (Reader r = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
      p.load(r);
    } catch (IOException e) {
      throw new IllegalArgumentException("cannot read Kafka client properties " + file + ": " + e.getMessage(), e);
    }
    Map<String, String> settings = new TreeMap<>();
    p.stringPropertyNames().forEach(k -> settings.put(k, p.getProperty(k).trim()));
    String fileServers = settings.remove("bootstrap.servers");
    String servers = bootstrapServers != null ? bootstrapServers : fileServers;
    if (servers == null || servers.isBlank()) {
      throw new IllegalArgumentException(file + " has no bootstrap.servers and none was given");
    }
    return new KafkaConnection(servers, settings);
  }

  /** Writes this connection as a Kafka client properties file, created 0600 (it holds the password). */
  public void writeTo(Path file) {
    StringBuilder sb = new StringBuilder("# Kafka client settings of this broker; secret, keep 0600.\n");
    sb.append("bootstrap.servers=").append(bootstrapServers).append('\n');
    new TreeMap<>(settings).forEach((k, v) -> sb.append(k).append('=').append(v.replace("\\", "\\\\")).append('\n'));
    try {
      dev.switchboard.router.files.PrivateFiles.writeAtomically(file, sb.toString().getBytes(StandardCharsets.UTF_8));
    } catch (UncheckedIOException e) {
      throw new IllegalStateException("cannot write " + file + ": " + e.getMessage(), e);
    }
  }

  /** The same cluster settings at other servers (the embedded broker may have moved port). */
  public KafkaConnection withBootstrapServers(String servers) {
    return new KafkaConnection(servers, settings);
  }

  /** A fresh, mutable client config: {@code bootstrap.servers} and the security settings; add the client's own. */
  public Properties properties() {
    Properties p = new Properties();
    p.putAll(settings);
    p.put("bootstrap.servers", bootstrapServers);
    return p;
  }

  /** The same as a map (for APIs that take one). */
  public Map<String, Object> asMap() {
    Map<String, Object> m = new TreeMap<>(settings);
    m.put("bootstrap.servers", bootstrapServers);
    return m;
  }

  /** Whether clients authenticate ({@code security.protocol} other than PLAINTEXT/SSL without a client certificate). */
  public boolean authenticated() {
    String protocol = settings.getOrDefault("security.protocol", "PLAINTEXT").toUpperCase(Locale.ROOT);
    return protocol.startsWith("SASL_") || settings.containsKey("ssl.keystore.location");
  }

  /** Servers and setting names with secrets hidden: safe for logs and messages. */
  @Override
  public String toString() {
    Map<String, String> shown = new TreeMap<>();
    settings.forEach((k, v) -> shown.put(k, secret(k) ? "[hidden]" : v));
    return "KafkaConnection[" + bootstrapServers + ", " + shown + "]";
  }

  private static boolean secret(String key) {
    String k = key.toLowerCase(Locale.ROOT);
    return k.contains("jaas") || k.contains("password") || k.contains("secret") || k.endsWith(".key");
  }
}
