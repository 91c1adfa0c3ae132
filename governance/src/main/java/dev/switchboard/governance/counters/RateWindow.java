package dev.switchboard.governance.counters;

/** One of the four sliding windows a request is checked against. */
public enum RateWindow {
  /** The key's requests per minute. */
  KEY_REQUESTS(Scope.KEY, false),
  /** The key's tokens per minute. */
  KEY_TOKENS(Scope.KEY, true),
  /** The team's requests per minute. */
  TEAM_REQUESTS(Scope.TEAM, false),
  /** The team's tokens per minute. */
  TEAM_TOKENS(Scope.TEAM, true);

  private final Scope scope;
  private final boolean tokens;

  RateWindow(Scope scope, boolean tokens) {
    this.scope = scope;
    this.tokens = tokens;
  }

  /** @return whose limit this is */
  public Scope scope() {
    return scope;
  }

  /** @return {@code true} for a tokens-per-minute window, {@code false} for requests per minute */
  public boolean tokens() {
    return tokens;
  }

  /** Counter name part: {@code key:<id>:rpm}. */
  String cell(String id) {
    return scope.tag() + ":" + id + (tokens ? ":tpm" : ":rpm");
  }
}
