package dev.switchboard.routing;

import java.util.function.DoubleUnaryOperator;
import java.util.function.ToDoubleFunction;

/**
 * Each policy candidate's predicted quality for one prompt, in policy order: the classifier's own
 * prediction for its candidates, or for a candidate it was not trained on, the quality its IRT head
 * gives the candidate's stated ability. The one place both the live router and the harness read
 * predictions for {@link Selection#choose}.
 */
public final class PolicyQualities {
  private PolicyQualities() {}

  /**
   * @param predicted the classifier's prediction for a model it knows, or NaN for one it does not
   * @param byAbility the classifier's IRT prediction for an ability (throws when it has no IRT head)
   * @throws IllegalArgumentException for a candidate the classifier does not know and that has no
   *     ability (policy validation rejects such policies up front)
   */
  public static double[] of(Policy policy, ToDoubleFunction<String> predicted, DoubleUnaryOperator byAbility) {
    double[] q = new double[policy.candidates().size()];
    for (int i = 0; i < q.length; i++) {
      Policy.Candidate c = policy.candidates().get(i);
      double v = c.ability() == null ? predicted.applyAsDouble(c.model()) : Double.NaN;
      if (Double.isNaN(v)) {
        if (c.ability() == null) {
          throw new IllegalArgumentException("candidate '" + c.model() + "' is not scored by the classifier and has no ability");
        }
        v = byAbility.applyAsDouble(c.ability());
      }
      q[i] = v;
    }
    return q;
  }
}
