package dev.switchboard.dataset.recorded;

/**
 * One row of {@code datasets/recorded/answers.parquet}.
 *
 * @param model canonical model id, named as in the routing datasets
 * @param prompt the prompt text exactly as in the source
 * @param response the model's recorded answer
 * @param source the dataset it comes from, e.g. {@code alpacaeval2_weighted_gpt4turbo}
 */
public record AnswerRow(
    String model, String promptId, String prompt, String response, long inputTokens, long outputTokens,
    String source) {}
