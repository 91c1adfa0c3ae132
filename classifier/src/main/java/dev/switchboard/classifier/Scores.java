package dev.switchboard.classifier;

import java.util.Arrays;
import java.util.List;

/**
 * The classifier's output for one prompt.
 *
 * @param difficulty d(q) in [0,1]: probability that the cheaper candidates fall short of the
 *     strongest one on this prompt (exact label in the model's card.json, {@code labels})
 * @param quality predicted quality in [0,1] per candidate, in {@link #candidates()} order
 * @param candidates candidate model names, the card's order (cheapest first)
 */
public record Scores(double difficulty, double[] quality, List<String> candidates) {

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

  @Override
  public boolean equals(Object o) {
    return o instanceof Scores s
        && Double.compare(difficulty, s.difficulty) == 0
        && Arrays.equals(quality, s.quality)
        && candidates.equals(s.candidates);
  }

  @Override
  public int hashCode() {
    return Double.hashCode(difficulty) * 31 + Arrays.hashCode(quality) * 17 + candidates.hashCode();
  }

  @Override
  public String toString() {
    return "Scores[difficulty=" + difficulty + ", quality=" + Arrays.toString(quality) + ", candidates=" + candidates + "]";
  }
}
