package dev.switchboard.routing;

import java.util.ArrayList;
import java.util.List;

/**
 * The outcome of {@link Selection#choose}.
 *
 * @param model the chosen model
 * @param index its index among the policy's candidates
 * @param reason why it was chosen
 * @param predictedQuality the classifier's predicted quality for it (NaN if none was given)
 * @param effectiveThreshold the threshold that decided: the scaled quality threshold of the chosen
 *     candidate, or the difficulty cut point it fell below (NaN when none applies)
 * @param fallbacks candidate indices to try if the chosen model fails, best predicted quality first
 */
public record Decision(
    String model,
    int index,
    Reason reason,
    double predictedQuality,
    double effectiveThreshold,
    int[] fallbacks) {

  /** Why a model was chosen. */
  public enum Reason {
    /** The cheapest allowed candidate whose predicted quality met its threshold. */
    MEETS_THRESHOLD,
    /** No allowed candidate met its threshold: the best predicted one. */
    BEST_PREDICTED,
    /** The difficulty fell on this candidate's rung of the ladder. */
    DIFFICULTY_RUNG,
    /** The difficulty rung's model was not allowed; the nearest stronger (else weaker) allowed one. */
    DIFFICULTY_NEAREST_ALLOWED,
    /** No allowed candidate fits the cost cap: the cheapest expected one. */
    CHEAPEST_OVER_BUDGET
  }

  /** The fallback models by name, in order. */
  public List<String> fallbackModels(Policy policy) {
    List<String> out = new ArrayList<>(fallbacks.length);
    for (int i : fallbacks) {
      out.add(policy.candidates().get(i).model());
    }
    return out;
  }
}
