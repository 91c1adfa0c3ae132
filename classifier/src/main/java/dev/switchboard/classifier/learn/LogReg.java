package dev.switchboard.classifier.learn;

import dev.switchboard.classifier.features.FeatureSpec;
import dev.switchboard.classifier.onnx.OnnxGraphBuilder;
import java.util.List;
import java.util.Map;

/**
 * One logistic regression per candidate on scaled features ({@link Standardizer}), trained on the
 * soft quality targets (cross-entropy) with an L2 penalty {@code l2/2 * ||W||^2} on the embedding
 * and cheap-feature weights, a light fixed one on the category offsets, biases free; full-batch
 * Adam from the candidates' base rates. As a baseline it sees the embedding and the category one-hot
 * only; {@code cheap = true} adds the hand-written features.
 *
 * @param l2 penalty on weights
 * @param cheap whether the cheap features are inputs too
 */
public record LogReg(double l2, boolean cheap) implements Learner {

  static final int ITERATIONS = 300;
  static final double LEARNING_RATE = 0.03;
  /**
   * Penalty on the category offsets, fixed and light: they play the per-category prior's part
   * (about 30 pseudo-prompts of shrinkage at 5,000 training prompts), while {@code l2} tunes how far
   * the embedding may move a prompt away from its category's mean.
   */
  static final double CATEGORY_L2 = 1e-3;

  @Override
  public Family family() {
    return Family.LOGREG;
  }

  @Override
  public String name() {
    return "logreg(l2=" + Fmt.num(l2) + (cheap ? ", cheap features" : "") + ")";
  }

  @Override
  public Fitted fit(Data d, long seed) {
    FeatureSpec spec = d.spec();
    Standardizer st = Standardizer.fit(d.x(), Standardizer.columns(spec, true, cheap, true), spec);
    float[][] z = st.apply(d.x());
    int n = d.size();
    int dim = spec.width();
    int k = d.candidates();
    int catFrom = spec.embeddingDim() + spec.cheapFeatures().size();
    // params: W[k][dim] row-major, then b[k]
    double[] p = new double[k * dim + k];
    for (int j = 0; j < k; j++) {
      double mean = 0;
      for (int i = 0; i < n; i++) {
        mean += d.q()[i][j];
      }
      p[k * dim + j] = Sigmoid.logit(mean / Math.max(1, n));
    }
    double[] grad = new double[p.length];
    Adam adam = new Adam(p.length, LEARNING_RATE);
    double[] err = new double[k];
    for (int it = 0; it < ITERATIONS; it++) {
      java.util.Arrays.fill(grad, 0);
      for (int i = 0; i < n; i++) {
        float[] zi = z[i];
        for (int j = 0; j < k; j++) {
          double s = p[k * dim + j];
          int base = j * dim;
          for (int c = 0; c < dim; c++) {
            s += zi[c] * p[base + c];
          }
          err[j] = (Sigmoid.of(s) - d.q()[i][j]) / n;
        }
        for (int j = 0; j < k; j++) {
          double e = err[j];
          int base = j * dim;
          for (int c = 0; c < dim; c++) {
            grad[base + c] += e * zi[c];
          }
          grad[k * dim + j] += e;
        }
      }
      for (int j = 0; j < k; j++) {
        for (int c = 0; c < dim; c++) {
          grad[j * dim + c] += (c >= catFrom ? CATEGORY_L2 : l2) * p[j * dim + c];
        }
      }
      adam.step(p, grad);
    }
    float[] w = new float[k * dim];
    float[] b = new float[k];
    for (int i = 0; i < w.length; i++) {
      w[i] = (float) p[i];
    }
    for (int j = 0; j < k; j++) {
      b[j] = (float) p[k * dim + j];
    }
    return new Linear(st, w, b, k, dim, Map.of("l2", l2, "cheap_features", cheap, "iterations", ITERATIONS));
  }

  /** {@code sigmoid(standardise(x) . W^T + b)}, the fitted form (also used by the IRT's helpers). */
  record Linear(Standardizer st, float[] w, float[] b, int k, int dim, Map<String, Object> settings) implements Fitted {

    @Override
    public double[][] predict(float[][] x) {
      double[][] out = new double[x.length][k];
      for (int i = 0; i < x.length; i++) {
        float[] zi = st.apply(x[i]);
        for (int j = 0; j < k; j++) {
          double s = b[j];
          int base = j * dim;
          for (int c = 0; c < dim; c++) {
            s += zi[c] * w[base + c];
          }
          out[i][j] = Sigmoid.of(s);
        }
      }
      return out;
    }

    @Override
    public String export(OnnxGraphBuilder g, String features, String prefix) {
      String z = st.export(g, features, prefix);
      float[] wt = new float[dim * k]; // [dim, k] for MatMul
      for (int j = 0; j < k; j++) {
        for (int c = 0; c < dim; c++) {
          wt[c * k + j] = w[j * dim + c];
        }
      }
      g.initializer(prefix + "W", new long[] {dim, k}, wt);
      g.initializer(prefix + "b", new long[] {k}, b);
      g.node("MatMul", List.of(z, prefix + "W"), prefix + "mm");
      g.node("Add", List.of(prefix + "mm", prefix + "b"), prefix + "logit");
      g.node("Sigmoid", List.of(prefix + "logit"), prefix + "q");
      return prefix + "q";
    }

    @Override
    public Map<String, Object> describe() {
      return settings;
    }
  }
}
