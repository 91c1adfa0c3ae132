/**
 * The append-only audit log: who changed which key or team, from where, and what it looked like before
 * and after. Start at {@link dev.switchboard.governance.audit.AuditLog}; the JDBC store implements it.
 * There is deliberately no update or delete anywhere in this API, and on PostgreSQL a trigger rejects them.
 */
package dev.switchboard.governance.audit;
