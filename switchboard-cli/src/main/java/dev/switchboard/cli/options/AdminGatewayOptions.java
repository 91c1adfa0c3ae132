package dev.switchboard.cli.options;

import picocli.CommandLine.Option;

/**
 * {@code --gateway} and {@code --admin-key-env}: where a running gateway's admin API is and which environment
 * variable holds its admin credential. The credential itself is never an option, so it stays out of shell history
 * and {@code ps}.
 */
public final class AdminGatewayOptions {
  /** The variable the gateway reads its bootstrap admin key from, unless {@code server.admin_key_env} says otherwise. */
  public static final String DEFAULT_KEY_ENV = "SWITCHBOARD_ADMIN_KEY";

  @Option(names = "--gateway", paramLabel = "URL", defaultValue = "http://127.0.0.1:8080",
      description = "Base URL of the running gateway (default: ${DEFAULT-VALUE}).")
  String gateway;

  @Option(names = "--admin-key-env", paramLabel = "NAME", defaultValue = DEFAULT_KEY_ENV,
      description = "Environment variable holding an admin credential: the bootstrap admin key or a key with an admin role"
          + " (default: ${DEFAULT-VALUE}).")
  String adminKeyEnv;

  /** The gateway base URL without a trailing slash. */
  public String gateway() {
    return gateway.endsWith("/") ? gateway.substring(0, gateway.length() - 1) : gateway;
  }

  /** The name of the credential's environment variable. */
  public String adminKeyEnv() {
    return adminKeyEnv;
  }

  /** The credential, or null when the variable is unset or blank. */
  public String adminKey() {
    String v = System.getenv(adminKeyEnv);
    return v == null || v.isBlank() ? null : v;
  }
}
