package dev.switchboard.classifier.learn;

import dev.switchboard.classifier.onnx.OnnxGraphBuilder;
import java.util.List;
import java.util.Map;

/**
 * k nearest neighbours: a prompt's predicted quality for each candidate is the mean over the
 * {@code k} training prompts whose embeddings are most similar (cosine; embeddings are
 * L2-normalised, so a dot product). Ties go to the earlier training row, as ONNX's TopK does.
 *
 * @param k neighbours
 */
public record Knn(int k) implements Learner {

  public Knn {
    if (k < 1) {
      throw new IllegalArgumentException("k must be >= 1, was " + k);
    }
  }

  @Override
  public Family family() {
    return Family.KNN;
  }

  @Override
  public String name() {
    return "knn(k=" + k + ")";
  }

  @Override
  public Fitted fit(Data d, long seed) {
    int e = d.spec().embeddingDim();
    float[] train = new float[d.size() * e];
    for (int i = 0; i < d.size(); i++) {
      System.arraycopy(d.x()[i], 0, train, i * e, e);
    }
    double[][] labels = new double[d.size()][];
    for (int i = 0; i < d.size(); i++) {
      labels[i] = d.q()[i].clone();
    }
    return new Neighbours(e, train, labels, Math.min(k, d.size()));
  }

  /** The training embeddings and their qualities. */
  record Neighbours(int dim, float[] train, double[][] labels, int k) implements Fitted {

    @Override
    public double[][] predict(float[][] x) {
      int m = labels.length;
      int kk = labels[0].length;
      double[][] out = new double[x.length][kk];
      float[] sims = new float[m];
      int[] top = new int[k];
      for (int i = 0; i < x.length; i++) {
        float[] q = x[i];
        for (int r = 0; r < m; r++) {
          float s = 0;
          int base = r * dim;
          for (int c = 0; c < dim; c++) {
            s += q[c] * train[base + c];
          }
          sims[r] = s;
        }
        int filled = 0;
        for (int r = 0; r < m; r++) {
          // insertion into a sorted top-k (descending similarity, earlier row first on ties)
          if (filled == k && sims[r] <= sims[top[k - 1]]) {
            continue;
          }
          int pos = filled < k ? filled++ : k - 1;
          while (pos > 0 && sims[r] > sims[top[pos - 1]]) {
            top[pos] = top[pos - 1];
            pos--;
          }
          top[pos] = r;
        }
        for (int t = 0; t < k; t++) {
          double[] l = labels[top[t]];
          for (int j = 0; j < kk; j++) {
            out[i][j] += l[j];
          }
        }
        for (int j = 0; j < kk; j++) {
          out[i][j] /= k;
        }
      }
      return out;
    }

    @Override
    public String export(OnnxGraphBuilder g, String features, String prefix) {
      int m = labels.length;
      int kk = labels[0].length;
      float[] trainT = new float[dim * m];
      for (int r = 0; r < m; r++) {
        for (int c = 0; c < dim; c++) {
          trainT[c * m + r] = train[r * dim + c];
        }
      }
      float[] lab = new float[m * kk];
      for (int r = 0; r < m; r++) {
        for (int j = 0; j < kk; j++) {
          lab[r * kk + j] = (float) labels[r][j];
        }
      }
      g.initializer(prefix + "starts", new long[] {1}, new long[] {0});
      g.initializer(prefix + "ends", new long[] {1}, new long[] {dim});
      g.initializer(prefix + "axes", new long[] {1}, new long[] {1});
      g.initializer(prefix + "k", new long[] {1}, new long[] {k});
      g.initializer(prefix + "trainT", new long[] {dim, m}, trainT);
      g.initializer(prefix + "labels", new long[] {m, kk}, lab);
      g.node("Slice", List.of(features, prefix + "starts", prefix + "ends", prefix + "axes"), prefix + "emb");
      g.node("MatMul", List.of(prefix + "emb", prefix + "trainT"), prefix + "sims");
      g.node("TopK", List.of(prefix + "sims", prefix + "k"), List.of(prefix + "topv", prefix + "topi"),
          OnnxGraphBuilder.Attr.i("axis", 1), OnnxGraphBuilder.Attr.i("largest", 1), OnnxGraphBuilder.Attr.i("sorted", 1));
      g.node("Gather", List.of(prefix + "labels", prefix + "topi"), prefix + "nb", OnnxGraphBuilder.Attr.i("axis", 0));
      g.node("ReduceMean", List.of(prefix + "nb"), prefix + "q", OnnxGraphBuilder.Attr.ints("axes", 1),
          OnnxGraphBuilder.Attr.i("keepdims", 0));
      return prefix + "q";
    }

    @Override
    public Map<String, Object> describe() {
      return Map.of("k", k, "training_prompts", labels.length);
    }
  }
}
