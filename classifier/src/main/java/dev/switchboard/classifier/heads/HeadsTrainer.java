package dev.switchboard.classifier.heads;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.function.Consumer;

/**
 * Trains {@link HeadsModel} with Adam on plain double arrays: binary cross-entropy for the
 * difficulty output plus {@code qualityWeight} x mean cross-entropy of the (soft) per-candidate
 * quality outputs, L2 on weights, early stopping on the validation loss (the best epoch's
 * weights are returned). Single-threaded and seeded: same inputs and seed, same weights.
 */
public final class HeadsTrainer {

  /** Losses after one epoch (without the L2 term, so comparable across l2 settings). */
  public record EpochLog(int epoch, double trainLoss, double valLoss, double valDifficultyLoss) {}

  public record Result(HeadsModel model, List<EpochLog> history, int bestEpoch) {}

  private HeadsTrainer() {}

  public static Result train(List<Example> train, List<Example> val, TrainConfig cfg, Consumer<EpochLog> progress) {
    if (train.isEmpty() || val.isEmpty()) {
      throw new IllegalArgumentException("training needs non-empty train and validation sets");
    }
    int d = train.get(0).x().length;
    int k = train.get(0).quality().length;
    int outputs = 1 + k;
    int hidden = cfg.hidden();
    int last = hidden == 0 ? d : hidden;

    float[] mean = new float[d];
    float[] std = new float[d];
    standardisation(train, mean, std);
    double[][] xs = standardised(train, mean, std);
    double[][] vxs = standardised(val, mean, std);

    Random rnd = new Random(cfg.seed());
    Params p = new Params(d, hidden, outputs);
    for (int i = 0; i < p.w1.length; i++) {
      p.w1[i] = rnd.nextGaussian() * Math.sqrt(2.0 / d);
    }
    for (int i = 0; i < p.w2.length; i++) {
      p.w2[i] = rnd.nextGaussian() * Math.sqrt(1.0 / last);
    }
    Params grad = new Params(d, hidden, outputs);
    Adam adam = new Adam(p.size(), cfg.learningRate());

    int n = train.size();
    int[] order = new int[n];
    for (int i = 0; i < n; i++) {
      order[i] = i;
    }
    List<EpochLog> history = new ArrayList<>();
    double best = Double.POSITIVE_INFINITY;
    Params bestParams = p.copy();
    int bestEpoch = 0;
    double[] scratchA = new double[last];
    double[] scratchPre = new double[hidden];
    double[] out = new double[outputs];
    for (int epoch = 1; epoch <= cfg.maxEpochs(); epoch++) {
      shuffle(order, rnd);
      double trainLoss = 0;
      for (int start = 0; start < n; start += cfg.batchSize()) {
        int end = Math.min(n, start + cfg.batchSize());
        grad.zero();
        for (int b = start; b < end; b++) {
          Example ex = train.get(order[b]);
          trainLoss += forwardBackward(p, xs[order[b]], ex, cfg.qualityWeight(), grad, scratchA, scratchPre, out);
        }
        int bs = end - start;
        grad.scale(1.0 / bs);
        // L2 on weights only; biases are free so class priors are not shrunk.
        for (int i = 0; i < p.w1.length; i++) {
          grad.w1[i] += cfg.l2() * p.w1[i];
        }
        for (int i = 0; i < p.w2.length; i++) {
          grad.w2[i] += cfg.l2() * p.w2[i];
        }
        adam.step(p, grad);
      }
      double[] vl = evaluate(p, vxs, val, cfg.qualityWeight(), scratchA, scratchPre, out);
      EpochLog log = new EpochLog(epoch, trainLoss / n, vl[0], vl[1]);
      history.add(log);
      progress.accept(log);
      if (vl[0] < best - 1e-6) {
        best = vl[0];
        bestParams = p.copy();
        bestEpoch = epoch;
      } else if (epoch - bestEpoch >= cfg.patience()) {
        break;
      }
    }
    HeadsModel model = new HeadsModel(d, hidden, outputs, mean, std,
        toFloat(bestParams.w1), toFloat(bestParams.b1), toFloat(bestParams.w2), toFloat(bestParams.b2));
    return new Result(model, history, bestEpoch);
  }

