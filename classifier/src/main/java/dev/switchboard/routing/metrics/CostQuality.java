package dev.switchboard.routing.metrics;

/** A point on the cost-quality plane: mean cost per request (USD) and mean quality. */
public record CostQuality(double cost, double quality) {}
