package dev.switchboard.classifier.learn;

import dev.switchboard.classifier.features.FeatureSpec;

/**
 * What a learner sees: one feature row per prompt (layout {@link FeatureSpec}) and every
 * candidate's observed quality in [0, 1] and cost, candidates cheapest first.
 *
 * @param x feature rows, n x D
 * @param q qualities, n x K
 * @param cost costs in USD, n x K (NaN when unpriced)
 * @param spec the column layout of {@code x}
 * @param extra qualities of non-candidate models, n x E, NaN where unobserved (E may be 0); only the
 *     IRT head reads them
 */
public record Data(float[][] x, double[][] q, double[][] cost, FeatureSpec spec, double[][] extra) {

  public Data {
    if (x.length != q.length || x.length != cost.length) {
      throw new IllegalArgumentException("rows: x " + x.length + ", q " + q.length + ", cost " + cost.length);
    }
    if (extra == null) {
      extra = new double[x.length][0];
    }
    if (extra.length != x.length) {
      throw new IllegalArgumentException("rows: x " + x.length + ", extra " + extra.length);
    }
  }

  /** Data without other models' outcomes. */
  public Data(float[][] x, double[][] q, double[][] cost, FeatureSpec spec) {
    this(x, q, cost, spec, null);
  }

  /** Width of {@link #extra}. */
  public int extraModels() {
    return extra.length == 0 ? 0 : extra[0].length;
  }

  public int size() {
    return x.length;
  }

  public int candidates() {
    return q.length == 0 ? 0 : q[0].length;
  }

  /** The rows at {@code idx}, in that order. */
  public Data rows(int[] idx) {
    float[][] xs = new float[idx.length][];
    double[][] qs = new double[idx.length][];
    double[][] cs = new double[idx.length][];
    double[][] es = new double[idx.length][];
    for (int i = 0; i < idx.length; i++) {
      xs[i] = x[idx[i]];
      qs[i] = q[idx[i]];
      cs[i] = cost[idx[i]];
      es[i] = extra[idx[i]];
    }
    return new Data(xs, qs, cs, spec, es);
  }

  /** Index of the one-hot category column set in row {@code i}, or -1 (no or unknown category). */
  public int category(int i) {
    return category(spec, x[i]);
  }

  static int category(FeatureSpec spec, float[] row) {
    int from = spec.embeddingDim() + spec.cheapFeatures().size();
    for (int c = 0; c < spec.categories().size(); c++) {
      if (row[from + c] > 0.5f) {
        return c;
      }
    }
    return -1;
  }
}
