package dev.switchboard.classifier.train;

import dev.switchboard.classifier.ScoringInput;

/**
 * One prompt with every candidate's observed outcome.
 *
 * @param quality per candidate, cheapest first
 * @param costUsd per candidate, cheapest first
 */
public record PromptExample(String promptId, String split, ScoringInput input, double[] quality, double[] costUsd) {}
