package dev.switchboard.eval.replay;

/**
 * One candidate's answer to a replayed conversation.
 *
 * @param candidate the deployment/model name that answered
 * @param text the answer text
 * @param promptTokens prompt tokens as reported by the upstream
 * @param completionTokens completion tokens as reported by the upstream
 * @param latencyMs wall time of the call
 * @param model the upstream model that answered (a route's candidate may be answered by a fallback
 *     deployment); null when only the candidate name is known
 * @param costUsd the exact cost of the call at the answering deployment's prices, or null when the
 *     caller prices it (by candidate name, from {@code --prices})
 */
public record CandidateAnswer(String candidate, String text, long promptTokens, long completionTokens, double latencyMs,
    String model, Double costUsd) {

  public CandidateAnswer(String candidate, String text, long promptTokens, long completionTokens, double latencyMs) {
    this(candidate, text, promptTokens, completionTokens, latencyMs, null, null);
  }

  /** The model name graders look up: the answering model when known, else the candidate. */
  public String gradedModel() {
    return model != null ? model : candidate;
  }
}
