/**
 * Governance for the gateway (issue #14): who may call it, how much they may spend and how fast.
 *
 * <p>Start at {@link dev.switchboard.governance.keys.KeyRegistry} (create keys and teams, authenticate a
 * presented secret), {@link dev.switchboard.governance.store.GovernanceDatabase} (open the H2 or PostgreSQL
 * store) and {@link dev.switchboard.governance.counters.LiveCounters} (budget reservations and rate limits).
 * This package holds the value types every feature shares: {@link dev.switchboard.governance.Budget} and
 * {@link dev.switchboard.governance.BudgetPeriod}. No HTTP here: the gateway wires these into its filters.
 */
package dev.switchboard.governance;
