package dev.switchboard.router.governance;

import java.nio.file.Path;
import java.time.Clock;

/**
 * What the launcher gives governance besides the config file.
 *
 * @param dataDir where the embedded H2 store lives ({@code serve --data-dir})
 * @param clock the time source of expiry, budget periods, rate windows and audit timestamps
 */
public record GovernanceOptions(Path dataDir, Clock clock) {
  public static final GovernanceOptions DEFAULTS = new GovernanceOptions(Path.of(".switchboard"), Clock.systemUTC());
}
