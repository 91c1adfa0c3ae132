package dev.switchboard.router.config;

import java.util.HashMap;
import java.util.Map;
import java.util.function.Function;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A config plus what was resolved from it at load time (API keys from the environment). The
 * gateway holds one snapshot in an atomic reference; a reload swaps the whole snapshot, so a
 * request sees one consistent config from start to end.
 */
public final class GatewaySnapshot {
  private static final Logger LOG = LoggerFactory.getLogger(GatewaySnapshot.class);

  private final GatewayConfig config;
  private final Map<String, String> apiKeys;
  private final byte[] adminKey;
  private final long version;

  private GatewaySnapshot(GatewayConfig config, Map<String, String> apiKeys, String adminKey, long version) {
    this.config = config;
    this.apiKeys = apiKeys;
    this.adminKey = adminKey == null || adminKey.isBlank() ? null : adminKey.getBytes(java.nio.charset.StandardCharsets.UTF_8);
    this.version = version;
  }

  /** Resolves keys through {@code env} (normally {@code System::getenv}); logs names, never values. */
  public static GatewaySnapshot resolve(GatewayConfig config, Function<String, String> env, long version) {
    Map<String, String> keys = new HashMap<>();
    for (Deployment d : config.deployments().values()) {
      if (d.apiKeyEnv() == null) continue;
      String v = env.apply(d.apiKeyEnv());
      if (v == null || v.isBlank()) {
        LOG.warn("deployment {}: environment variable {} is not set; its calls will fail with an auth error", d.name(), d.apiKeyEnv());
      } else {
        keys.put(d.name(), v);
      }
    }
    String admin = config.server().adminKeyEnv() == null ? null : env.apply(config.server().adminKeyEnv());
    return new GatewaySnapshot(config, Map.copyOf(keys), admin, version);
  }

  /** Whether {@code given} is the admin key (constant time); always false when none is set. */
  public boolean isAdminKey(String given) {
    return adminKey != null && given != null
        && java.security.MessageDigest.isEqual(adminKey, given.getBytes(java.nio.charset.StandardCharsets.UTF_8));
  }

  /** Whether an admin key is configured (its variable set and not blank). */
  public boolean hasAdminKey() {
    return adminKey != null;
  }

  public GatewayConfig config() {
    return config;
  }

  /** The API key of a deployment, or null when it has none or its variable is unset. */
  public String apiKey(String deployment) {
    return apiKeys.get(deployment);
  }

  /** Whether the deployment needs a key that is missing. */
  public boolean keyMissing(Deployment d) {
    return d.apiKeyEnv() != null && !apiKeys.containsKey(d.name());
  }

  public long version() {
    return version;
  }
}
