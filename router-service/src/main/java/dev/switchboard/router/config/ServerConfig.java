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
 * @param maxInflightBodyBytes request-body bytes held at once across all connections; more bodies get 503
 * @param minBodyBytesPerSecond a request body arriving slower than this is cut off (0: no minimum)
 * @param healthPort port of the separate /healthz and /readyz listener (-1: none, 0: any free port)
 * @param drainGraceMs on a graceful stop, how long /readyz says 503 before the listener closes
 * @param drainTimeoutMs on a graceful stop, how long requests in flight may take to finish
 * @param auth whether {@code /v1/*} needs a key
 * @param insecureNoAuth whether a gateway with auth off may bind a non-loopback interface
 * @param accessLog whether each chat request gets an access-log line ({@code switchboard.access})
 */
public record ServerConfig(String host, int port, long maxBodyBytes, long requestDeadlineMs, String adminKeyEnv, long idleTimeoutMs,
    long requestReadTimeoutMs, int maxConnections, int maxConnectionsPerAddress, long maxInflightBodyBytes, long minBodyBytesPerSecond,
    int healthPort, long drainGraceMs, long drainTimeoutMs, AuthMode auth, boolean insecureNoAuth, boolean accessLog) {
  /** Every key at its default ({@link ConfigKeys}). */
  public static final ServerConfig DEFAULTS = new ServerConfig(ConfigKeys.HOST.defaultString(), ConfigKeys.PORT.defaultInt(),
      ConfigKeys.MAX_BODY_BYTES.defaultLong(), ConfigKeys.REQUEST_DEADLINE_MS.defaultLong(), ConfigKeys.ADMIN_KEY_ENV.defaultString(),
      ConfigKeys.IDLE_TIMEOUT_MS.defaultLong(), ConfigKeys.REQUEST_READ_TIMEOUT_MS.defaultLong(), ConfigKeys.MAX_CONNECTIONS.defaultInt(),
      ConfigKeys.MAX_CONNECTIONS_PER_ADDRESS.defaultInt(), ConfigKeys.MAX_INFLIGHT_BODY_BYTES.defaultLong(),
      ConfigKeys.MIN_BODY_BYTES_PER_SECOND.defaultLong(), ConfigKeys.HEALTH_PORT.defaultInt(),
      ConfigKeys.DRAIN_GRACE_MS.defaultLong(), ConfigKeys.DRAIN_TIMEOUT_MS.defaultLong(), AuthMode.parse(ConfigKeys.AUTH.defaultString()),
      ConfigKeys.INSECURE_NO_AUTH.defaultBoolean(), ConfigKeys.ACCESS_LOG.defaultBoolean());

  /** The same settings on another interface and port (command-line overrides, tests on a free port). */
  public ServerConfig withHostPort(String host, int port) {
    return new ServerConfig(host, port, maxBodyBytes, requestDeadlineMs, adminKeyEnv, idleTimeoutMs, requestReadTimeoutMs, maxConnections,
        maxConnectionsPerAddress, maxInflightBodyBytes, minBodyBytesPerSecond, healthPort, drainGraceMs, drainTimeoutMs, auth, insecureNoAuth, accessLog);
  }

  /** The same settings with auth and the non-loopback escape hatch set (command-line overrides, tests). */
  public ServerConfig withAuth(AuthMode a, boolean insecure) {
    return new ServerConfig(host, port, maxBodyBytes, requestDeadlineMs, adminKeyEnv, idleTimeoutMs, requestReadTimeoutMs, maxConnections,
        maxConnectionsPerAddress, maxInflightBodyBytes, minBodyBytesPerSecond, healthPort, drainGraceMs, drainTimeoutMs, a, insecure, accessLog);
  }
}
