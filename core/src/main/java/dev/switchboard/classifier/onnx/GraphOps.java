package dev.switchboard.classifier.onnx;

import dev.switchboard.classifier.base.ClassifierException;
import java.util.Arrays;

/**
 * The kernels of {@link JavaGraph}: ONNX opset 13-17 semantics for the ops this project's
 * exporters write. Each returns a new tensor and never writes into its arguments (they may be
 * initializers shared by concurrent runs). Loops run over flat arrays with precomputed strides:
 * the graphs are small ([N, ~300] x [~300, K]) and any per-element allocation would cost more
 * than the arithmetic.
 */
final class GraphOps {

  /** Element-wise binary ops of {@code Add/Sub/Mul/Div/Max/Sum}. */
  enum Bin { ADD, SUB, MUL, DIV, MAX }

  /** Reductions; accumulated in double, which stays well within ORT's float results. */
  enum Reduce { SUM, MEAN, L2 }

  enum Unary { RELU, SIGMOID, SOFTPLUS }

  private GraphOps() {}

  static ClassifierException fail(String message) {
    return new ClassifierException(message);
  }

  /** {@code axis} in {@code [-rank, rank)} as a non-negative axis. */
  static int axis(long axis, int rank, String what) {
    if (axis < -rank || axis >= rank) {
      throw fail(what + " axis " + axis + " is out of range for rank " + rank);
    }
    return (int) (axis < 0 ? axis + rank : axis);
  }

  // ---- broadcasting (numpy rules: align trailing dims; a dim of 1 stretches)

  static int[] broadcastShape(int[] a, int[] b) {
    int r = Math.max(a.length, b.length);
    int[] out = new int[r];
    for (int i = 0; i < r; i++) {
      int da = i < r - a.length ? 1 : a[i - (r - a.length)];
      int db = i < r - b.length ? 1 : b[i - (r - b.length)];
      if (da != db && da != 1 && db != 1) {
        throw fail("shapes " + Arrays.toString(a) + " and " + Arrays.toString(b) + " do not broadcast");
      }
      out[i] = da == 1 ? db : da;
    }
    return out;
  }

  /** Strides of {@code shape} seen as an operand of an output of rank {@code r}: 0 where it broadcasts. */
  private static int[] broadcastStrides(int[] shape, int r) {
    int[] s = new int[r];
    int stride = 1;
    for (int i = shape.length - 1; i >= 0; i--) {
      s[i + r - shape.length] = shape[i] == 1 ? 0 : stride;
      stride *= shape[i];
    }
    return s;
  }

  static Tensor binary(Bin op, Tensor a, Tensor b) {
    float[] x = a.floats();
    float[] y = b.floats();
    int[] shape = broadcastShape(a.dims(), b.dims());
    float[] out = new float[Tensor.sizeOf(shape)];
    if (out.length == 0) {
      return Tensor.of(out, shape);
    }
    if (x.length == out.length && y.length == out.length) { // same layout (covers rank 0)
      apply(op, x, 0, 1, y, 0, 1, out, 0, out.length);
      return Tensor.of(out, shape);
    }
    int r = shape.length;
    int[] sa = broadcastStrides(a.dims(), r);
    int[] sb = broadcastStrides(b.dims(), r);
    int inner = shape[r - 1];
    int[] idx = new int[r];
    int oa = 0;
    int ob = 0;
    for (int o = 0; o < out.length; o += inner) {
      apply(op, x, oa, sa[r - 1], y, ob, sb[r - 1], out, o, inner);
      for (int d = r - 2; d >= 0; d--) { // odometer over the outer dims
        oa += sa[d];
        ob += sb[d];
        if (++idx[d] < shape[d]) {
          break;
        }
        oa -= sa[d] * shape[d];
        ob -= sb[d] * shape[d];
        idx[d] = 0;
      }
    }
    return Tensor.of(out, shape);
  }

