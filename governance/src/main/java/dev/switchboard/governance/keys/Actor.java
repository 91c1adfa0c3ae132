package dev.switchboard.governance.keys;

import dev.switchboard.governance.audit.AuditEntry;
import java.util.Objects;

/**
 * Who makes an administrative change, for the audit log.
 *
 * @param id the admin's public key id, or {@link AuditEntry#BOOTSTRAP_ADMIN}
 * @param sourceAddress the client address, or {@code null} (e.g. the CLI on the host)
 */
public record Actor(String id, String sourceAddress) {

  public Actor {
    Objects.requireNonNull(id, "id");
  }

  /**
   * The bootstrap admin (the credential configured at install time, before any admin key exists).
   *
   * @param sourceAddress the client address, or {@code null}
   * @return the actor
   */
  public static Actor bootstrapAdmin(String sourceAddress) {
    return new Actor(AuditEntry.BOOTSTRAP_ADMIN, sourceAddress);
  }
}
