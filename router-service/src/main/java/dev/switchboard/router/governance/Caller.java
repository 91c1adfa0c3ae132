package dev.switchboard.router.governance;

import dev.switchboard.governance.keys.KeyRecord;
import dev.switchboard.governance.keys.Team;

/**
 * The authenticated caller of a {@code /v1/*} request, put on the routing context by {@link AuthFilter}.
 *
 * @param key the key (public id and settings; the secret is gone by now)
 * @param team its team, or null
 */
public record Caller(KeyRecord key, Team team) {
  /** Routing-context key under which {@link AuthFilter} leaves the caller. */
  public static final String CONTEXT_KEY = "switchboard.caller";

  /** The key's public id (what other gateway packages may know of a key without depending on the governance library). */
  public String keyId() {
    return key.id();
  }
}