  /**
   * One run of {@code n} outputs; the switch is outside the loops so each loop is a plain one, and
   * contiguous runs (the [N, D] op [D] of standardisation) get loops C2 can vectorise.
   */
  private static void apply(Bin op, float[] x, int xo, int xs, float[] y, int yo, int ys, float[] out, int o, int n) {
    if (xs == 1 && ys == 1) {
      switch (op) {
        case ADD -> { for (int i = 0; i < n; i++) out[o + i] = x[xo + i] + y[yo + i]; }
        case SUB -> { for (int i = 0; i < n; i++) out[o + i] = x[xo + i] - y[yo + i]; }
        case MUL -> { for (int i = 0; i < n; i++) out[o + i] = x[xo + i] * y[yo + i]; }
        case DIV -> { for (int i = 0; i < n; i++) out[o + i] = x[xo + i] / y[yo + i]; }
        case MAX -> { for (int i = 0; i < n; i++) out[o + i] = Math.max(x[xo + i], y[yo + i]); }
      }
      return;
    }
    switch (op) {
      case ADD -> { for (int i = 0; i < n; i++) out[o + i] = x[xo + i * xs] + y[yo + i * ys]; }
      case SUB -> { for (int i = 0; i < n; i++) out[o + i] = x[xo + i * xs] - y[yo + i * ys]; }
      case MUL -> { for (int i = 0; i < n; i++) out[o + i] = x[xo + i * xs] * y[yo + i * ys]; }
      case DIV -> { for (int i = 0; i < n; i++) out[o + i] = x[xo + i * xs] / y[yo + i * ys]; }
      case MAX -> { for (int i = 0; i < n; i++) out[o + i] = Math.max(x[xo + i * xs], y[yo + i * ys]); }
    }
  }

  // ---- MatMul: rank 1 or 2 on each side (numpy: a 1-D left operand is a row, a 1-D right one a column)

  static Tensor matMul(Tensor a, Tensor b) {
    int[] as = a.dims();
    int[] bs = b.dims();
    if (as.length < 1 || as.length > 2 || bs.length < 1 || bs.length > 2) {
      throw fail("MatMul of ranks " + as.length + " and " + bs.length + " is not supported (1-D or 2-D only)");
    }
    int n = as.length == 2 ? as[0] : 1;
    int k = as[as.length - 1];
    int h = bs.length == 2 ? bs[1] : 1;
    if (bs[0] != k) {
      throw fail("MatMul shapes " + Arrays.toString(as) + " and " + Arrays.toString(bs) + " do not match");
    }
    float[] x = a.floats();
    float[] w = b.floats();
    float[] out = new float[Math.multiplyExact(n, h)];
    if (h == 1) {
      // A weight column (the IRT head's [D, 1]): a dot product, four partial sums so the adds do not
      // wait on each other (ONNX Runtime's GEMV also sums in SIMD lanes; within 1e-6 either way).
      for (int i = 0; i < n; i++) {
        int xi = i * k;
        float s0 = 0;
        float s1 = 0;
        float s2 = 0;
        float s3 = 0;
        int p = 0;
        for (; p + 3 < k; p += 4) {
          s0 += x[xi + p] * w[p];
          s1 += x[xi + p + 1] * w[p + 1];
          s2 += x[xi + p + 2] * w[p + 2];
          s3 += x[xi + p + 3] * w[p + 3];
        }
        for (; p < k; p++) {
          s0 += x[xi + p] * w[p];
        }
        out[i] = (s0 + s1) + (s2 + s3);
      }
    } else {
      // i-k-j: the inner loop walks a row of w and a row of out contiguously (vectorisable),
      // each output summed in k order in float.
      for (int i = 0; i < n; i++) {
        int row = i * h;
        int xi = i * k;
        for (int p = 0; p < k; p++) {
          float v = x[xi + p];
          int wp = p * h;
          for (int j = 0; j < h; j++) {
            out[row + j] += v * w[wp + j];
          }
        }
      }
    }
    if (as.length == 2 && bs.length == 2) {
      return Tensor.of(out, n, h);
    }
    if (as.length == 2) {
      return Tensor.of(out, n);
    }
    return bs.length == 2 ? Tensor.of(out, h) : Tensor.of(out);
  }

  // ---- Gather: out shape data[:axis] + indices + data[axis+1:], negative indices count from the end

  static Tensor gather(Tensor data, Tensor indices, long axisAttr) {
    int[] ds = data.dims();
    int axis = axis(axisAttr, ds.length, "Gather");
    int outer = product(ds, 0, axis);
    int n = ds[axis];
    int inner = product(ds, axis + 1, ds.length);
    long[] idx = indices.longs();
    int[] rows = new int[idx.length];
    for (int j = 0; j < idx.length; j++) {
      long v = idx[j];
      if (v < -n || v >= n) {
        throw fail("Gather index " + v + " is out of range for an axis of size " + n);
      }
      rows[j] = (int) (v < 0 ? v + n : v);
    }
    int[] is = indices.dims();
    int[] shape = new int[ds.length - 1 + is.length];
    System.arraycopy(ds, 0, shape, 0, axis);
    System.arraycopy(is, 0, shape, axis, is.length);
    System.arraycopy(ds, axis + 1, shape, axis + is.length, ds.length - axis - 1);
    int size = Tensor.sizeOf(shape);
    Object src = data.isFloat() ? data.floats() : data.longs();
    Object out = data.isFloat() ? new float[size] : new long[size];
    int o = 0;
    for (int a = 0; a < outer; a++) {
      for (int row : rows) {
        System.arraycopy(src, (a * n + row) * inner, out, o, inner);
        o += inner;
      }
    }
    return data.isFloat() ? Tensor.of((float[]) out, shape) : Tensor.ofLongs((long[]) out, shape);
  }

