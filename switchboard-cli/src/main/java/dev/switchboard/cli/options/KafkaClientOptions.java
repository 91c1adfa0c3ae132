package dev.switchboard.cli.options;

import dev.switchboard.router.kafka.EmbeddedKafka;
import dev.switchboard.router.kafka.KafkaConnection;
import java.nio.file.Path;
import java.util.Optional;
import picocli.CommandLine.Option;

/**
 * How {@code replay} reaches the request log's Kafka and logs in to it. The embedded broker takes
 * only the user generated at its first start (issue #15), whose settings it stores in
 * {@code DATA_DIR/kafka/client.properties}; an external cluster takes standard Kafka client
 * settings from a properties file.
 */
public final class KafkaClientOptions {

  @Option(names = "--kafka", paramLabel = "HOST:PORT",
      description = "Kafka bootstrap servers. Default: the embedded broker of --data-dir (as its last start stored it).")
  public String kafka;

  @Option(names = "--kafka-config", paramLabel = "FILE",
      description = "Kafka client properties (security.protocol, sasl.mechanism, sasl.jaas.config, ssl.*; a secret can"
          + " come from the environment with config.providers=env and $${env:VAR}). Default: the embedded broker's"
          + " DATA_DIR/kafka/client.properties when --kafka is that broker or absent.")
  public Path kafkaConfig;

  @Option(names = "--data-dir", defaultValue = ".switchboard", paramLabel = "DIR",
      description = "The gateway's runtime state, where the embedded broker keeps its client settings. Default: ${DEFAULT-VALUE}.")
  public Path dataDir;

  /**
   * The connection to use: {@code --kafka-config} if given (its servers unless {@code --kafka});
   * else the embedded broker's stored settings when {@code --kafka} is absent or names that broker;
   * else {@code --kafka} without authentication (an open external cluster).
   *
   * @throws IllegalArgumentException when no Kafka can be found, or the file cannot be read
   */
  public KafkaConnection resolve() {
    if (kafkaConfig != null) {
      return KafkaConnection.fromFile(kafkaConfig, kafka);
    }
    Path brokerDir = dataDir.resolve("kafka");
    Optional<KafkaConnection> embedded = EmbeddedKafka.storedConnection(brokerDir);
    if (kafka == null) {
      return embedded.orElseThrow(() -> new IllegalArgumentException("--kafka: not given, and no embedded broker has run in "
          + brokerDir + " (no " + EmbeddedKafka.clientPropertiesFile(brokerDir) + "); give --kafka, --kafka-config or --data-dir"));
    }
    if (embedded.isPresent() && sameServers(embedded.get().bootstrapServers(), kafka)) {
      return embedded.get();
    }
    return KafkaConnection.plaintext(kafka);
  }

  private static boolean sameServers(String a, String b) {
    return normal(a).equals(normal(b));
  }

  private static String normal(String servers) {
    return servers.trim().replace("localhost:", "127.0.0.1:");
  }
}
