package dev.switchboard.router.config;

/** How a route alias picks among its deployments. */
public enum RouteType {
  FALLBACK("fallback"), WEIGHTED("weighted"), EVAL_DRIVEN("eval-driven");

  private final String wireName;

  RouteType(String wireName) {
    this.wireName = wireName;
  }

  public String wireName() {
    return wireName;
  }
}
