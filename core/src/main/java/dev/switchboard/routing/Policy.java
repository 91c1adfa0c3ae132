package dev.switchboard.routing;

import java.util.List;
import java.util.Map;

/**
 * A versioned routing policy: which models the router may call, in price order, and the thresholds
 * that decide between them. Written by {@code switchboard tune}, read by the live router and the
 * offline harness; both decide through {@link Selection#choose} so their numbers cannot drift.
 *
 * <p>YAML field names are snake_case (see {@link PolicyFiles}).
 *
 * @param version unique id of this policy, e.g. {@code 20261125T123800Z-3f2a9c1b} (UTC time + hash)
 * @param kind how thresholds are read
 * @param classifier the classifier whose scores the thresholds refer to
 * @param candidates models in ascending price order; index i matches the classifier's score for it
 * @param difficultyThresholds for {@link Kind#DIFFICULTY_THRESHOLD}: ascending cut points, one fewer
 *     than candidates (a ladder); difficulty below {@code difficultyThresholds[i]} and at or above
 *     all earlier ones routes to candidate i. Empty for the quality kind.
 * @param target what the thresholds were tuned for
 * @param tunedOn the data the thresholds were tuned on, or null for a hand-written policy
 * @param validation the point achieved on the tuning split, or null
 * @param test the point achieved on the held-out split, or null
 * @param created ISO-8601 UTC instant the policy was written
 */
public record Policy(
    String version,
    Kind kind,
    ClassifierRef classifier,
    List<Candidate> candidates,
    List<Double> difficultyThresholds,
    Target target,
    TunedOn tunedOn,
    AchievedPoint validation,
    AchievedPoint test,
    String created) {

  public Policy {
    candidates = List.copyOf(candidates);
    difficultyThresholds = difficultyThresholds == null ? List.of() : List.copyOf(difficultyThresholds);
  }

  /** How the policy's thresholds are read. */
  public enum Kind {
    /** Cheapest candidate whose predicted quality is at least its own threshold. */
    QUALITY_THRESHOLD("quality-threshold"),
    /** Candidate picked by where the predicted difficulty falls on a ladder of cut points. */
    DIFFICULTY_THRESHOLD("difficulty-threshold");

    private final String yamlName;

    Kind(String yamlName) {
      this.yamlName = yamlName;
    }

    public String yamlName() {
      return yamlName;
    }

    /** The kind named {@code name} in a policy file, or null if there is none. */
    public static Kind fromYaml(String name) {
      for (Kind k : values()) {
        if (k.yamlName.equals(name)) {
          return k;
        }
      }
      return null;
    }
  }

  /** The classifier a policy was tuned against; the router refuses a different sha256. */
  public record ClassifierRef(String path, String sha256) {}

  /**
   * One routable model.
   *
   * @param threshold minimum predicted quality for the quality kind (ignored by the difficulty kind)
   * @param ability the model's IRT ability, for a model the classifier was not trained on (its
   *     predicted quality is then {@code sigmoid(irt_a * (ability - irt_b))}); null for the
   *     classifier's own candidates
   */
  public record Candidate(
      String model, double inputPricePerMtok, double outputPricePerMtok, double threshold, Double ability) {

    /** A candidate the classifier predicts directly. */
    public Candidate(String model, double inputPricePerMtok, double outputPricePerMtok, double threshold) {
      this(model, inputPricePerMtok, outputPricePerMtok, threshold, null);
    }

    /** Expected cost in USD of one request with the given token counts. */
    public double expectedCostUsd(double inputTokens, double outputTokens) {
      return (inputTokens * inputPricePerMtok + outputTokens * outputPricePerMtok) / 1_000_000.0;
    }
  }

  /**
   * The tuning target: exactly one of the two is set.
   *
   * @param quality fraction of the best single model's mean quality, in (0, 1]
   * @param costUsd cap on the mean cost per request in USD
   */
  public record Target(Double quality, Double costUsd) {
    public static Target quality(double fraction) {
      return new Target(fraction, null);
    }

    public static Target cost(double usd) {
      return new Target(null, usd);
    }

    @Override
    public String toString() {
      return quality != null ? "quality=" + quality : "cost=" + costUsd;
    }
  }

  /** Provenance of the tuning data. */
  public record TunedOn(String dataset, String sha256, String split, long rows) {}

  /**
   * A measured operating point of the policy on a split.
   *
   * @param meanQuality mean per-prompt quality of the routed answers
   * @param qualityFraction meanQuality divided by the best single model's mean quality
   * @param costPerRequestUsd mean cost per request
   * @param callShare model name to fraction of requests routed to it
   */
  public record AchievedPoint(
      String split,
      long prompts,
      double meanQuality,
      double qualityFraction,
      double costPerRequestUsd,
      Map<String, Double> callShare) {}

  /** Index of {@code model} among the candidates, or -1. */
  public int indexOf(String model) {
    for (int i = 0; i < candidates.size(); i++) {
      if (candidates.get(i).model().equals(model)) {
        return i;
      }
    }
    return -1;
  }

  /**
   * The quality fraction the thresholds stand for: the quality target, or for a cost-capped policy
   * the fraction it achieved on validation. Used to scale thresholds for a quality override.
   */
  public double referenceQualityFraction() {
    if (target != null && target.quality() != null) {
      return target.quality();
    }
    if (validation != null && validation.qualityFraction() > 0) {
      return validation.qualityFraction();
    }
    return 1.0;
  }
}
