package dev.switchboard.classifier.onnx;


/**
 * The input and output names of a router graph ({@code classifier.onnx}): what {@link HeadsRunner}
 * feeds and reads, and what the trainers' exporters ({@code HeadsOnnx}, {@code RouterOnnx}) write.
 */
public final class RouterGraph {

  /** {@code features [N, D]}: the feature rows ({@code FeatureSpec}). */
  public static final String INPUT = "features";
  /** {@code difficulty [N, 1]}. */
  public static final String DIFFICULTY = "difficulty";
  /** {@code quality [N, K]}: each candidate's probability of an adequate answer. */
  public static final String QUALITY = "quality";
  /** Outputs of a graph with an IRT head: each prompt's discrimination and difficulty. */
  public static final String IRT_A = "irt_a";
  public static final String IRT_B = "irt_b";

  private RouterGraph() {}
}
