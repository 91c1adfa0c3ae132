package dev.switchboard.router.embeddings;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.Base64;

/** Embedding vectors as the API writes them. */
final class Vectors {
  private Vectors() {}

  /** The first {@code dims} components, scaled back to unit length (a PCA prefix is the best {@code dims}-wide embedding). */
  static float[] truncate(float[] v, int dims) {
    if (dims >= v.length) return v;
    double norm = 0;
    for (int i = 0; i < dims; i++) norm += (double) v[i] * v[i];
    norm = Math.max(Math.sqrt(norm), 1e-12);
    float[] out = new float[dims];
    for (int i = 0; i < dims; i++) out[i] = (float) (v[i] / norm);
    return out;
  }

  /** OpenAI's {@code encoding_format: base64}: the float32 values little-endian, base64-encoded. */
  static String base64(float[] v) {
    ByteBuffer b = ByteBuffer.allocate(v.length * 4).order(ByteOrder.LITTLE_ENDIAN);
    b.asFloatBuffer().put(v);
    return Base64.getEncoder().encodeToString(b.array());
  }
}