  private static void standardisation(List<Example> train, float[] mean, float[] std) {
    int d = mean.length;
    double[] m = new double[d];
    double[] s = new double[d];
    for (Example e : train) {
      for (int i = 0; i < d; i++) {
        m[i] += e.x()[i];
      }
    }
    for (int i = 0; i < d; i++) {
      m[i] /= train.size();
    }
    for (Example e : train) {
      for (int i = 0; i < d; i++) {
        double dv = e.x()[i] - m[i];
        s[i] += dv * dv;
      }
    }
    for (int i = 0; i < d; i++) {
      double sd = Math.sqrt(s[i] / train.size());
      mean[i] = (float) m[i];
      // Constant columns (e.g. a category absent from train) would divide by ~0: leave them unscaled.
      std[i] = sd < 1e-6 ? 1f : (float) sd;
    }
  }

  private static double[][] standardised(List<Example> ex, float[] mean, float[] std) {
    double[][] out = new double[ex.size()][];
    for (int r = 0; r < out.length; r++) {
      float[] x = ex.get(r).x();
      double[] z = new double[x.length];
      // Same float arithmetic order as the ONNX graph's Sub then Div.
      for (int i = 0; i < x.length; i++) {
        z[i] = ((double) x[i] - mean[i]) / std[i];
      }
      out[r] = z;
    }
    return out;
  }

  /** Returns the example's loss; adds its gradient into {@code g}. */
  private static double forwardBackward(Params p, double[] z, Example ex, double qw, Params g,
                                        double[] a, double[] pre, double[] out) {
    forward(p, z, a, pre, out);
    int outputs = p.outputs;
    int k = outputs - 1;
    double loss = bce(out[0], ex.difficulty());
    double[] delta = new double[outputs];
    delta[0] = out[0] - ex.difficulty();
    for (int j = 0; j < k; j++) {
      loss += qw / k * bce(out[j + 1], ex.quality()[j]);
      delta[j + 1] = qw / k * (out[j + 1] - ex.quality()[j]);
    }
    int last = a.length;
    for (int o = 0; o < outputs; o++) {
      g.b2[o] += delta[o];
    }
    double[] da = p.hidden > 0 ? new double[last] : null;
    for (int j = 0; j < last; j++) {
      int row = j * outputs;
      double aj = a[j];
      double acc = 0;
      for (int o = 0; o < outputs; o++) {
        g.w2[row + o] += aj * delta[o];
        acc += p.w2[row + o] * delta[o];
      }
      if (da != null) {
        da[j] = pre[j] > 0 ? acc : 0;
      }
    }
    if (da != null) {
      int h = p.hidden;
      for (int j = 0; j < h; j++) {
        g.b1[j] += da[j];
      }
      for (int i = 0; i < z.length; i++) {
        double zi = z[i];
        if (zi == 0) {
          continue;
        }
        int row = i * h;
        for (int j = 0; j < h; j++) {
          g.w1[row + j] += zi * da[j];
        }
      }
    }
    return loss;
  }

  private static void forward(Params p, double[] z, double[] a, double[] pre, double[] out) {
    int h = p.hidden;
    if (h > 0) {
      for (int j = 0; j < h; j++) {
        pre[j] = p.b1[j];
      }
      for (int i = 0; i < z.length; i++) {
        double zi = z[i];
        int row = i * h;
        for (int j = 0; j < h; j++) {
          pre[j] += zi * p.w1[row + j];
        }
      }
      for (int j = 0; j < h; j++) {
        a[j] = Math.max(0, pre[j]);
      }
    } else {
      System.arraycopy(z, 0, a, 0, z.length);
    }
    int outputs = p.outputs;
    for (int o = 0; o < outputs; o++) {
      out[o] = p.b2[o];
    }
    for (int j = 0; j < a.length; j++) {
      int row = j * outputs;
      for (int o = 0; o < outputs; o++) {
        out[o] += a[j] * p.w2[row + o];
      }
    }
    for (int o = 0; o < outputs; o++) {
      out[o] = 1.0 / (1.0 + Math.exp(-out[o]));
    }
  }

