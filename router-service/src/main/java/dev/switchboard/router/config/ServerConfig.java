package dev.switchboard.router.config;

/**
 * The {@code server:} section.
 *
 * @param host interface to bind
 * @param port TCP port (0 = any free port)
 * @param maxBodyBytes largest accepted request body; larger bodies get 413
 * @param requestDeadlineMs overall deadline of one client request across all attempts; 504 after it
 * @param adminKeyEnv environment variable holding the admin API key (null: admin API disabled)
 */
public record ServerConfig(String host, int port, long maxBodyBytes, long requestDeadlineMs, String adminKeyEnv) {
  public static final ServerConfig DEFAULTS = new ServerConfig("127.0.0.1", 8080, 4L * 1024 * 1024, 120_000, "SWITCHBOARD_ADMIN_KEY");
}
