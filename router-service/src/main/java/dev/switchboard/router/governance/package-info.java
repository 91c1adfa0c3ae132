/**
 * Issue #14 in the gateway: inbound keys on {@code /v1/*} ({@link dev.switchboard.router.governance.AuthFilter}),
 * per-key model allow-lists, caps, rate limits and budgets on the chat path
 * ({@link dev.switchboard.router.governance.KeyGate}), and the admin API for keys, teams, spend and audit
 * ({@link dev.switchboard.router.governance.AdminApi}). Start at {@link dev.switchboard.router.governance.Governance},
 * which the gateway builds at start and which opens the store (the {@code governance} module) only when needed.
 */
package dev.switchboard.router.governance;
