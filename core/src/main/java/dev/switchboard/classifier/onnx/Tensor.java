package dev.switchboard.classifier.onnx;

import java.util.Arrays;

/**
 * A dense row-major tensor of float32 or int64 values, the currency of {@link JavaGraph}.
 *
 * <p>The data array is held, not copied (a batch of feature rows is the hot path), so a caller
 * must not change an array after wrapping it or after reading it from a tensor; the graph
 * never writes into a tensor it did not create.
 */
public final class Tensor {

  private final int[] shape;
  private final float[] floats;
  private final long[] longs;

  private Tensor(int[] shape, float[] floats, long[] longs) {
    if (floats == null && longs == null) {
      throw new IllegalArgumentException("no data");
    }
    this.shape = shape.clone();
    this.floats = floats;
    this.longs = longs;
    int n = sizeOf(this.shape);
    int length = floats != null ? floats.length : longs.length;
    if (n != length) {
      throw new IllegalArgumentException(length + " values for shape " + Arrays.toString(shape) + " of size " + n);
    }
  }

  /** A float32 tensor over {@code data} (not copied); no {@code shape} means a scalar. */
  public static Tensor of(float[] data, int... shape) {
    return new Tensor(shape, data, null);
  }

  /** An int64 tensor over {@code data} (not copied). */
  public static Tensor ofLongs(long[] data, int... shape) {
    return new Tensor(shape, null, data);
  }

  /** Rows of equal width as one {@code [rows, width]} tensor (copied). */
  public static Tensor ofRows(float[][] rows, int width) {
    float[] flat = new float[Math.multiplyExact(rows.length, width)];
    for (int i = 0; i < rows.length; i++) {
      if (rows[i].length != width) {
        throw new IllegalArgumentException("row " + i + " has width " + rows[i].length + ", expected " + width);
      }
      System.arraycopy(rows[i], 0, flat, i * width, width);
    }
    return of(flat, rows.length, width);
  }

  /** Number of elements of a shape; throws on negative dimensions or int overflow. */
  static int sizeOf(int[] shape) {
    int n = 1;
    for (int d : shape) {
      if (d < 0) {
        throw new IllegalArgumentException("negative dimension in shape " + Arrays.toString(shape));
      }
      n = Math.multiplyExact(n, d);
    }
    return n;
  }

  /** A copy of the shape. */
  public int[] shape() {
    return shape.clone();
  }

  /** The shape itself, for the kernels (never modified). */
  int[] dims() {
    return shape;
  }

  public int rank() {
    return shape.length;
  }

  public int dim(int axis) {
    return shape[axis];
  }

  public int size() {
    return floats != null ? floats.length : longs.length;
  }

  public boolean isFloat() {
    return floats != null;
  }

  /** The float32 data, row-major (the backing array: do not modify). */
  public float[] floats() {
    if (floats == null) {
      throw new IllegalStateException("an int64 tensor has no float data");
    }
    return floats;
  }

  /** The int64 data, row-major (the backing array: do not modify). */
  public long[] longs() {
    if (longs == null) {
      throw new IllegalStateException("a float32 tensor has no int64 data");
    }
    return longs;
  }

  /** Row {@code i} of a rank-2 float tensor, copied to doubles (how the runners report results). */
  public double[] row(int i) {
    if (shape.length != 2) {
      throw new IllegalStateException("row() of a tensor of shape " + Arrays.toString(shape));
    }
    int w = shape[1];
    double[] out = new double[w];
    for (int j = 0; j < w; j++) {
      out[j] = floats()[i * w + j];
    }
    return out;
  }

  /** A deep copy (a graph output that would otherwise share an initializer's array). */
  Tensor copy() {
    return floats != null ? new Tensor(shape, floats.clone(), null) : new Tensor(shape, null, longs.clone());
  }

  @Override
  public String toString() {
    String type = floats != null ? "float32" : "int64";
    String values = floats != null ? Arrays.toString(Arrays.copyOf(floats, Math.min(8, floats.length)))
        : Arrays.toString(Arrays.copyOf(longs, Math.min(8, longs.length)));
    return type + Arrays.toString(shape) + (size() > 8 ? values.replace("]", ", ...]") : values);
  }
}
