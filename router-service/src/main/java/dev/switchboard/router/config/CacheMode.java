package dev.switchboard.router.config;

/** Whether a route's (or a key's) answers are cached: not at all, on an exact match, or also on a semantic match. */
public enum CacheMode {
  OFF("off"), EXACT("exact"), SEMANTIC("semantic");

  private final String wireName;

  CacheMode(String wireName) {
    this.wireName = wireName;
  }

  public String wireName() {
    return wireName;
  }

  /** The mode a config value or key tag names ({@code off}, {@code exact}, {@code semantic}, case-insensitive), or null. */
  public static CacheMode parse(String s) {
    if (s == null) return null;
    for (CacheMode m : values()) if (m.wireName.equalsIgnoreCase(s.trim())) return m;
    return null;
  }
}
