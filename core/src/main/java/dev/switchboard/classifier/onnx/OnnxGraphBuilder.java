package dev.switchboard.classifier.onnx;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Builds an ONNX model (ir_version 8, default-domain opset 17) from initializers and nodes and
 * serialises it with {@link ProtoWriter}. Field numbers are those of onnx.proto. Tensors are
 * float32 unless said otherwise (token ids and shape/index constants are int64).
 */
public final class OnnxGraphBuilder {

  public static final long IR_VERSION = 8;
  public static final long OPSET = 17;
  /** TensorProto.DataType values used here. */
  public static final int FLOAT = 1;
  public static final int INT64 = 7;

  private final String graphName;
  private final List<ProtoWriter> nodes = new ArrayList<>();
  private final List<ProtoWriter> initializers = new ArrayList<>();
  private final List<ProtoWriter> inputs = new ArrayList<>();
  private final List<ProtoWriter> outputs = new ArrayList<>();
  private final Map<String, String> metadata = new LinkedHashMap<>();
  private int nodeCount;

  /** A node attribute (AttributeProto): one int, a list of ints, or one float. */
  public record Attr(String name, Long i, long[] ints, Float f) {
    public static Attr i(String name, long v) {
      return new Attr(name, v, null, null);
    }

    public static Attr ints(String name, long... v) {
      return new Attr(name, null, v, null);
    }

    public static Attr f(String name, float v) {
      return new Attr(name, null, null, v);
    }

    ProtoWriter proto() {
      ProtoWriter a = new ProtoWriter().string(1, name);
      if (f != null) {
        a.fixed32(2, f).varint(20, 1); // f, type FLOAT
      } else if (i != null) {
        a.varint(3, i).varint(20, 2); // i, type INT
      } else {
        for (long v : ints) {
          a.varint(8, v); // ints (unpacked)
        }
        a.varint(20, 7); // type INTS
      }
      return a;
    }
  }

  public OnnxGraphBuilder(String graphName) {
    this.graphName = graphName;
  }

  /** A constant float tensor (row-major {@code data}) of the given shape. */
  public OnnxGraphBuilder initializer(String name, long[] dims, float[] data) {
    checkSize(name, dims, data.length);
    ByteBuffer raw = ByteBuffer.allocate(data.length * 4).order(ByteOrder.LITTLE_ENDIAN);
    raw.asFloatBuffer().put(data);
    initializers.add(tensor(name, dims, FLOAT, raw.array()));
    return this;
  }

  /** A constant int64 tensor (row-major {@code data}) of the given shape. */
  public OnnxGraphBuilder initializer(String name, long[] dims, long[] data) {
    checkSize(name, dims, data.length);
    ByteBuffer raw = ByteBuffer.allocate(data.length * 8).order(ByteOrder.LITTLE_ENDIAN);
    raw.asLongBuffer().put(data);
    initializers.add(tensor(name, dims, INT64, raw.array()));
    return this;
  }

  private static void checkSize(String name, long[] dims, int length) {
    long size = 1;
    for (long d : dims) {
      size *= d;
    }
    if (size != length) {
      throw new IllegalArgumentException("initializer " + name + ": " + length + " values for shape of size " + size);
    }
  }

  private static ProtoWriter tensor(String name, long[] dims, int type, byte[] raw) {
    ProtoWriter t = new ProtoWriter(raw.length + 64);
    for (long d : dims) {
      t.varint(1, d); // dims
    }
    return t.varint(2, type).string(8, name).bytes(9, raw); // data_type, name, raw_data
  }

  /** A node of the default domain, e.g. {@code node("MatMul", List.of("x", "W"), "y")}. */
  public OnnxGraphBuilder node(String opType, List<String> in, String out, Attr... attrs) {
    return node(opType, in, List.of(out), attrs);
  }

  /** A node with several outputs (e.g. TopK's values and indices). */
  public OnnxGraphBuilder node(String opType, List<String> in, List<String> out, Attr... attrs) {
    ProtoWriter n = new ProtoWriter();
    for (String i : in) {
      n.string(1, i);
    }
    for (String o : out) {
      n.string(2, o);
    }
    n.string(3, opType + "_" + (nodeCount++)).string(4, opType);
    for (Attr a : attrs) {
      n.message(5, a.proto());
    }
    nodes.add(n);
    return this;
  }

  /**
   * A float32 graph input; a dimension {@code < 0} is symbolic and named {@code batchName}.
   */
  public OnnxGraphBuilder input(String name, long[] dims, String batchName) {
    return input(name, dims, batchName, FLOAT);
  }

  /** A graph input of element type {@code type} ({@link #FLOAT} or {@link #INT64}). */
  public OnnxGraphBuilder input(String name, long[] dims, String batchName, int type) {
    inputs.add(valueInfo(name, dims, batchName, type));
    return this;
  }

  public OnnxGraphBuilder output(String name, long[] dims, String batchName) {
    outputs.add(valueInfo(name, dims, batchName, FLOAT));
    return this;
  }

  /** An input whose dynamic dimensions have names of their own ({@code dimNames[i]} for {@code dims[i] < 0}). */
  public OnnxGraphBuilder input(String name, long[] dims, String[] dimNames, int type) {
    inputs.add(valueInfo(name, dims, dimNames, type));
    return this;
  }

  /** An output whose dynamic dimensions have names of their own. */
  public OnnxGraphBuilder output(String name, long[] dims, String[] dimNames) {
    outputs.add(valueInfo(name, dims, dimNames, FLOAT));
    return this;
  }

  public OnnxGraphBuilder metadata(String key, String value) {
    metadata.put(key, value);
    return this;
  }

  private static ProtoWriter valueInfo(String name, long[] dims, String batchName, int type) {
    String[] names = new String[dims.length];
    java.util.Arrays.fill(names, batchName);
    return valueInfo(name, dims, names, type);
  }

  private static ProtoWriter valueInfo(String name, long[] dims, String[] dimNames, int type) {
    ProtoWriter shape = new ProtoWriter();
    for (int i = 0; i < dims.length; i++) {
      long d = dims[i];
      ProtoWriter dim = new ProtoWriter();
      if (d < 0) {
        dim.string(2, dimNames[i]); // dim_param
      } else {
        dim.varint(1, d); // dim_value
      }
      shape.message(1, dim);
    }
    ProtoWriter tensorType = new ProtoWriter().varint(1, type).message(2, shape);
    ProtoWriter typeProto = new ProtoWriter().message(1, tensorType);
    return new ProtoWriter().string(1, name).message(2, typeProto);
  }

  public byte[] toBytes(String producerName, String producerVersion) {
    ProtoWriter graph = new ProtoWriter(1 << 16);
    nodes.forEach(n -> graph.message(1, n));
    graph.string(2, graphName);
    initializers.forEach(t -> graph.message(5, t));
    inputs.forEach(i -> graph.message(11, i));
    outputs.forEach(o -> graph.message(12, o));

    ProtoWriter model = new ProtoWriter(graph.size() + 1024)
        .varint(1, IR_VERSION)
        .string(2, producerName)
        .string(3, producerVersion);
    model.bytes(7, graph.buffer(), graph.size());
    model.message(8, new ProtoWriter().string(1, "").varint(2, OPSET));
    metadata.forEach((k, v) -> model.message(14, new ProtoWriter().string(1, k).string(2, v)));
    return model.toByteArray();
  }
}
