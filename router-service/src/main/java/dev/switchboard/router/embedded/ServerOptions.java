package dev.switchboard.router.embedded;

import java.nio.file.Path;

/**
 * How {@code switchboard serve} starts.
 *
 * @param configFile YAML config, or null for the embedded defaults
 * @param host overrides server.host when non-null
 * @param port overrides server.port when non-null (0 = any free port)
 * @param realisticLatency whether the in-process recorded upstream simulates per-model latency
 * @param home the Switchboard home (datasets/, models/)
 * @param dataDir where runtime state lives (Kafka log, request-log spool)
 */
public record ServerOptions(Path configFile, String host, Integer port, boolean realisticLatency, Path home, Path dataDir) {
  public static ServerOptions embedded(Path home, Path dataDir) {
    return new ServerOptions(null, null, 0, false, home, dataDir);
  }
}
