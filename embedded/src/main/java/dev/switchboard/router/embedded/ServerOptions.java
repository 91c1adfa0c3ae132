package dev.switchboard.router.embedded;

import dev.switchboard.router.requestlog.CaptureMode;
import dev.switchboard.router.kafka.KafkaConnection;
import java.nio.file.Path;
import java.util.Map;
import java.util.function.Function;

/**
 * How {@code switchboard serve} starts.
 *
 * @param configFile YAML config, or null for the embedded defaults
 * @param host overrides server.host when non-null
 * @param port overrides server.port when non-null (0 = any free port)
 * @param realisticLatency whether the in-process recorded upstream simulates per-model latency
 * @param home the Switchboard home (datasets/, models/)
 * @param dataDir where runtime state lives (embedded Kafka's log, the request-log spool)
 * @param requestLog whether requests are logged to Kafka
 * @param kafkaBootstrap an external Kafka cluster, or null to start the embedded broker
 * @param kafkaPort the embedded broker's port (0 = any free port)
 * @param topic the request-log topic
 * @param capture how messages and responses are captured in the log
 * @param scoringDeadlineMs overrides classifier.scoring_deadline_ms when non-null
 * @param env where environment variables (API keys, admin key, key pepper) are read
 * @param insecureNoAuth sets server.insecure_no_auth when true ({@code serve --insecure-no-auth})
 * @param kafkaSettings the external cluster's Kafka client security settings ({@code serve --kafka-config});
 *     empty for a PLAINTEXT cluster. The embedded broker brings its own (generated credentials).
 */
public record ServerOptions(Path configFile, String host, Integer port, boolean realisticLatency, Path home, Path dataDir,
    boolean requestLog, String kafkaBootstrap, int kafkaPort, String topic, CaptureMode capture, Long scoringDeadlineMs,
    Function<String, String> env, boolean insecureNoAuth, Map<String, String> kafkaSettings) {

  public ServerOptions {
    kafkaSettings = kafkaSettings == null ? Map.of() : Map.copyOf(kafkaSettings);
  }

  public ServerOptions(Path configFile, String host, Integer port, boolean realisticLatency, Path home, Path dataDir,
      boolean requestLog, String kafkaBootstrap, int kafkaPort, String topic, CaptureMode capture) {
    this(configFile, host, port, realisticLatency, home, dataDir, requestLog, kafkaBootstrap, kafkaPort, topic, capture, null, System::getenv, false, Map.of());
  }

  /** The same options reading environment variables (API keys, admin key) through {@code e}. */
  public ServerOptions withEnv(Function<String, String> e) {
    return new ServerOptions(configFile, host, port, realisticLatency, home, dataDir, requestLog, kafkaBootstrap, kafkaPort, topic, capture, scoringDeadlineMs, e, insecureNoAuth, kafkaSettings);
  }

  /** Embedded defaults on a free port, with the embedded broker and full capture. */
  public static ServerOptions embedded(Path home, Path dataDir) {
    return new ServerOptions(null, null, 0, false, home, dataDir, true, null, 0, "switchboard.requests", CaptureMode.FULL);
  }

  public ServerOptions withRequestLog(boolean on) {
    return new ServerOptions(configFile, host, port, realisticLatency, home, dataDir, on, kafkaBootstrap, kafkaPort, topic, capture, scoringDeadlineMs, env, insecureNoAuth, kafkaSettings);
  }

  /** An external cluster with its client security settings (a {@code serve --kafka-config} file). */
  public ServerOptions withKafka(KafkaConnection external) {
    return new ServerOptions(configFile, host, port, realisticLatency, home, dataDir, requestLog, external.bootstrapServers(), kafkaPort,
        topic, capture, scoringDeadlineMs, env, insecureNoAuth, external.settings());
  }

  public ServerOptions withKafka(String bootstrap) {
    return new ServerOptions(configFile, host, port, realisticLatency, home, dataDir, requestLog, bootstrap, kafkaPort, topic, capture, scoringDeadlineMs, env, insecureNoAuth, kafkaSettings);
  }

  /** The same options letting a gateway with auth off bind a non-loopback host. */
  public ServerOptions withInsecureNoAuth(boolean on) {
    return new ServerOptions(configFile, host, port, realisticLatency, home, dataDir, requestLog, kafkaBootstrap, kafkaPort, topic, capture,
        scoringDeadlineMs, env, on, kafkaSettings);
  }

  /** The same options with classifier.scoring_deadline_ms overridden (null: the config's). */
  public ServerOptions withScoringDeadlineMs(Long ms) {
    return new ServerOptions(configFile, host, port, realisticLatency, home, dataDir, requestLog, kafkaBootstrap, kafkaPort, topic, capture, ms, env, insecureNoAuth, kafkaSettings);
  }
}