  /** {combined loss, difficulty loss} averaged over the set. */
  private static double[] evaluate(Params p, double[][] zs, List<Example> ex, double qw, double[] a, double[] pre, double[] out) {
    double total = 0;
    double diff = 0;
    int k = p.outputs - 1;
    for (int r = 0; r < zs.length; r++) {
      forward(p, zs[r], a, pre, out);
      double dl = bce(out[0], ex.get(r).difficulty());
      double l = dl;
      for (int j = 0; j < k; j++) {
        l += qw / k * bce(out[j + 1], ex.get(r).quality()[j]);
      }
      total += l;
      diff += dl;
    }
    return new double[] {total / zs.length, diff / zs.length};
  }

  static double bce(double p, double y) {
    double q = Math.min(Math.max(p, 1e-12), 1 - 1e-12);
    return -(y * Math.log(q) + (1 - y) * Math.log(1 - q));
  }

  private static void shuffle(int[] a, Random rnd) {
    for (int i = a.length - 1; i > 0; i--) {
      int j = rnd.nextInt(i + 1);
      int t = a[i];
      a[i] = a[j];
      a[j] = t;
    }
  }

  private static float[] toFloat(double[] a) {
    float[] f = new float[a.length];
    for (int i = 0; i < a.length; i++) {
      f[i] = (float) a[i];
    }
    return f;
  }

  /** All trainable parameters; also used for gradients. */
  private static final class Params {
    final int hidden;
    final int outputs;
    final double[] w1;
    final double[] b1;
    final double[] w2;
    final double[] b2;

    Params(int d, int hidden, int outputs) {
      this.hidden = hidden;
      this.outputs = outputs;
      int last = hidden == 0 ? d : hidden;
      w1 = new double[hidden == 0 ? 0 : d * hidden];
      b1 = new double[hidden];
      w2 = new double[last * outputs];
      b2 = new double[outputs];
    }

    private Params(Params o) {
      hidden = o.hidden;
      outputs = o.outputs;
      w1 = o.w1.clone();
      b1 = o.b1.clone();
      w2 = o.w2.clone();
      b2 = o.b2.clone();
    }

    Params copy() {
      return new Params(this);
    }

    int size() {
      return w1.length + b1.length + w2.length + b2.length;
    }

    double[][] arrays() {
      return new double[][] {w1, b1, w2, b2};
    }

    void zero() {
      for (double[] a : arrays()) {
        java.util.Arrays.fill(a, 0);
      }
    }

    void scale(double s) {
      for (double[] a : arrays()) {
        for (int i = 0; i < a.length; i++) {
          a[i] *= s;
        }
      }
    }
  }

  private static final class Adam {
    final double lr;
    final double[] m;
    final double[] v;
    int t;

    Adam(int size, double lr) {
      this.lr = lr;
      m = new double[size];
      v = new double[size];
    }

    void step(Params p, Params g) {
      t++;
      double b1 = 0.9;
      double b2 = 0.999;
      double c1 = 1 - Math.pow(b1, t);
      double c2 = 1 - Math.pow(b2, t);
      double[][] ps = p.arrays();
      double[][] gs = g.arrays();
      int off = 0;
      for (int a = 0; a < ps.length; a++) {
        double[] pa = ps[a];
        double[] ga = gs[a];
        for (int i = 0; i < pa.length; i++) {
          int k = off + i;
          m[k] = b1 * m[k] + (1 - b1) * ga[i];
          v[k] = b2 * v[k] + (1 - b2) * ga[i] * ga[i];
          pa[i] -= lr * (m[k] / c1) / (Math.sqrt(v[k] / c2) + 1e-8);
        }
        off += pa.length;
      }
    }
  }
}
