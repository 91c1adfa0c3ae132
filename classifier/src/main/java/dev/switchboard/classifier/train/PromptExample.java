package dev.switchboard.classifier.train;

import dev.switchboard.classifier.base.ScoringInput;

/**
 * One prompt with every candidate's observed outcome (or, for an auxiliary prompt, none) and the
 * outcomes of the other models in the data.
 *
 * @param quality per candidate, cheapest first (NaN for an auxiliary prompt)
 * @param costUsd per candidate, cheapest first
 * @param extra per non-candidate model ({@link TrainingSet#extraModels()} order), NaN where it has
 *     no row for this prompt
 */
public record PromptExample(String promptId, String split, ScoringInput input, double[] quality, double[] costUsd,
                            double[] extra) {}