  // ---- reductions; axes null or empty = all axes (the caller handles noop_with_empty_axes)

  /** Which of {@code rank} axes {@code axes} names (all for null or empty); fails on a bad or repeated axis. */
  static boolean[] reducedAxes(long[] axes, int rank, String op) {
    boolean[] reduced = new boolean[rank];
    if (axes == null || axes.length == 0) {
      Arrays.fill(reduced, true);
    }
    for (long a : axes == null ? new long[0] : axes) {
      int ax = axis(a, rank, op);
      if (reduced[ax]) {
        throw fail(op + " axis " + a + " is repeated");
      }
      reduced[ax] = true;
    }
    return reduced;
  }

  static Tensor reduce(Reduce kind, Tensor x, long[] axes, boolean keepdims, String op) {
    int[] s = x.dims();
    int r = s.length;
    boolean[] reduced = reducedAxes(axes, r, op);
    int[] ostr = new int[r]; // output stride of each input dim, 0 for a reduced one
    int count = 1;
    int stride = 1;
    int kept = 0;
    for (int d = r - 1; d >= 0; d--) {
      if (reduced[d]) {
        count *= s[d];
      } else {
        ostr[d] = stride;
        stride *= s[d];
        kept++;
      }
    }
    int[] shape = new int[keepdims ? r : kept];
    for (int d = 0, o = 0; d < r; d++) {
      if (keepdims) {
        shape[d] = reduced[d] ? 1 : s[d];
      } else if (!reduced[d]) {
        shape[o++] = s[d];
      }
    }
    float[] v = x.floats();
    double[] acc = new double[stride];
    boolean square = kind == Reduce.L2;
    if (r == 0) {
      acc[0] = square ? (double) v[0] * v[0] : v[0];
    } else if (v.length > 0) {
      int inner = s[r - 1];
      int is = ostr[r - 1];
      int[] idx = new int[r];
      int o = 0;
      for (int i = 0; i < v.length; i += inner) {
        for (int j = 0; j < inner; j++) {
          double e = v[i + j];
          acc[o + j * is] += square ? e * e : e;
        }
        for (int d = r - 2; d >= 0; d--) {
          o += ostr[d];
          if (++idx[d] < s[d]) {
            break;
          }
          o -= ostr[d] * s[d];
          idx[d] = 0;
        }
      }
    }
    float[] out = new float[acc.length];
    for (int i = 0; i < out.length; i++) {
      double value = switch (kind) {
        case SUM -> acc[i];
        case MEAN -> acc[i] / count;
        case L2 -> Math.sqrt(acc[i]);
      };
      out[i] = (float) value;
    }
    return Tensor.of(out, shape);
  }

  // ---- unary activations, computed in double and rounded once

  static Tensor unary(Unary op, Tensor t) {
    float[] x = t.floats();
    float[] out = new float[x.length];
    switch (op) {
      case RELU -> { for (int i = 0; i < x.length; i++) out[i] = Math.max(x[i], 0f); }
      case SIGMOID -> {
        for (int i = 0; i < x.length; i++) { // the two branches never overflow exp (as ORT's functor)
          double v = x[i];
          double e = Math.exp(-Math.abs(v));
          out[i] = (float) (v >= 0 ? 1 / (1 + e) : e / (1 + e));
        }
      }
      case SOFTPLUS -> {
        for (int i = 0; i < x.length; i++) { // log(1 + e^x) = max(x, 0) + log1p(e^-|x|)
          double v = x[i];
          out[i] = (float) (Math.max(v, 0) + Math.log1p(Math.exp(-Math.abs(v))));
        }
      }
    }
    return Tensor.of(out, t.dims());
  }

  // ---- Slice (opset 13): starts/ends counted from the end when negative, then clamped

