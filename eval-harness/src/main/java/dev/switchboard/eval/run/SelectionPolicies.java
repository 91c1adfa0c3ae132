package dev.switchboard.eval.run;

import dev.switchboard.routing.Policy;
import java.util.ArrayList;
import java.util.List;

/**
 * Builds in-memory {@link Policy} objects for the harness's sweeps, so every routed decision in an
 * evaluation goes through {@link dev.switchboard.routing.Selection#choose}, the live router's
 * function.
 */
public final class SelectionPolicies {
  private SelectionPolicies() {}

  /** Candidates of the table in its (price) order, with fitted prices and the given thresholds. */
  public static List<Policy.Candidate> candidates(EvalTable t, double[] thresholds) {
    List<Policy.Candidate> out = new ArrayList<>(t.models());
    for (int c = 0; c < t.models(); c++) {
      double[] price = t.fittedPrice(c);
      out.add(new Policy.Candidate(t.candidates.get(c), price[0], price[1], thresholds[c]));
    }
    return out;
  }

  /** A quality-threshold policy over all table candidates. */
  public static Policy quality(EvalTable t, double[] thresholds, String sha256) {
    return new Policy("sweep", Policy.Kind.QUALITY_THRESHOLD, new Policy.ClassifierRef("", sha256),
        candidates(t, thresholds), List.of(), null, null, null, null, "");
  }

  /** A quality-threshold policy with one shared threshold for every candidate. */
  public static Policy uniformQuality(EvalTable t, double threshold, String sha256) {
    double[] th = new double[t.models()];
    java.util.Arrays.fill(th, threshold);
    return quality(t, th, sha256);
  }

  /** A two-rung difficulty policy: weak below {@code cut}, strong at or above. */
  public static Policy difficulty(EvalTable t, int weak, int strong, double cut, String sha256) {
    double[] pw = t.fittedPrice(weak);
    double[] ps = t.fittedPrice(strong);
    return new Policy("sweep", Policy.Kind.DIFFICULTY_THRESHOLD, new Policy.ClassifierRef("", sha256),
        List.of(new Policy.Candidate(t.candidates.get(weak), pw[0], pw[1], 0),
            new Policy.Candidate(t.candidates.get(strong), ps[0], ps[1], 0)),
        List.of(cut), null, null, null, null, "");
  }
}
