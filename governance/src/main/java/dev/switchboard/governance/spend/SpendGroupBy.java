package dev.switchboard.governance.spend;

/** How {@link SpendLedger#spend} groups its totals. */
public enum SpendGroupBy {
  /** One total per key id. */
  KEY,
  /** One total per team id ({@code null} for keys without a team). */
  TEAM,
  /** One total per model. */
  MODEL,
  /** One total per UTC day, the group named {@code yyyy-MM-dd}. */
  DAY
}
