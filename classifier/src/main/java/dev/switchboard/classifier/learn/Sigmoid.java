package dev.switchboard.classifier.learn;

/** Numerics shared by the members. */
final class Sigmoid {
  private Sigmoid() {}

  static double of(double z) {
    return 1.0 / (1.0 + Math.exp(-z));
  }

  static double softplus(double z) {
    return z > 30 ? z : Math.log1p(Math.exp(z));
  }

  static double logit(double p) {
    double c = Math.min(1 - 1e-4, Math.max(1e-4, p));
    return Math.log(c / (1 - c));
  }

  /** Cross-entropy of probability {@code p} against soft target {@code y} in [0, 1]. */
  static double crossEntropy(double p, double y) {
    double c = Math.min(1 - 1e-7, Math.max(1e-7, p));
    return -(y * Math.log(c) + (1 - y) * Math.log(1 - c));
  }
}
