package dev.switchboard.router.config;

/**
 * The {@code server:} section.
 *
 * @param host interface to bind
 * @param port TCP port (0 = any free port)
 * @param maxBodyBytes largest accepted request body; larger bodies get 413
 * @param requestDeadlineMs overall deadline of one client request across all attempts; 504 after it
 * @param adminKeyEnv environment variable holding the admin API key (null: admin API disabled)
 * @param idleTimeoutMs how long a connection may wait without a request (keep-alive, or headers not complete) before it is closed
 * @param requestReadTimeoutMs how long one request (headers and body) may take to arrive once begun
 * @param maxConnections open connections in all; more are closed at once
 * @param maxConnectionsPerAddress open connections from one client address (0: no limit)
 */
public record ServerConfig(String host, int port, long maxBodyBytes, long requestDeadlineMs, String adminKeyEnv, long idleTimeoutMs,
    long requestReadTimeoutMs, int maxConnections, int maxConnectionsPerAddress) {
  public static final ServerConfig DEFAULTS = new ServerConfig("127.0.0.1", 8080, 4L * 1024 * 1024, 120_000, "SWITCHBOARD_ADMIN_KEY",
      60_000, 30_000, 10_000, 1_000);

  /** The same settings on another interface and port (command-line overrides, tests on a free port). */
  public ServerConfig withHostPort(String host, int port) {
    return new ServerConfig(host, port, maxBodyBytes, requestDeadlineMs, adminKeyEnv, idleTimeoutMs, requestReadTimeoutMs, maxConnections,
        maxConnectionsPerAddress);
  }
}
