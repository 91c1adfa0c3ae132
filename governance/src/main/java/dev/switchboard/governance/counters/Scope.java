package dev.switchboard.governance.counters;

/** Whose budget or limit: the key's own, or its team's (shared by all the team's keys). */
public enum Scope {
  /** The key's own budget or limit. */
  KEY,
  /** The team's budget or limit. */
  TEAM;

  String tag() {
    return this == KEY ? "key" : "team";
  }
}
