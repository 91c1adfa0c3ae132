package dev.switchboard.eval.replay;

import java.util.Map;
import java.util.OptionalDouble;
import java.util.concurrent.CompletableFuture;

/** Scores candidate answers to a logged request, in [0,1]. */
public interface Grader {

  /**
   * Quality of every candidate's answer in {@code answers} (candidate -> answer). A candidate
   * missing from the result, or mapped to an empty value, could not be graded.
   */
  CompletableFuture<Map<String, OptionalDouble>> grade(LoggedRequest request, Map<String, CandidateAnswer> answers);

  /** Spend of the grader itself so far (the judge's calls), USD. */
  default double spentUsd() {
    return 0;
  }

  /** Short name for the run summary, e.g. {@code recorded}, {@code judge:gpt-4o}. */
  String name();
}
