package dev.switchboard.eval.replay;

/**
 * One candidate's answer to a replayed conversation.
 *
 * @param candidate the deployment/model name that answered
 * @param text the answer text
 * @param promptTokens prompt tokens as reported by the upstream
 * @param completionTokens completion tokens as reported by the upstream
 * @param latencyMs wall time of the call
 */
public record CandidateAnswer(String candidate, String text, long promptTokens, long completionTokens, double latencyMs) {}
