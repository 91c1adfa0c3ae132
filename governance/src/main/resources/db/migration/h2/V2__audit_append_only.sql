-- Same guard as PostgreSQL's V2, as an H2 Java trigger (H2 has no procedural SQL).
CREATE TRIGGER audit_log_no_change BEFORE UPDATE, DELETE ON audit_log
  FOR EACH ROW CALL 'dev.switchboard.governance.store.AuditAppendOnlyTrigger';
