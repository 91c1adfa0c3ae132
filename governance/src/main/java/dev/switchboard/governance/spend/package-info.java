/**
 * Settled spend: one row per finished request, and totals grouped by key, team, model or day. Start at
 * {@link dev.switchboard.governance.spend.SpendLedger}; the JDBC store implements it. The live counters
 * ({@code counters}) enforce budgets; this ledger is the durable record they are seeded from.
 */
package dev.switchboard.governance.spend;
