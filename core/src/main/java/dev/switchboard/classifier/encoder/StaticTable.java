package dev.switchboard.classifier.encoder;

import dev.switchboard.classifier.onnx.StaticEncoderOnnx;

/**
 * The static encoder's token table and its one computation: a prompt's embedding is the mean of
 * its content tokens' rows, L2-normalised. The ONNX graph served by {@link StaticEncoder} computes
 * exactly this (tests hold the two within 1e-5); training uses this plain-Java form because it
 * needs no native call per prompt.
 *
 * @param rows vocabulary size
 * @param dim embedding width
 * @param table row-major {@code rows x dim}
 */
public record StaticTable(int rows, int dim, float[] table) {

  public StaticTable {
    if (rows < 1 || dim < 1 || table.length != (long) rows * dim) {
      throw new IllegalArgumentException("static table: " + table.length + " values for " + rows + " x " + dim);
    }
  }

  static StaticTable of(StaticEncoderOnnx.Table t) {
    return new StaticTable(t.rows(), t.dim(), t.values());
  }

  StaticEncoderOnnx.Table asOnnx() {
    return new StaticEncoderOnnx.Table(rows, dim, table);
  }

  /**
   * The embedding of {@code ids[0..n)}: mean of their rows, L2-normalised; all zeros when
   * {@code n == 0} (a prompt with no known token has no direction). Ids must be content ids (no
   * specials; see {@link StaticEncoder#contentIds}).
   */
  public float[] embed(int[] ids, int n) {
    float[] sum = new float[dim];
    for (int t = 0; t < n; t++) {
      int base = ids[t] * dim;
      for (int d = 0; d < dim; d++) {
        sum[d] += table[base + d];
      }
    }
    return normalise(sum, n);
  }

  /**
   * The same from distinct ids and their counts ({@link BagOfIds}): each row read once, weighted by
   * its count. Equal to {@link #embed} up to float rounding.
   */
  public float[] embed(BagOfIds bag) {
    float[] sum = new float[dim];
    for (int u = 0; u < bag.distinct(); u++) {
      int base = bag.id(u) * dim;
      float w = bag.count(u);
      for (int d = 0; d < dim; d++) {
        sum[d] += w * table[base + d];
      }
    }
    return normalise(sum, bag.total());
  }

  private float[] normalise(float[] sum, int n) {
    float[] out = new float[dim];
    if (n == 0) {
      return out;
    }
    double norm = 0;
    for (int d = 0; d < dim; d++) {
      double v = sum[d] / (double) n;
      norm += v * v;
    }
    norm = Math.max(Math.sqrt(norm), 1e-12);
    for (int d = 0; d < dim; d++) {
      out[d] = (float) (sum[d] / (double) n / norm);
    }
    return out;
  }
}
