package dev.switchboard.classifier.heads;

/**
 * The trained heads: standardisation, an optional shared ReLU hidden layer, and a sigmoid
 * output layer whose column 0 is the difficulty and columns 1..K the candidates' quality.
 * All weights are float32 values (as exported to ONNX) so the Java forward pass and the ONNX
 * graph compute on identical parameters.
 *
 * @param inputDim D
 * @param hidden H (0 = logistic regression straight from the standardised input)
 * @param outputs 1 + K
 * @param mean per-input mean subtracted first (length D)
 * @param std per-input divisor (length D; 1 for constant columns)
 * @param w1 D x H row-major (empty when H = 0)
 * @param b1 H
 * @param w2 H' x outputs row-major, H' = H or D when H = 0
 * @param b2 outputs
 */
public record HeadsModel(int inputDim, int hidden, int outputs, float[] mean, float[] std,
                         float[] w1, float[] b1, float[] w2, float[] b2) {

  public HeadsModel {
    int h = hidden == 0 ? inputDim : hidden;
    check(mean.length == inputDim && std.length == inputDim, "mean/std length");
    check(w1.length == (hidden == 0 ? 0 : inputDim * hidden) && b1.length == hidden, "w1/b1 shape");
    check(w2.length == h * outputs && b2.length == outputs, "w2/b2 shape");
    check(outputs >= 1, "outputs >= 1");
  }

  private static void check(boolean ok, String what) {
    if (!ok) {
      throw new IllegalArgumentException("HeadsModel: bad " + what);
    }
  }

  /** Width of the layer feeding the output layer. */
  public int lastWidth() {
    return hidden == 0 ? inputDim : hidden;
  }

  /** Forward pass for one input row: sigmoid outputs, index 0 difficulty, 1..K quality. */
  public double[] forward(float[] x) {
    double[] z = new double[inputDim];
    for (int i = 0; i < inputDim; i++) {
      z[i] = ((double) x[i] - mean[i]) / std[i];
    }
    double[] a = z;
    if (hidden > 0) {
      a = new double[hidden];
      for (int j = 0; j < hidden; j++) {
        a[j] = b1[j];
      }
      for (int i = 0; i < inputDim; i++) {
        double zi = z[i];
        int row = i * hidden;
        for (int j = 0; j < hidden; j++) {
          a[j] += zi * w1[row + j];
        }
      }
      for (int j = 0; j < hidden; j++) {
        a[j] = Math.max(0, a[j]);
      }
    }
    double[] o = new double[outputs];
    for (int k = 0; k < outputs; k++) {
      o[k] = b2[k];
    }
    for (int j = 0; j < a.length; j++) {
      int row = j * outputs;
      for (int k = 0; k < outputs; k++) {
        o[k] += a[j] * w2[row + k];
      }
    }
    for (int k = 0; k < outputs; k++) {
      o[k] = 1.0 / (1.0 + Math.exp(-o[k]));
    }
    return o;
  }
}
