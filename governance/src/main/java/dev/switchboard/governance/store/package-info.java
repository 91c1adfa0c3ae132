/**
 * The relational store behind keys, teams, spend and the audit log. Start at
 * {@link dev.switchboard.governance.store.GovernanceDatabase}: it opens an embedded H2 file under a data
 * directory or a PostgreSQL server, migrates the schema with Flyway and hands out the
 * {@link dev.switchboard.governance.store.JdbcGovernanceStore}, which implements
 * {@link dev.switchboard.governance.keys.KeyStore}, {@link dev.switchboard.governance.audit.AuditLog} and
 * {@link dev.switchboard.governance.spend.SpendLedger}. Everything here blocks: keep it off event loops.
 */
package dev.switchboard.governance.store;
