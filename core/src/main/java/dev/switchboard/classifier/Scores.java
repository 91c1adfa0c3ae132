package dev.switchboard.classifier;

import dev.switchboard.classifier.base.ClassifierException;
import java.util.Arrays;
import java.util.List;

/**
 * The classifier's output for one prompt.
 *
 * @param difficulty d(q) in [0,1]: probability that the cheaper candidates fall short of the
 *     strongest one on this prompt (exact label in the model's card.json, {@code labels})
 * @param quality predicted quality in [0,1] per candidate, in {@link #candidates()} order
 * @param candidates candidate model names, the card's order (cheapest first)
 * @param irtA the prompt's IRT discrimination a(q), NaN when the model has no IRT head
 * @param irtB the prompt's IRT difficulty b(q), NaN when the model has no IRT head
 */
public record Scores(double difficulty, double[] quality, List<String> candidates, double irtA, double irtB) {

  /** Scores without IRT parameters. */
  public Scores(double difficulty, double[] quality, List<String> candidates) {
    this(difficulty, quality, candidates, Double.NaN, Double.NaN);
  }

  public Scores {
    quality = quality.clone();
    candidates = List.copyOf(candidates);
    if (quality.length != candidates.size()) {
      throw new ClassifierException(
          "quality has " + quality.length + " values but there are " + candidates.size() + " candidates");
    }
  }

  @Override
  public double[] quality() {
    return quality.clone();
  }

  /** Predicted quality of {@code model}; throws {@link ClassifierException} for an unknown model. */
  public double quality(String model) {
    int i = candidates.indexOf(model);
    if (i < 0) {
      throw new ClassifierException("model '" + model + "' is not a candidate of this classifier " + candidates);
    }
    return quality[i];
  }

  /** Predicted quality of {@code model}, or NaN when it is not one of this classifier's candidates. */
  public double qualityOrNaN(String model) {
    int i = candidates.indexOf(model);
    return i < 0 ? Double.NaN : quality[i];
  }

  /**
   * The predicted quality of a candidate the classifier was not trained on, from its IRT ability:
   * {@code sigmoid(a(q) * (ability - b(q)))}.
   *
   * @throws ClassifierException when the model has no IRT head
   */
  public double qualityAtAbility(double ability) {
    if (Double.isNaN(irtA) || Double.isNaN(irtB)) {
      throw new ClassifierException("this classifier has no IRT head: retrain it to route candidates by ability");
    }
    return 1.0 / (1.0 + Math.exp(-irtA * (ability - irtB)));
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof Scores s
        && Double.compare(difficulty, s.difficulty) == 0
        && Arrays.equals(quality, s.quality)
        && candidates.equals(s.candidates)
        && Double.compare(irtA, s.irtA) == 0
        && Double.compare(irtB, s.irtB) == 0;
  }

  @Override
  public int hashCode() {
    return Double.hashCode(difficulty) * 31 + Arrays.hashCode(quality) * 17 + candidates.hashCode();
  }

  @Override
  public String toString() {
    return "Scores[difficulty=" + difficulty + ", quality=" + Arrays.toString(quality) + ", candidates=" + candidates
        + ", irtA=" + irtA + ", irtB=" + irtB + "]";
  }
}
