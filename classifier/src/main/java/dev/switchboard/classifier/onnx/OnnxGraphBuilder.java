package dev.switchboard.classifier.onnx;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Builds a float32 ONNX model (ir_version 8, default-domain opset 17) from initializers and
 * nodes and serialises it with {@link ProtoWriter}. Field numbers are those of onnx.proto.
 */
public final class OnnxGraphBuilder {

  public static final long IR_VERSION = 8;
  public static final long OPSET = 17;
  private static final int FLOAT = 1; // TensorProto.DataType.FLOAT

  private final String graphName;
  private final List<ProtoWriter> nodes = new ArrayList<>();
  private final List<ProtoWriter> initializers = new ArrayList<>();
  private final List<ProtoWriter> inputs = new ArrayList<>();
  private final List<ProtoWriter> outputs = new ArrayList<>();
  private final Map<String, String> metadata = new LinkedHashMap<>();
  private int nodeCount;

  public OnnxGraphBuilder(String graphName) {
    this.graphName = graphName;
  }

  /** A constant float tensor (row-major {@code data}) of the given shape. */
  public OnnxGraphBuilder initializer(String name, long[] dims, float[] data) {
    long size = 1;
    for (long d : dims) {
      size *= d;
    }
    if (size != data.length) {
      throw new IllegalArgumentException("initializer " + name + ": " + data.length + " values for shape of size " + size);
    }
    ByteBuffer raw = ByteBuffer.allocate(data.length * 4).order(ByteOrder.LITTLE_ENDIAN);
    for (float f : data) {
      raw.putFloat(f);
    }
    ProtoWriter t = new ProtoWriter();
    for (long d : dims) {
      t.varint(1, d); // dims
    }
    t.varint(2, FLOAT).string(8, name).bytes(9, raw.array()); // data_type, name, raw_data
    initializers.add(t);
    return this;
  }

  /** A node of the default domain, e.g. {@code node("MatMul", List.of("x", "W"), "y")}. */
  public OnnxGraphBuilder node(String opType, List<String> in, String out) {
    ProtoWriter n = new ProtoWriter();
    for (String i : in) {
      n.string(1, i);
    }
    n.string(2, out).string(3, opType + "_" + (nodeCount++)).string(4, opType);
    nodes.add(n);
    return this;
  }

  /**
   * A graph input/output of float32; a dimension {@code < 0} is symbolic and named
   * {@code batchName}.
   */
  public OnnxGraphBuilder input(String name, long[] dims, String batchName) {
    inputs.add(valueInfo(name, dims, batchName));
    return this;
  }

  public OnnxGraphBuilder output(String name, long[] dims, String batchName) {
    outputs.add(valueInfo(name, dims, batchName));
    return this;
  }

  public OnnxGraphBuilder metadata(String key, String value) {
    metadata.put(key, value);
    return this;
  }

  private static ProtoWriter valueInfo(String name, long[] dims, String batchName) {
    ProtoWriter shape = new ProtoWriter();
    for (long d : dims) {
      ProtoWriter dim = new ProtoWriter();
      if (d < 0) {
        dim.string(2, batchName); // dim_param
      } else {
        dim.varint(1, d); // dim_value
      }
      shape.message(1, dim);
    }
    ProtoWriter tensorType = new ProtoWriter().varint(1, FLOAT).message(2, shape);
    ProtoWriter type = new ProtoWriter().message(1, tensorType);
    return new ProtoWriter().string(1, name).message(2, type);
  }

  public byte[] toBytes(String producerName, String producerVersion) {
    ProtoWriter graph = new ProtoWriter();
    nodes.forEach(n -> graph.message(1, n));
    graph.string(2, graphName);
    initializers.forEach(t -> graph.message(5, t));
    inputs.forEach(i -> graph.message(11, i));
    outputs.forEach(o -> graph.message(12, o));

    ProtoWriter model = new ProtoWriter()
        .varint(1, IR_VERSION)
        .string(2, producerName)
        .string(3, producerVersion)
        .message(7, graph)
        .message(8, new ProtoWriter().string(1, "").varint(2, OPSET));
    metadata.forEach((k, v) -> model.message(14, new ProtoWriter().string(1, k).string(2, v)));
    return model.toByteArray();
  }
}
