package dev.switchboard.eval.run;

import java.util.List;

/**
 * What the harness needs from a classifier: its identity, its candidate order and batch scoring.
 * The production implementation wraps {@code dev.switchboard.classifier.Classifier}.
 */
interface PromptScorer {

  /** Where the classifier was loaded from (for the report). */
  String location();

  /** sha256 of the classifier's ONNX file (for the report and the policy). */
  String sha256();

  /** Candidate models in the classifier's order; {@link PromptScore#quality} follows it. */
  List<String> candidates();

  /** List prices {input, output} in USD per 1M tokens per candidate, where the classifier's card has them. */
  default java.util.Map<String, double[]> prices() {
    return java.util.Map.of();
  }

  /** Scores a batch of prompts, one result per input, in order. */
  List<PromptScore> scoreBatch(List<PromptInput> batch);

  /** One prompt to score: plain text or an OpenAI messages array, plus an optional category. */
  record PromptInput(String text, String messagesJson, String category) {}

  /** The classifier's output for one prompt. */
  record PromptScore(double difficulty, double[] quality) {}
}
