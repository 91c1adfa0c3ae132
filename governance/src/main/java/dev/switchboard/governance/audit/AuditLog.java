package dev.switchboard.governance.audit;

import java.util.List;

/** Append and read the audit log. Blocking JDBC: call it from a worker thread, never an event loop. */
public interface AuditLog {

  /**
   * Appends one entry; its {@code id} is ignored and assigned by the store.
   *
   * @param entry the change to record
   * @return the entry as stored, with its id
   */
  AuditEntry append(AuditEntry entry);

  /**
   * Reads entries matching {@code query}, oldest first.
   *
   * @param query the filters
   * @return the matching entries
   */
  List<AuditEntry> query(AuditQuery query);
}
