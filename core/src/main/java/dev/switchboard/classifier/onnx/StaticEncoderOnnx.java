package dev.switchboard.classifier.onnx;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.List;
import java.util.Map;

/**
 * The static encoder as an ONNX graph: {@code ids int64 [U]} (the distinct content ids of a batch
 * of B prompts) and {@code weights float [B, U]} (each id's share of each prompt's tokens, 0 where
 * a prompt lacks it) {@code -> Gather(table) [U, D] -> MatMul(weights, rows) [B, D] -> each row
 * divided by max(ReduceL2, 1e-12) -> embedding [B, D]}: the mean of each prompt's token rows, each
 * distinct row read once (a long prompt repeats its words; 4,096 tokens are ~1,000 distinct ids).
 * The same computation as the encoder's {@code StaticTable.embed}; the caller never passes an empty list (the
 * Java side answers an empty prompt with zeros).
 *
 * <p>Why batches: under load the scoring workers take several queued prompts at once, and one
 * graph call for all of them pays DJL's and ONNX Runtime's per-call cost (tensors, session run,
 * output copy: most of a 256-token prompt's encoder time) once.
 *
 * <p>Why MatMul: the first layout (weights [U, 1], Mul, ReduceSum over U) spent 54 us in ONNX
 * Runtime at 150 distinct ids, the MatMul 18 us (ReduceSum over the leading axis takes a slow
 * path); same numbers to 3e-7. {@link #GRAPH} names the layout, so a store written by an earlier
 * one (v2: one prompt per call) is rewritten on open ({@code EncoderStore}).
 */
public final class StaticEncoderOnnx {

  public static final String INPUT = "ids";
  public static final String WEIGHTS = "weights";
  public static final String OUTPUT = "embedding";
  static final String TABLE = "table";
  /** The graph's layout, recorded in {@code encoder.json} as {@code graph}. */
  public static final String GRAPH = "gather-matmul-l2/v3";

  private StaticEncoderOnnx() {}

  /** A token table: {@code rows x dim} values, row-major (the encoder's {@code StaticTable} holds the same). */
  public record Table(int rows, int dim, float[] values) {}

  public static byte[] export(Table t, Map<String, String> metadata) {
    OnnxGraphBuilder g = new OnnxGraphBuilder("switchboard_static_encoder");
    g.input(INPUT, new long[] {-1}, "U", OnnxGraphBuilder.INT64);
    g.input(WEIGHTS, new long[] {-1, -1}, new String[] {"B", "U"}, OnnxGraphBuilder.FLOAT);
    g.initializer(TABLE, new long[] {t.rows(), t.dim()}, t.values());
    g.initializer("eps", new long[] {1}, new float[] {1e-12f});
    g.node("Gather", List.of(TABLE, INPUT), "rows", OnnxGraphBuilder.Attr.i("axis", 0));
    g.node("MatMul", List.of(WEIGHTS, "rows"), "mean");
    g.node("ReduceL2", List.of("mean"), "norm", OnnxGraphBuilder.Attr.ints("axes", 1), OnnxGraphBuilder.Attr.i("keepdims", 1));
    g.node("Max", List.of("norm", "eps"), "safe_norm");
    g.node("Div", List.of("mean", "safe_norm"), OUTPUT);
    g.output(OUTPUT, new long[] {-1, t.dim()}, new String[] {"B", ""});
    metadata.forEach(g::metadata);
    return g.toBytes("switchboard", "0.1.0");
  }

  /** Reads the table back out of a graph written by {@link #export} (no copy of the other fields). */
  public static Table readTable(byte[] onnx) {
    for (ProtoFields.Field f : ProtoFields.parse(onnx)) {
      if (f.number() != 7) { // ModelProto.graph
        continue;
      }
      for (ProtoFields.Field gf : f.message()) {
        if (gf.number() != 5) { // GraphProto.initializer
          continue;
        }
        List<ProtoFields.Field> tensor = gf.message();
        String name = null;
        long[] dims = new long[2];
        int nd = 0;
        ProtoFields.Field raw = null;
        for (ProtoFields.Field tf : tensor) {
          switch (tf.number()) {
            case 1 -> { if (nd < 2) dims[nd] = varint(tf); nd++; }
            case 8 -> name = new String(tf.bytes(), java.nio.charset.StandardCharsets.UTF_8);
            case 9 -> raw = tf;
            default -> { }
          }
        }
        if (TABLE.equals(name) && nd == 2 && raw != null) {
          int rows = (int) dims[0];
          int dim = (int) dims[1];
          float[] table = new float[rows * dim];
          ByteBuffer.wrap(raw.buf(), raw.payloadStart(), raw.end() - raw.payloadStart())
              .order(ByteOrder.LITTLE_ENDIAN).asFloatBuffer().get(table);
          return new Table(rows, dim, table);
        }
      }
    }
    throw new IllegalArgumentException("not a static encoder graph: no 2-D initializer named '" + TABLE + "'");
  }

  private static long varint(ProtoFields.Field f) {
    long v = 0;
    int shift = 0;
    for (int i = f.payloadStart(); i < f.end(); i++, shift += 7) {
      v |= (long) (f.buf()[i] & 0x7F) << shift;
    }
    return v;
  }
}
