package dev.switchboard.dataset;

/**
 * One row of the canonical routing dataset: how one model did on one prompt.
 * See {@code datasets/README.md} for the Parquet schema.
 *
 * @param promptId stable id; every model's row for a prompt carries the same id
 * @param prompt the prompt text (for multi-turn, the last user turn's text)
 * @param messagesJson the whole conversation as an OpenAI messages JSON array, or null
 * @param category optional task/app/subject label, or null
 * @param split {@code train}, {@code validation} or {@code test}
 * @param model canonical model id (the source's {@code model_id} when it has one, else its model name);
 *     the key into {@code datasets/models.json}
 * @param quality outcome in [0,1]
 * @param inputTokens prompt tokens
 * @param outputTokens response tokens
 * @param costUsd cost of this answer in USD
 * @param source provenance, e.g. {@code alpacaeval2}
 */
public record RoutingRow(
    String promptId,
    String prompt,
    String messagesJson,
    String category,
    String split,
    String model,
    double quality,
    long inputTokens,
    long outputTokens,
    double costUsd,
    String source) {}
