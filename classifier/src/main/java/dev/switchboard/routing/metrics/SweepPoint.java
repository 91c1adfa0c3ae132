package dev.switchboard.routing.metrics;

/**
 * One operating point of a two-model router at one threshold.
 *
 * @param threshold the score threshold (strong model iff score &gt;= threshold; the last edge uses
 *     &gt;)
 * @param strongShare fraction of prompts sent to the strong model, in [0, 1]
 * @param meanQuality mean per-prompt quality of the routed answers
 * @param meanCost mean cost per prompt in USD
 */
public record SweepPoint(double threshold, double strongShare, double meanQuality, double meanCost) {}
