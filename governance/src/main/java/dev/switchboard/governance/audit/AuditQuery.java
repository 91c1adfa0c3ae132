package dev.switchboard.governance.audit;

import java.time.Instant;

/**
 * What to read back from the audit log; every {@code null} field matches everything.
 *
 * @param from earliest {@code at}, inclusive
 * @param to latest {@code at}, exclusive
 * @param actor only entries by this actor
 * @param targetType only entries about this kind of target
 * @param targetId only entries about this target id
 * @param limit at most this many entries, oldest first; {@code 0} means the store's default (1000)
 */
public record AuditQuery(Instant from, Instant to, String actor, String targetType, String targetId, int limit) {

  /** Every entry, up to the default limit. */
  public static final AuditQuery ALL = new AuditQuery(null, null, null, null, null, 0);

  /**
   * Returns a copy restricted to {@code [from, to)}.
   *
   * @param from earliest instant, inclusive, or {@code null}
   * @param to latest instant, exclusive, or {@code null}
   * @return the narrowed query
   */
  public AuditQuery between(Instant from, Instant to) {
    return new AuditQuery(from, to, actor, targetType, targetId, limit);
  }

  /**
   * Returns a copy restricted to one actor.
   *
   * @param actor a key id or {@link AuditEntry#BOOTSTRAP_ADMIN}
   * @return the narrowed query
   */
  public AuditQuery byActor(String actor) {
    return new AuditQuery(from, to, actor, targetType, targetId, limit);
  }

  /**
   * Returns a copy restricted to one target.
   *
   * @param targetType e.g. {@code key}
   * @param targetId the target's public id
   * @return the narrowed query
   */
  public AuditQuery byTarget(String targetType, String targetId) {
    return new AuditQuery(from, to, actor, targetType, targetId, limit);
  }
}
