package dev.switchboard.dataset.recorded;

/**
 * A model's real recorded answer to a prompt, from the shipped datasets.
 *
 * @param inputTokens prompt tokens as recorded (cl100k proxy)
 * @param outputTokens response tokens as recorded (cl100k proxy)
 */
public record RecordedAnswer(String model, String promptId, String response, long inputTokens, long outputTokens) {}
