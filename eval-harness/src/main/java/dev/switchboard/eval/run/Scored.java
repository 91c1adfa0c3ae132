package dev.switchboard.eval.run;

import java.util.ArrayList;
import java.util.List;

/**
 * Classifier scores for every prompt of an {@link EvalTable}, with predicted qualities reordered to
 * the table's candidate order. Each prompt is scored exactly once; sweeps reuse these arrays.
 */
public final class Scored {
  /** predicted[p][c], table candidate order. */
  public final double[][] predicted;
  public final double[] difficulty;

  public Scored(double[][] predicted, double[] difficulty) {
    if (predicted.length != difficulty.length) {
      throw new IllegalArgumentException("predicted and difficulty lengths differ");
    }
    this.predicted = predicted;
    this.difficulty = difficulty;
  }

  public static final int BATCH = 64;

  /**
   * Scores the table's prompts with {@code scorer}. Every table candidate must be one of the
   * classifier's candidates, otherwise {@link EvalException} naming the missing ones.
   */
  public static Scored score(EvalTable t, PromptScorer scorer, Progress progress) {
    int[] map = candidateMap(t.candidates, scorer);
    int n = t.size();
    double[][] predicted = new double[n][];
    double[] difficulty = new double[n];
    for (int start = 0; start < n; start += BATCH) {
      int end = Math.min(n, start + BATCH);
      List<PromptScorer.PromptInput> batch = new ArrayList<>(end - start);
      for (int p = start; p < end; p++) {
        batch.add(input(t, p));
      }
      List<PromptScorer.PromptScore> out = scorer.scoreBatch(batch);
      for (int p = start; p < end; p++) {
        PromptScorer.PromptScore s = out.get(p - start);
        double[] q = new double[map.length];
        for (int c = 0; c < map.length; c++) {
          q[c] = s.quality()[map[c]];
        }
        predicted[p] = q;
        difficulty[p] = s.difficulty();
      }
      progress.update(end);
    }
    return new Scored(predicted, difficulty);
  }

  /** Prompt {@code p} of the table as the classifier takes it: the conversation when there is one, else the text. */
  static PromptScorer.PromptInput input(EvalTable t, int p) {
    boolean conv = t.messagesJson[p] != null && !t.messagesJson[p].isBlank();
    return new PromptScorer.PromptInput(conv ? null : t.prompt[p], conv ? t.messagesJson[p] : null, t.category[p]);
  }

  /** For each table candidate, its index among the classifier's candidates. */
  public static int[] candidateMap(List<String> tableCandidates, PromptScorer scorer) {
    List<String> known = scorer.candidates();
    List<String> missing = tableCandidates.stream().filter(m -> !known.contains(m)).toList();
    if (!missing.isEmpty()) {
      throw new EvalException(
          "classifier " + scorer.location() + " does not score " + String.join(", ", missing)
              + " (its candidates: " + String.join(", ", known) + ")");
    }
    int[] map = new int[tableCandidates.size()];
    for (int c = 0; c < map.length; c++) {
      map[c] = known.indexOf(tableCandidates.get(c));
    }
    return map;
  }
}
