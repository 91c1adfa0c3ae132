package dev.switchboard.classifier.learn;

import dev.switchboard.classifier.features.FeatureSpec;
import dev.switchboard.classifier.onnx.OnnxGraphBuilder;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * An item-response-theory head: {@code P(candidate j answers prompt q adequately) = sigmoid(a(q) *
 * (theta_j + delta_j[c(q)] - b(q)))}, where the prompt's difficulty {@code b(q)} and discrimination
 * {@code a(q) = softplus(...)} are linear in its standardised features, {@code theta_j} is the
 * candidate's ability and {@code delta_j[c]} an optional per-category adjustment (the prompt's
 * category; none without categories). Trained like {@link LogReg} (soft cross-entropy, L2 on the
 * feature weights, the category penalty of {@link LogReg#CATEGORY_L2} on the deltas, full-batch Adam).
 *
 * <p>Why it is worth having beside the per-candidate heads: a model is one number here. A candidate
 * that was never in the training data is routed once its ability is known — stated in a policy or
 * estimated from a few dozen graded prompts with {@link #estimateAbility} — and {@code b(q)} is the
 * prompt's difficulty on one scale for every candidate.
 *
 * <p>It learns from every graded model in the data, not only the candidates: the other models'
 * outcomes ({@link Data#extra}, each model with an ability of its own) and auxiliary prompts that no
 * candidate answered ({@code aux}, e.g. another dataset's) shape {@code a(q)} and {@code b(q)};
 * only the candidates' abilities are exported.
 *
 * @param l2 penalty on the feature weights
 * @param aux auxiliary prompts (candidate qualities NaN, {@link Data#extra} observed), or null
 */
public record Irt(double l2, Data aux) implements Learner {

  /** An IRT head that learns from the training rows only. */
  public Irt(double l2) {
    this(l2, null);
  }

  static final int ITERATIONS = 400;
  static final double LEARNING_RATE = 0.03;
  /** softplus^-1(1): discrimination starts at 1 for every prompt. */
  private static final double A0 = Math.log(Math.E - 1);

  @Override
  public Family family() {
    return Family.IRT;
  }

  @Override
  public String name() {
    return "irt(l2=" + Fmt.num(l2) + ")";
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof Irt i && i.l2 == l2 && i.aux == aux;
  }

  @Override
  public int hashCode() {
    return Double.hashCode(l2);
  }

  @Override
  public Head fit(Data main, long seed) {
    Data d = aux == null || aux.size() == 0 ? main : concat(main, aux);
    FeatureSpec spec = d.spec();
    Standardizer st = Standardizer.fit(d.x(), Standardizer.columns(spec, true, true, true), spec);
    float[][] z = st.apply(d.x());
    int n = d.size();
    int dim = spec.width();
    int k = d.candidates();
    int extras = d.extraModels();
    int cats = spec.categories().size();
    int[] cat = new int[n];
    for (int i = 0; i < n; i++) {
      cat[i] = d.category(i);
    }
    // params: wb[dim], wa[dim], cb, ca, theta[k], delta[cats * k], theta of the other models[extras]
    int oWa = dim;
    int oCb = 2 * dim;
    int oCa = oCb + 1;
    int oTh = oCa + 1;
    int oDe = oTh + k;
    int oEx = oDe + cats * k;
    double[] p = new double[oEx + extras];
    p[oCa] = A0;
    for (int j = 0; j < k; j++) {
      p[oTh + j] = Sigmoid.logit(observedMean(d.q(), j));
    }
    for (int e = 0; e < extras; e++) {
      p[oEx + e] = Sigmoid.logit(observedMean(d.extra(), e));
    }
    double[] grad = new double[p.length];
    Adam adam = new Adam(p.length, LEARNING_RATE);
    for (int it = 0; it < ITERATIONS; it++) {
      java.util.Arrays.fill(grad, 0);
      for (int i = 0; i < n; i++) {
        float[] zi = z[i];
        double b = p[oCb];
        double za = p[oCa];
        for (int c = 0; c < dim; c++) {
          b += zi[c] * p[c];
          za += zi[c] * p[oWa + c];
        }
        double a = Sigmoid.softplus(za);
        double db = 0;
        double da = 0;
        double[] qi = d.q()[i];
        for (int j = 0; j < k; j++) {
          if (Double.isNaN(qi[j])) {
            continue;
          }
          double th = p[oTh + j] + (cat[i] >= 0 ? p[oDe + cat[i] * k + j] : 0);
          double diff = th - b;
          double g = (Sigmoid.of(a * diff) - qi[j]) / n;
          grad[oTh + j] += g * a;
          if (cat[i] >= 0) {
            grad[oDe + cat[i] * k + j] += g * a;
          }
          db -= g * a;
          da += g * diff;
        }
        double[] ei = d.extra()[i];
        for (int e = 0; e < extras; e++) {
          if (Double.isNaN(ei[e])) {
            continue;
          }
          double diff = p[oEx + e] - b;
          double g = (Sigmoid.of(a * diff) - ei[e]) / n;
          grad[oEx + e] += g * a;
          db -= g * a;
          da += g * diff;
        }
        double dza = da * Sigmoid.of(za);
        for (int c = 0; c < dim; c++) {
          grad[c] += db * zi[c];
          grad[oWa + c] += dza * zi[c];
        }
        grad[oCb] += db;
        grad[oCa] += dza;
      }
      for (int c = 0; c < 2 * dim; c++) {
        grad[c] += l2 * p[c];
      }
      for (int c = oDe; c < oEx; c++) {
        grad[c] += LogReg.CATEGORY_L2 * p[c];
      }
      adam.step(p, grad);
    }
    float[] wb = new float[dim];
    float[] wa = new float[dim];
    for (int c = 0; c < dim; c++) {
      wb[c] = (float) p[c];
      wa[c] = (float) p[oWa + c];
    }
    float[] theta = new float[k];
    for (int j = 0; j < k; j++) {
      theta[j] = (float) p[oTh + j];
    }
    float[] delta = new float[cats * k];
    for (int c = 0; c < delta.length; c++) {
      delta[c] = (float) p[oDe + c];
    }
    return new Head(spec, st, wb, (float) p[oCb], wa, (float) p[oCa], theta, delta, l2);
  }

  /** Mean of column {@code j}'s observed (non-NaN) values; 0.5 when none is observed. */
  private static double observedMean(double[][] m, int j) {
    double s = 0;
    int n = 0;
    for (double[] row : m) {
      if (!Double.isNaN(row[j])) {
        s += row[j];
        n++;
      }
    }
    return n == 0 ? 0.5 : s / n;
  }

  /** Main rows then auxiliary rows (same layout and other-model columns). */
  static Data concat(Data a, Data b) {
    int n = a.size() + b.size();
    float[][] x = new float[n][];
    double[][] q = new double[n][];
    double[][] c = new double[n][];
    double[][] e = new double[n][];
    for (int i = 0; i < a.size(); i++) {
      x[i] = a.x()[i];
      q[i] = a.q()[i];
      c[i] = a.cost()[i];
      e[i] = a.extra()[i];
    }
    for (int i = 0; i < b.size(); i++) {
      x[a.size() + i] = b.x()[i];
      q[a.size() + i] = b.q()[i];
      c[a.size() + i] = b.cost()[i];
      e[a.size() + i] = b.extra()[i];
    }
    return new Data(x, q, c, a.spec(), e);
  }

  /**
   * The maximum-likelihood ability of a new candidate from graded prompts, the prompts' {@code a}
   * and {@code b} held fixed (one-dimensional logistic regression with offset, Newton's method;
   * a tiny pull toward 0 keeps it finite when every grade is 0 or every grade is 1).
   *
   * @param a each prompt's discrimination
   * @param b each prompt's difficulty
   * @param quality the candidate's graded quality on each prompt, in [0, 1]
   */
  public static double estimateAbility(double[] a, double[] b, double[] quality) {
    if (a.length != b.length || a.length != quality.length || a.length == 0) {
      throw new IllegalArgumentException("need the same positive number of a, b and quality values");
    }
    double theta = 0;
    double ridge = 1e-3;
    for (int it = 0; it < 50; it++) {
      double g = ridge * theta;
      double h = ridge;
      for (int i = 0; i < a.length; i++) {
        double pr = Sigmoid.of(a[i] * (theta - b[i]));
        g += a[i] * (pr - quality[i]);
        h += a[i] * a[i] * pr * (1 - pr);
      }
      double step = g / h;
      theta -= Math.max(-2, Math.min(2, step));
      if (Math.abs(step) < 1e-9) {
        break;
      }
    }
    return theta;
  }

  /** The fitted head. */
  public record Head(FeatureSpec spec, Standardizer st, float[] wb, float cb, float[] wa, float ca,
                     float[] theta, float[] delta, double l2) implements Fitted {

    /** Per row: {a, b}. */
    public double[][] ab(float[][] x) {
      double[][] out = new double[x.length][2];
      for (int i = 0; i < x.length; i++) {
        float[] zi = st.apply(x[i]);
        double b = cb;
        double za = ca;
        for (int c = 0; c < zi.length; c++) {
          b += zi[c] * wb[c];
          za += zi[c] * wa[c];
        }
        out[i][0] = Sigmoid.softplus(za);
        out[i][1] = b;
      }
      return out;
    }

    @Override
    public double[][] predict(float[][] x) {
      int k = theta.length;
      double[][] ab = ab(x);
      double[][] out = new double[x.length][k];
      for (int i = 0; i < x.length; i++) {
        int c = Data.category(spec, x[i]);
        for (int j = 0; j < k; j++) {
          double th = theta[j] + (c >= 0 ? delta[c * k + j] : 0);
          out[i][j] = Sigmoid.of(ab[i][0] * (th - ab[i][1]));
        }
      }
      return out;
    }

    /**
     * The prompt's difficulty as a probability: that a candidate of the candidates' mean ability on
     * it (their abilities plus its category's adjustments) fails it, {@code sigmoid(a * (b - mean))}.
     */
    public double[] difficulty(float[][] x) {
      int k = theta.length;
      double[][] ab = ab(x);
      double[] out = new double[x.length];
      for (int i = 0; i < x.length; i++) {
        int c = Data.category(spec, x[i]);
        double m = 0;
        for (int j = 0; j < k; j++) {
          m += theta[j] + (c >= 0 ? delta[c * k + j] : 0);
        }
        out[i] = Sigmoid.of(ab[i][0] * (ab[i][1] - m / k));
      }
      return out;
    }

    /** Mean ability of the candidates: the reference the prompt's difficulty is measured against. */
    public double meanAbility() {
      double s = 0;
      for (float t : theta) {
        s += t;
      }
      return s / theta.length;
    }

    /**
     * Tensor names of {@link #exportParts}: the probabilities {@code [N, K]}, {@code a} and {@code
     * b} {@code [N, 1]}, and {@code abilityMean [N, 1]}, the candidates' mean ability on the prompt
     * (their abilities plus its category's adjustments).
     */
    public record Tensors(String quality, String a, String b, String abilityMean) {}

    @Override
    public String export(OnnxGraphBuilder g, String features, String prefix) {
      return exportParts(g, features, prefix).quality();
    }

    /** Exports the probabilities and the per-prompt {@code a [N,1]} and {@code b [N,1]}. */
    public Tensors exportParts(OnnxGraphBuilder g, String features, String prefix) {
      int dim = wb.length;
      int k = theta.length;
      int cats = spec.categories().size();
      String z = st.export(g, features, prefix);
      g.initializer(prefix + "wb", new long[] {dim, 1}, wb);
      g.initializer(prefix + "cb", new long[] {1}, new float[] {cb});
      g.initializer(prefix + "wa", new long[] {dim, 1}, wa);
      g.initializer(prefix + "ca", new long[] {1}, new float[] {ca});
      g.initializer(prefix + "theta", new long[] {k}, theta);
      g.node("MatMul", List.of(z, prefix + "wb"), prefix + "bmm");
      g.node("Add", List.of(prefix + "bmm", prefix + "cb"), prefix + "b");
      g.node("MatMul", List.of(z, prefix + "wa"), prefix + "amm");
      g.node("Add", List.of(prefix + "amm", prefix + "ca"), prefix + "apre");
      g.node("Softplus", List.of(prefix + "apre"), prefix + "a");
      String th = prefix + "theta";
      if (cats > 0) {
        int from = spec.embeddingDim() + spec.cheapFeatures().size();
        g.initializer(prefix + "cstart", new long[] {1}, new long[] {from});
        g.initializer(prefix + "cend", new long[] {1}, new long[] {from + cats});
        g.initializer(prefix + "caxis", new long[] {1}, new long[] {1});
        g.initializer(prefix + "delta", new long[] {cats, k}, delta);
        g.node("Slice", List.of(features, prefix + "cstart", prefix + "cend", prefix + "caxis"), prefix + "onehot");
        g.node("MatMul", List.of(prefix + "onehot", prefix + "delta"), prefix + "dmm");
        g.node("Add", List.of(prefix + "dmm", prefix + "theta"), prefix + "thetaq");
        th = prefix + "thetaq";
      }
      g.node("Sub", List.of(th, prefix + "b"), prefix + "diff");
      g.node("Mul", List.of(prefix + "diff", prefix + "a"), prefix + "logit");
      g.node("Sigmoid", List.of(prefix + "logit"), prefix + "q");
      if (cats > 0) {
        g.node("ReduceMean", List.of(th), prefix + "thmean", OnnxGraphBuilder.Attr.ints("axes", 1),
            OnnxGraphBuilder.Attr.i("keepdims", 1));
      } else {
        g.initializer(prefix + "thmean_c", new long[] {1, 1}, new float[] {(float) meanAbility()});
        g.node("Identity", List.of(prefix + "thmean_c"), prefix + "thmean");
      }
      return new Tensors(prefix + "q", prefix + "a", prefix + "b", prefix + "thmean");
    }

    @Override
    public Map<String, Object> describe() {
      Map<String, Object> m = new LinkedHashMap<>();
      m.put("l2", l2);
      m.put("per_category_abilities", spec.categories().size() > 0);
      List<Double> t = new ArrayList<>();
      for (float v : theta) {
        t.add((double) v);
      }
      m.put("abilities", t);
      return m;
    }
  }
}
