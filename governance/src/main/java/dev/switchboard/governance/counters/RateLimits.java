package dev.switchboard.governance.counters;

import dev.switchboard.governance.keys.KeyRecord;
import dev.switchboard.governance.keys.Team;
import java.util.Objects;

/**
 * The four limits one request is checked against; {@code null} means unlimited.
 *
 * @param keyId the key's public id
 * @param keyRpm the key's requests per minute
 * @param keyTpm the key's tokens per minute
 * @param teamId the key's team, or {@code null}
 * @param teamRpm the team's requests per minute
 * @param teamTpm the team's tokens per minute
 */
public record RateLimits(String keyId, Integer keyRpm, Long keyTpm, String teamId, Integer teamRpm, Long teamTpm) {

  public RateLimits {
    Objects.requireNonNull(keyId, "keyId");
    if (teamId == null && (teamRpm != null || teamTpm != null)) {
      throw new IllegalArgumentException("team limits need a team id");
    }
  }

  /**
   * The limits of a key and its team.
   *
   * @param key the authenticated key
   * @param team its team, or {@code null}
   * @return the limits
   */
  public static RateLimits of(KeyRecord key, Team team) {
    return new RateLimits(key.id(), key.settings().rpm(), key.settings().tpm(),
        team == null ? null : team.id(),
        team == null ? null : team.settings().rpm(),
        team == null ? null : team.settings().tpm());
  }

  /** Limits in {@link RateWindow} order, {@code -1} for unlimited. */
  long[] byWindow() {
    return new long[] {
        keyRpm == null ? -1 : keyRpm,
        keyTpm == null ? -1 : keyTpm,
        teamId == null || teamRpm == null ? -1 : teamRpm,
        teamId == null || teamTpm == null ? -1 : teamTpm};
  }
}
