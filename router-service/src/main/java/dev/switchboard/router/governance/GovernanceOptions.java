package dev.switchboard.router.governance;

import java.nio.file.Path;
import java.time.Clock;

/**
 * What the launcher gives governance besides the config file.
 *
 * @param dataDir where the embedded H2 store lives ({@code serve --data-dir})
 * @param clock the time source of expiry, budget periods, rate windows and audit timestamps
 * @param auditPublisher where committed audit entries are also published (Kafka), or null
 */
public record GovernanceOptions(Path dataDir, Clock clock, AuditPublisher auditPublisher) {
  public static final GovernanceOptions DEFAULTS = new GovernanceOptions(Path.of(".switchboard"), Clock.systemUTC());

  /** Options that publish audit entries nowhere but the database. */
  public GovernanceOptions(Path dataDir, Clock clock) {
    this(dataDir, clock, null);
  }

  /** The same options publishing audit entries through {@code p}. */
  public GovernanceOptions withAuditPublisher(AuditPublisher p) {
    return new GovernanceOptions(dataDir, clock, p);
  }
}
