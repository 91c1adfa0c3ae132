package dev.switchboard.classifier.learn;

import dev.switchboard.classifier.features.FeatureSpec;
import dev.switchboard.classifier.onnx.OnnxGraphBuilder;
import java.util.List;
import java.util.Map;

/**
 * The lookup table every router must beat: for a prompt of category c, candidate k's predicted
 * quality is {@code (sum of k's quality over c's training prompts + kappa * global mean of k) /
 * (n_c + kappa)} — the category's mean shrunk toward the global mean by {@code kappa} pseudo-prompts
 * (empirical Bayes with a fixed prior strength); an unknown or missing category gets the global
 * mean. Without categories in the data it is the constant global mean.
 *
 * @param kappa prior strength in prompts
 */
public record CategoryPrior(double kappa) implements Learner {

  @Override
  public Family family() {
    return Family.PRIOR;
  }

  @Override
  public String name() {
    return "prior(kappa=" + Fmt.num(kappa) + ")";
  }

  @Override
  public Fitted fit(Data d, long seed) {
    int k = d.candidates();
    int cats = d.spec().categories().size();
    double[] global = new double[k];
    double[][] sum = new double[cats][k];
    int[] n = new int[cats];
    for (int i = 0; i < d.size(); i++) {
      int c = d.category(i);
      for (int j = 0; j < k; j++) {
        global[j] += d.q()[i][j];
        if (c >= 0) {
          sum[c][j] += d.q()[i][j];
        }
      }
      if (c >= 0) {
        n[c]++;
      }
    }
    for (int j = 0; j < k; j++) {
      global[j] /= Math.max(1, d.size());
    }
    double[][] table = new double[cats][k];
    for (int c = 0; c < cats; c++) {
      for (int j = 0; j < k; j++) {
        table[c][j] = (sum[c][j] + kappa * global[j]) / (n[c] + kappa);
      }
    }
    return new Table(d.spec(), global, table, n, kappa);
  }

  /** The fitted table. */
  record Table(FeatureSpec spec, double[] global, double[][] table, int[] counts, double kappa) implements Fitted {

    @Override
    public double[][] predict(float[][] x) {
      double[][] out = new double[x.length][];
      for (int i = 0; i < x.length; i++) {
        int c = Data.category(spec, x[i]);
        out[i] = (c >= 0 ? table[c] : global).clone();
      }
      return out;
    }

    /** {@code features . W + global}, W zero except the category rows, which hold table - global. */
    @Override
    public String export(OnnxGraphBuilder g, String features, String prefix) {
      int d = spec.width();
      int k = global.length;
      float[] w = new float[d * k];
      int from = spec.embeddingDim() + spec.cheapFeatures().size();
      for (int c = 0; c < table.length; c++) {
        for (int j = 0; j < k; j++) {
          w[(from + c) * k + j] = (float) (table[c][j] - global[j]);
        }
      }
      float[] b = new float[k];
      for (int j = 0; j < k; j++) {
        b[j] = (float) global[j];
      }
      g.initializer(prefix + "W", new long[] {d, k}, w);
      g.initializer(prefix + "b", new long[] {k}, b);
      g.node("MatMul", List.of(features, prefix + "W"), prefix + "mm");
      g.node("Add", List.of(prefix + "mm", prefix + "b"), prefix + "q");
      return prefix + "q";
    }

    @Override
    public Map<String, Object> describe() {
      return Map.of("kappa", kappa, "categories", table.length);
    }
  }
}
