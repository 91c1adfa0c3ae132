package dev.switchboard.classifier.learn;

/** Adam over one flat parameter vector (full-batch steps: deterministic). */
final class Adam {
  private final double lr;
  private final double[] m;
  private final double[] v;
  private int t;

  Adam(int size, double lr) {
    this.lr = lr;
    this.m = new double[size];
    this.v = new double[size];
  }

  void step(double[] params, double[] grad) {
    t++;
    double c1 = 1 - Math.pow(0.9, t);
    double c2 = 1 - Math.pow(0.999, t);
    for (int i = 0; i < params.length; i++) {
      m[i] = 0.9 * m[i] + 0.1 * grad[i];
      v[i] = 0.999 * v[i] + 0.001 * grad[i] * grad[i];
      params[i] -= lr * (m[i] / c1) / (Math.sqrt(v[i] / c2) + 1e-8);
    }
  }
}
