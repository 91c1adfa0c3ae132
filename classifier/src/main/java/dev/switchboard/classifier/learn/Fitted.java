package dev.switchboard.classifier.learn;

import dev.switchboard.classifier.onnx.OnnxGraphBuilder;

/** A fitted member: predicts every candidate's probability of an adequate answer. */
public interface Fitted {

  /** n x K probabilities for the rows of {@code x}. */
  double[][] predict(float[][] x);

  /**
   * Adds the nodes that compute {@link #predict} inside an ONNX graph whose float input {@code
   * features} is {@code [N, D]}; returns the name of the {@code [N, K]} output tensor. {@code
   * prefix} keeps this member's tensor names apart from the others'.
   */
  String export(OnnxGraphBuilder g, String features, String prefix);

  /** Hyper-parameters and sizes for the card. */
  java.util.Map<String, Object> describe();
}
