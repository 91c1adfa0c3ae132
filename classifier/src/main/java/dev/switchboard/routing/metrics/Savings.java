package dev.switchboard.routing.metrics;

import java.util.List;

/**
 * Cost saving against always calling the best single model.
 *
 * <p>{@code savingAt(points, f, bestQuality, bestCost)} = {@code 1 - c* / bestCost}, where {@code
 * c*} is the lowest mean cost among the policy's operating points whose mean quality is at least
 * {@code f * bestQuality}. Only measured points count (no interpolation), so the saving is one a
 * deployment can actually get with one threshold setting. NaN if no point reaches the bar.
 */
public final class Savings {
  private Savings() {}

  public static double savingAt(List<CostQuality> points, double fraction, double bestQuality, double bestCost) {
    double bar = fraction * bestQuality;
    double cheapest = Double.POSITIVE_INFINITY;
    for (CostQuality p : points) {
      if (p.quality() >= bar - 1e-12 && p.cost() < cheapest) {
        cheapest = p.cost();
      }
    }
    return cheapest == Double.POSITIVE_INFINITY ? Double.NaN : 1 - cheapest / bestCost;
  }
}
