package dev.switchboard.governance.audit;

import java.time.Instant;
import java.util.Objects;

/**
 * One audited change.
 *
 * @param id the store's sequence number; {@code 0} for an entry not yet appended
 * @param at when the change happened
 * @param actor the public key id that made it, or {@link #BOOTSTRAP_ADMIN}
 * @param action what happened, e.g. {@code key.create}, {@code key.revoke}, {@code team.update}
 * @param targetType what kind of thing changed, e.g. {@code key} or {@code team}
 * @param targetId the public id of the thing that changed
 * @param beforeJson the target before the change as JSON, {@code null} on creation; never holds a secret
 * @param afterJson the target after the change as JSON, {@code null} on deletion; never holds a secret
 * @param sourceAddress the client address the change came from, {@code null} when not over the network
 */
public record AuditEntry(
    long id,
    Instant at,
    String actor,
    String action,
    String targetType,
    String targetId,
    String beforeJson,
    String afterJson,
    String sourceAddress) {

  /** The actor name for changes made with the bootstrap admin credential rather than a key. */
  public static final String BOOTSTRAP_ADMIN = "bootstrap-admin";

  public AuditEntry {
    Objects.requireNonNull(at, "at");
    Objects.requireNonNull(actor, "actor");
    Objects.requireNonNull(action, "action");
    Objects.requireNonNull(targetType, "targetType");
    Objects.requireNonNull(targetId, "targetId");
  }
}
