package dev.switchboard.router.governance;

import dev.switchboard.governance.audit.AuditEntry;
import dev.switchboard.governance.keys.Actor;
import dev.switchboard.governance.keys.AdminRole;

/**
 * Who is calling the admin API: the bootstrap credential ({@code SWITCHBOARD_ADMIN_KEY}, role admin) or a key with a role.
 *
 * @param actorId the key id, or {@link AuditEntry#BOOTSTRAP_ADMIN}
 * @param role what it may do
 * @param teamId a team-admin's team (null otherwise)
 * @param sourceAddress the client address, for the audit log
 */
record AdminCaller(String actorId, AdminRole role, String teamId, String sourceAddress) {
  Actor actor() {
    return new Actor(actorId, sourceAddress);
  }

  boolean canWrite() {
    return role != AdminRole.VIEWER;
  }

  /** Whether this caller may see or manage keys of {@code team} (admins and viewers: any; team-admins: their own). */
  boolean coversTeam(String team) {
    return role != AdminRole.TEAM_ADMIN || (teamId != null && teamId.equals(team));
  }
}
