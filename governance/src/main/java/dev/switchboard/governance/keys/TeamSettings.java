package dev.switchboard.governance.keys;

import dev.switchboard.governance.Budget;
import java.util.Objects;

/**
 * What an admin sets on a team; nullable limits mean unlimited. A team's limits apply to the sum over its keys.
 *
 * @param name a human label
 * @param budget the team's spending limit, or {@code null}
 * @param rpm requests per minute over all its keys, or {@code null}
 * @param tpm tokens per minute over all its keys, or {@code null}
 */
public record TeamSettings(String name, Budget budget, Integer rpm, Long tpm) {

  public TeamSettings {
    Objects.requireNonNull(name, "name");
  }
}
