package dev.switchboard.router.cache;

/** What the cache did with a request: the value of the {@code x-switchboard-cache} header and the metric's label. */
public enum CacheOutcome {
  HIT("hit"), SEMANTIC_HIT("semantic-hit"), MISS("miss"), BYPASS("bypass");

  private final String wireName;

  CacheOutcome(String wireName) {
    this.wireName = wireName;
  }

  public String wireName() {
    return wireName;
  }
}
