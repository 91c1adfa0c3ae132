package dev.switchboard.dataset;

/** Small row factory for tests. */
final class TestRows {
  private TestRows() {}

  static RoutingRow row(String promptId, String model, double quality, double cost, String split) {
    return new RoutingRow(promptId, "prompt of " + promptId, null, null, split, model, quality, 10, 20, cost, "test");
  }
}
