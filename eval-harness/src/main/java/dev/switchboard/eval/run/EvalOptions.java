package dev.switchboard.eval.run;

/**
 * Settings of one evaluation.
 *
 * @param weak index (table order) of the weak model for two-model metrics
 * @param strong index of the strong model
 * @param adequacy quality at or above which an answer counts as adequate (oracle)
 * @param seed seed of the random mix and the bootstrap
 * @param bins number of quantile bins of each threshold sweep (RouteLLM uses 10)
 * @param resamples bootstrap resamples
 */
public record EvalOptions(int weak, int strong, double adequacy, long seed, int bins, int resamples) {}
