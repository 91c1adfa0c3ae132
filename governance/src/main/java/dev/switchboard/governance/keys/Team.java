package dev.switchboard.governance.keys;

import java.time.Instant;
import java.util.Objects;

/**
 * A group of keys that share a budget and rate limits.
 *
 * @param id the public id ({@code team_…})
 * @param settings what an admin set
 * @param createdAt when it was created
 * @param updatedAt when it last changed
 */
public record Team(String id, TeamSettings settings, Instant createdAt, Instant updatedAt) {

  public Team {
    Objects.requireNonNull(id, "id");
    Objects.requireNonNull(settings, "settings");
    Objects.requireNonNull(createdAt, "createdAt");
    Objects.requireNonNull(updatedAt, "updatedAt");
  }
}