  static Tensor slice(Tensor data, long[] starts, long[] ends, long[] axes, long[] steps) {
    int[] s = data.dims();
    int r = s.length;
    if (starts.length != ends.length || (axes != null && axes.length != starts.length)
        || (steps != null && steps.length != starts.length)) {
      throw fail("Slice starts/ends/axes/steps have different lengths");
    }
    int[] begin = new int[r];
    int[] step = new int[r];
    int[] shape = s.clone();
    Arrays.fill(step, 1);
    boolean[] seen = new boolean[r];
    for (int i = 0; i < starts.length; i++) {
      int ax = axis(axes == null ? i : axes[i], r, "Slice");
      if (seen[ax]) {
        throw fail("Slice axis " + ax + " is repeated");
      }
      seen[ax] = true;
      long st = steps == null ? 1 : steps[i];
      if (st == 0) {
        throw fail("Slice step 0");
      }
      long dim = s[ax];
      long b = starts[i] < 0 ? starts[i] + dim : starts[i];
      long e = ends[i] < 0 ? ends[i] + dim : ends[i];
      long len;
      if (st > 0) {
        b = Math.max(0, Math.min(dim, b));
        e = Math.max(0, Math.min(dim, e));
        len = e > b ? (e - b - 1) / st + 1 : 0;
      } else {
        b = Math.max(0, Math.min(dim - 1, b));
        e = Math.max(-1, Math.min(dim - 1, e));
        len = dim > 0 && b > e ? (b - e - 1) / -st + 1 : 0;
      }
      shape[ax] = (int) len;
      begin[ax] = len > 0 ? (int) b : 0;
      step[ax] = len > 1 ? (int) st : 1; // a huge step only ever takes its first element
    }
    int size = Tensor.sizeOf(shape);
    int[] from = new int[size]; // source index of each output element
    if (size > 0) {
      int[] str = new int[r];
      int base = 0;
      for (int d = r - 1, acc = 1; d >= 0; d--) {
        str[d] = acc;
        acc *= s[d];
        base += begin[d] * str[d];
      }
      int[] idx = new int[r];
      int off = base;
      for (int o = 0; o < size; o++) {
        from[o] = off;
        for (int d = r - 1; d >= 0; d--) {
          off += step[d] * str[d];
          if (++idx[d] < shape[d]) {
            break;
          }
          off -= step[d] * str[d] * shape[d];
          idx[d] = 0;
        }
      }
    }
    if (data.isFloat()) {
      float[] src = data.floats();
      float[] out = new float[size];
      for (int o = 0; o < size; o++) out[o] = src[from[o]];
      return Tensor.of(out, shape);
    }
    long[] src = data.longs();
    long[] out = new long[size];
    for (int o = 0; o < size; o++) out[o] = src[from[o]];
    return Tensor.ofLongs(out, shape);
  }

  // ---- TopK: values and int64 indices, best first, equal values by lower index first (as ORT)

  static Tensor[] topK(Tensor x, long k, long axisAttr, boolean largest) {
    int[] s = x.dims();
    int axis = axis(axisAttr, s.length, "TopK");
    int n = s[axis];
    if (k < 0 || k > n) {
      throw fail("TopK K=" + k + " is out of range for an axis of size " + n);
    }
    int kk = (int) k;
    int outer = product(s, 0, axis);
    int inner = product(s, axis + 1, s.length);
    int[] shape = s.clone();
    shape[axis] = kk;
    float[] v = x.floats();
    float[] vals = new float[Tensor.sizeOf(shape)];
    long[] idxs = new long[vals.length];
    float[] bestV = new float[kk];
    int[] bestI = new int[kk];
    for (int a = 0; kk > 0 && a < outer; a++) {
      for (int c = 0; c < inner; c++) {
        int base = a * n * inner + c;
        int m = 0;
        // Insertion into a sorted list of the best kk so far, scanning indices upwards: an equal
        // value never passes an earlier one, which is the lower-index-first tie rule.
        for (int j = 0; j < n; j++) {
          float e = v[base + j * inner];
          if (m == kk && !better(e, bestV[kk - 1], largest)) {
            continue;
          }
          int p = m == kk ? kk - 1 : m++;
          while (p > 0 && better(e, bestV[p - 1], largest)) {
            bestV[p] = bestV[p - 1];
            bestI[p] = bestI[p - 1];
            p--;
          }
          bestV[p] = e;
          bestI[p] = j;
        }
        for (int t = 0; t < kk; t++) {
          int o = (a * kk + t) * inner + c;
          vals[o] = bestV[t];
          idxs[o] = bestI[t];
        }
      }
    }
    return new Tensor[] {Tensor.of(vals, shape), Tensor.ofLongs(idxs, shape)};
  }

  private static boolean better(float e, float than, boolean largest) {
    return largest ? e > than : e < than;
  }

  private static int product(int[] s, int from, int to) {
    int p = 1;
    for (int i = from; i < to; i++) {
      p *= s[i];
    }
    return p;
  }
}
