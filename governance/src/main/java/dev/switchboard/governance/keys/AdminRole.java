package dev.switchboard.governance.keys;

import java.util.Locale;

/**
 * What a key may do on the admin API. A key without a role ({@code null}) is an ordinary API key: it calls
 * models and nothing else.
 */
public enum AdminRole {
  /** Everything: keys, teams, spend, audit. */
  ADMIN,
  /** Reads keys, teams, spend and audit; changes nothing. */
  VIEWER,
  /** Manages the keys of its own team (the key's {@code teamId}) and reads that team; nothing else. */
  TEAM_ADMIN;

  /** @return the wire name: {@code admin}, {@code viewer}, {@code team-admin} */
  public String wireName() {
    return name().toLowerCase(Locale.ROOT).replace('_', '-');
  }

  /**
   * Parses a wire name.
   *
   * @param wire {@code admin}, {@code viewer} or {@code team-admin}
   * @return the role
   * @throws IllegalArgumentException for anything else
   */
  public static AdminRole parse(String wire) {
    for (AdminRole r : values()) {
      if (r.wireName().equals(wire)) {
        return r;
      }
    }
    throw new IllegalArgumentException("unknown role '" + wire + "' (expected admin, viewer or team-admin)");
  }
}
