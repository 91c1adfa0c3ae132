package dev.switchboard.classifier.train;

import java.util.List;

/**
 * How a prompt's difficulty label is derived from the candidates' observed qualities
 * (candidates ordered cheapest first; the last one is the strong reference).
 */
public enum DifficultyLabel {

  /**
   * 1 iff the strongest candidate's answer is strictly better than every cheaper candidate's
   * ({@code q_strong > max(q_cheaper)}). Measured to give a higher APGR than {@link #BELOW_THRESHOLD}:
   * it asks "does paying more buy a better answer here", not only "is the cheap one bad".
   */
  BEATS {
    @Override
    public double label(double[] q, double threshold) {
      return q[q.length - 1] > maxCheaper(q) ? 1 : 0;
    }

    @Override
    public String definition(List<String> candidates, double threshold) {
      return "difficulty = 1 iff quality(" + candidates.get(candidates.size() - 1) + ") > max quality of the cheaper candidates "
          + candidates.subList(0, candidates.size() - 1) + " on the prompt (the strong answer beats every cheap one), else 0;"
          + " the head outputs P(difficulty = 1). Ties count as 0 (a cheap answer is as good).";
    }
  },

  /** 1 iff every cheaper candidate's quality is below the threshold (the cheap ones fail the bar). */
  BELOW_THRESHOLD {
    @Override
    public double label(double[] q, double threshold) {
      return maxCheaper(q) < threshold ? 1 : 0;
    }

    @Override
    public String definition(List<String> candidates, double threshold) {
      return "difficulty = 1 iff every cheaper candidate " + candidates.subList(0, candidates.size() - 1)
          + " has quality < " + threshold + " on the prompt, else 0; the head outputs P(difficulty = 1).";
    }
  };

  public abstract double label(double[] qualityCheapestFirst, double threshold);

  public abstract String definition(List<String> candidates, double threshold);

  static double maxCheaper(double[] q) {
    double m = Double.NEGATIVE_INFINITY;
    for (int i = 0; i < q.length - 1; i++) {
      m = Math.max(m, q[i]);
    }
    return m;
  }

  /** Parses {@code beats} / {@code below-threshold}. */
  public static DifficultyLabel parse(String s) {
    return switch (s.toLowerCase(java.util.Locale.ROOT)) {
      case "beats" -> BEATS;
      case "below-threshold", "below_threshold" -> BELOW_THRESHOLD;
      default -> throw new IllegalArgumentException("unknown label rule '" + s + "' (beats | below-threshold)");
    };
  }
}
