package dev.switchboard.governance.store;

import java.sql.Connection;
import java.sql.SQLException;
import org.h2.api.Trigger;

/**
 * H2's half of the audit log's append-only guard (PostgreSQL's is a PL/pgSQL trigger). Public only because
 * H2 instantiates it by name from the migration {@code db/migration/h2/V2__audit_append_only.sql}; not API.
 */
public final class AuditAppendOnlyTrigger implements Trigger {

  @Override
  public void fire(Connection conn, Object[] oldRow, Object[] newRow) throws SQLException {
    throw new SQLException("audit_log is append-only: " + (newRow == null ? "DELETE" : "UPDATE") + " rejected",
        "42501");
  }
}
