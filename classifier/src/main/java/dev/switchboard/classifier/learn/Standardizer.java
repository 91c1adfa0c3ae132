package dev.switchboard.classifier.learn;

import dev.switchboard.classifier.onnx.OnnxGraphBuilder;
import java.util.List;

/**
 * Column scaling {@code (x - mean) * scale} fitted on training rows, restricted to the columns a
 * member uses ({@code use}); unused columns come out 0, so a member's weights on them are inert.
 * Per group of the feature layout:
 *
 * <ul>
 *   <li>embedding: centred per dimension, scaled by one factor for the whole block (its RMS
 *       deviation). Not per dimension: the static table is a PCA, whose trailing components are
 *       low-variance noise; whitening them to unit variance hands them as much weight under an L2
 *       penalty as the leading ones (measured: logistic regression routed worse whitened);
 *   <li>cheap features: each standardised (they have unrelated units); constant ones get std 1;
 *   <li>category one-hot: left as 0/1, so a weight on it is that category's offset.
 * </ul>
 *
 * @param mean per column (0 for unused columns)
 * @param std per column (1 for unused or constant columns)
 * @param scale per column: {@code 1 / std}, or 0 for unused columns
 */
record Standardizer(float[] mean, float[] std, float[] scale) {

  static Standardizer fit(float[][] x, boolean[] use, dev.switchboard.classifier.features.FeatureSpec spec) {
    int d = use.length;
    int e = spec.embeddingDim();
    int cheapEnd = e + spec.cheapFeatures().size();
    double[] m = new double[d];
    double[] s = new double[d];
    for (float[] row : x) {
      for (int c = 0; c < d; c++) {
        m[c] += row[c];
      }
    }
    for (int c = 0; c < d; c++) {
      m[c] /= Math.max(1, x.length);
    }
    for (float[] row : x) {
      for (int c = 0; c < d; c++) {
        double v = row[c] - m[c];
        s[c] += v * v;
      }
    }
    double blockVar = 0;
    for (int c = 0; c < e; c++) {
      blockVar += s[c] / Math.max(1, x.length);
    }
    double blockSd = Math.sqrt(blockVar / Math.max(1, e));
    float[] mean = new float[d];
    float[] std = new float[d];
    float[] scale = new float[d];
    for (int c = 0; c < d; c++) {
      double sd;
      if (c < e) {
        sd = blockSd > 1e-12 ? blockSd : 1;
      } else if (c < cheapEnd) {
        double v = Math.sqrt(s[c] / Math.max(1, x.length));
        sd = v > 1e-8 ? v : 1;
      } else {
        sd = 1; // one-hot: offsets
      }
      boolean centre = c < cheapEnd;
      mean[c] = use[c] && centre ? (float) m[c] : 0f;
      std[c] = (float) sd;
      scale[c] = use[c] ? (float) (1 / sd) : 0f;
    }
    return new Standardizer(mean, std, scale);
  }

  /** Standardised copies of the rows (float, row-major). */
  float[][] apply(float[][] x) {
    float[][] z = new float[x.length][];
    for (int i = 0; i < x.length; i++) {
      z[i] = apply(x[i]);
    }
    return z;
  }

  float[] apply(float[] row) {
    float[] z = new float[row.length];
    for (int c = 0; c < row.length; c++) {
      z[c] = (row[c] - mean[c]) * scale[c];
    }
    return z;
  }

  /** {@code z = (features - mean) * scale}; returns z's name. */
  String export(OnnxGraphBuilder g, String features, String prefix) {
    g.initializer(prefix + "mean", new long[] {mean.length}, mean);
    g.initializer(prefix + "scale", new long[] {scale.length}, scale);
    g.node("Sub", List.of(features, prefix + "mean"), prefix + "centered");
    g.node("Mul", List.of(prefix + "centered", prefix + "scale"), prefix + "z");
    return prefix + "z";
  }

  /** Which columns a member uses. */
  static boolean[] columns(dev.switchboard.classifier.features.FeatureSpec spec, boolean embedding, boolean cheap, boolean categories) {
    boolean[] use = new boolean[spec.width()];
    int e = spec.embeddingDim();
    int c = spec.cheapFeatures().size();
    for (int i = 0; i < use.length; i++) {
      use[i] = i < e ? embedding : i < e + c ? cheap : categories;
    }
    return use;
  }
}
