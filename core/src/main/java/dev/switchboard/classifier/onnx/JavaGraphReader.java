package dev.switchboard.classifier.onnx;

import static dev.switchboard.classifier.onnx.JavaGraph.FLOAT;
import static dev.switchboard.classifier.onnx.JavaGraph.INT64;
import static dev.switchboard.classifier.onnx.JavaGraph.UNKNOWN;

import dev.switchboard.classifier.base.ClassifierException;
import dev.switchboard.classifier.onnx.JavaGraph.Input;
import dev.switchboard.classifier.onnx.JavaGraph.Node;
import dev.switchboard.classifier.onnx.JavaGraph.Op;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Reads a serialised ONNX ModelProto into a {@link JavaGraph}: one parse lays out the value table
 * and checks statically what it can (ops, attributes, element types, ranks, axes).
 */
final class JavaGraphReader {
  /** Field numbers of onnx.proto (ModelProto, GraphProto, NodeProto, AttributeProto, TensorProto, ValueInfoProto). */
  private static final int MODEL_GRAPH = 7, MODEL_OPSET = 8;
  private static final int GRAPH_NODE = 1, GRAPH_INITIALIZER = 5, GRAPH_INPUT = 11, GRAPH_OUTPUT = 12, GRAPH_SPARSE = 15;
  private static final int NODE_INPUT = 1, NODE_OUTPUT = 2, NODE_NAME = 3, NODE_OP = 4, NODE_ATTR = 5, NODE_DOMAIN = 7;
  private static final int ATTR_NAME = 1, ATTR_F = 2, ATTR_I = 3, ATTR_INTS = 8, ATTR_TYPE = 20;
  private static final int ATTR_FLOAT = 1, ATTR_INT = 2, ATTR_INTS_TYPE = 7;
  private static final int TENSOR_DIMS = 1, TENSOR_TYPE = 2, TENSOR_SEGMENT = 3, TENSOR_FLOATS = 4, TENSOR_INT64S = 7;
  private static final int TENSOR_NAME = 8, TENSOR_RAW = 9, TENSOR_EXTERNAL = 13, TENSOR_LOCATION = 14;
  /** Opsets whose versions of the supported ops all have the semantics implemented here (18 moves Reduce axes to an input). */
  private static final int MIN_OPSET = 13, MAX_OPSET = 17;

  private final Map<String, Integer> slots = new HashMap<>();
  private final List<Tensor> constants = new ArrayList<>(); // by slot (null = computed or fed)
  private final List<Integer> types = new ArrayList<>(); // by slot: FLOAT, INT64 or UNKNOWN
  private final List<Integer> ranks = new ArrayList<>(); // by slot: -1 when unknown

  JavaGraph parse(byte[] bytes) {
    List<ProtoFields.Field> graph = null;
    long opset = -1;
    for (ProtoFields.Field f : ProtoFields.parse(bytes)) {
      if (f.number() == MODEL_GRAPH) {
        graph = f.message();
      } else if (f.number() == MODEL_OPSET) {
        String domain = "";
        long version = -1;
        for (ProtoFields.Field o : f.message()) {
          if (o.number() == 1) domain = string(o);
          if (o.number() == 2) version = varint(o);
        }
        if (domain.isEmpty() || domain.equals("ai.onnx")) opset = version;
      }
    }
    if (graph == null) {
      throw new ClassifierException("not an ONNX model: no graph");
    }
    if (opset < MIN_OPSET || opset > MAX_OPSET) {
      throw new ClassifierException("JavaGraph supports default-domain opsets " + MIN_OPSET + "-" + MAX_OPSET + ", the model has " + opset);
    }
    for (ProtoFields.Field f : graph) {
      if (f.number() == GRAPH_SPARSE) throw new ClassifierException("JavaGraph does not support sparse initializers");
      if (f.number() == GRAPH_INITIALIZER) initializer(f.message());
    }
    Map<String, Input> inputs = new LinkedHashMap<>();
    List<String> required = new ArrayList<>();
    for (ProtoFields.Field f : graph) {
      if (f.number() != GRAPH_INPUT) continue;
      Input in = input(f.message());
      inputs.put(in.name(), in);
      if (constants.get(in.slot()) == null) required.add(in.name());
    }
    List<Node> nodes = new ArrayList<>();
    for (ProtoFields.Field f : graph) {
      if (f.number() == GRAPH_NODE) nodes.add(node(f.message()));
    }
    List<String> outputs = new ArrayList<>();
    for (ProtoFields.Field f : graph) {
      if (f.number() == GRAPH_OUTPUT) outputs.add(firstString(f.message(), 1));
    }
    int[] outputSlots = new int[outputs.size()];
    for (int i = 0; i < outputSlots.length; i++) {
      Integer s = slots.get(outputs.get(i));
      if (s == null) throw new ClassifierException("graph output '" + outputs.get(i) + "' is computed by no node");
      outputSlots[i] = s;
    }
    return new JavaGraph(nodes, constants.toArray(new Tensor[0]), inputs, required, outputs, outputSlots);
  }

  private int define(String name, Tensor constant, int type, int rank) {
    if (slots.containsKey(name)) throw new ClassifierException("value '" + name + "' is defined twice");
    slots.put(name, constants.size());
    constants.add(constant);
    types.add(type);
    ranks.add(rank);
    return constants.size() - 1;
  }

  private void initializer(List<ProtoFields.Field> fields) {
    Tensor t = tensor(fields);
    define(firstString(fields, TENSOR_NAME), t, t.isFloat() ? FLOAT : INT64, t.rank());
  }

  private Input input(List<ProtoFields.Field> valueInfo) {
    String name = firstString(valueInfo, 1);
    int type = UNKNOWN;
    int[] dims = null;
    for (ProtoFields.Field tp : valueInfo) {
      if (tp.number() != 2) continue; // ValueInfoProto.type
      for (ProtoFields.Field tt : tp.message()) {
        if (tt.number() != 1) throw new ClassifierException("JavaGraph supports only tensor inputs ('" + name + "')");
        for (ProtoFields.Field f : tt.message()) {
          if (f.number() == 1) type = (int) varint(f); // elem_type
          if (f.number() == 2) dims = shape(f.message());
        }
      }
    }
    if (type != FLOAT && type != INT64 && type != UNKNOWN) {
      throw new ClassifierException("JavaGraph supports float32 and int64 inputs only; '" + name + "' has element type " + type);
    }
    Integer existing = slots.get(name);
    if (existing != null) { // an initializer with an overridable default
      return new Input(name, existing, types.get(existing), constants.get(existing).dims().clone());
    }
    return new Input(name, define(name, null, type, dims == null ? -1 : dims.length), type, dims);
  }

  private static int[] shape(List<ProtoFields.Field> shapeProto) {
    List<ProtoFields.Field> dimFields = shapeProto.stream().filter(f -> f.number() == 1).toList();
    int[] dims = new int[dimFields.size()];
    for (int i = 0; i < dims.length; i++) {
      dims[i] = -1; // dim_param or nothing: any size
      for (ProtoFields.Field d : dimFields.get(i).message()) {
        if (d.number() == 1) dims[i] = Math.toIntExact(varint(d));
      }
    }
    return dims;
  }

  private Node node(List<ProtoFields.Field> fields) {
    String opType = "";
    String name = "";
    String domain = "";
    List<String> in = new ArrayList<>();
    List<String> out = new ArrayList<>();
    Map<String, Attr> attrs = new HashMap<>();
    for (ProtoFields.Field f : fields) {
      switch (f.number()) {
        case NODE_INPUT -> in.add(string(f));
        case NODE_OUTPUT -> out.add(string(f));
        case NODE_NAME -> name = string(f);
        case NODE_OP -> opType = string(f);
        case NODE_DOMAIN -> domain = string(f);
        case NODE_ATTR -> {
          Attr a = Attr.of(f.message());
          attrs.put(a.name(), a);
        }
        default -> { }
      }
    }
    String where = "node '" + name + "' (" + opType + ")";
    Op op = domain.isEmpty() || domain.equals("ai.onnx") ? Op.of(opType) : null;
    if (op == null) {
      throw new ClassifierException("JavaGraph does not support op '" + (domain.isEmpty() ? "" : domain + ":") + opType
          + "' (node '" + name + "')");
    }
    if (in.size() < op.minIn || in.size() > op.maxIn || out.size() != op.outputs) {
      throw new ClassifierException(where + " has " + in.size() + " inputs and " + out.size() + " outputs");
    }
    for (String a : attrs.keySet()) {
      if (!op.attributes.contains(a)) throw new ClassifierException("JavaGraph does not support attribute '" + a + "' of " + where);
    }
    int[] inSlots = new int[in.size()];
    for (int i = 0; i < inSlots.length; i++) {
      Integer s = in.get(i).isEmpty() ? Integer.valueOf(-1) : slots.get(in.get(i));
      if (s == null) {
        throw new ClassifierException("input '" + in.get(i) + "' of " + where + " is no initializer, graph input or earlier node's output");
      }
      if (s < 0 && (i < op.minIn || op.maxIn == Integer.MAX_VALUE)) { // only optional inputs may be omitted ("")
        throw new ClassifierException(where + " lacks its required input " + i);
      }
      inSlots[i] = s;
    }
    long axis = Attr.intValue(attrs, "axis", op == Op.TOPK ? -1 : 0, where);
    long[] axes = attrs.containsKey("axes") ? attrs.get("axes").ints(where) : null;
    boolean keepdims = Attr.intValue(attrs, "keepdims", 1, where) != 0;
    boolean noop = Attr.intValue(attrs, "noop_with_empty_axes", 0, where) != 0;
    boolean largest = Attr.intValue(attrs, "largest", 1, where) != 0;
    Attr.intValue(attrs, "sorted", 1, where); // any value: the output is always sorted, which sorted=0 permits
    int[] outSlots = new int[out.size()];
    int[] outType = new int[out.size()];
    int[] outRank = new int[out.size()];
    try {
      infer(op, inSlots, axis, axes, keepdims, noop, outType, outRank);
    } catch (ClassifierException e) {
      throw new ClassifierException("JavaGraph cannot evaluate " + where + ": " + e.getMessage(), e);
    }
    for (int i = 0; i < outSlots.length; i++) {
      outSlots[i] = out.get(i).isEmpty() ? -1 : define(out.get(i), null, outType[i], outRank[i]);
    }
    return new Node(op, name, inSlots, outSlots, axis, axes, keepdims, noop, largest);
  }

  /**
   * Element types and ranks of a node's outputs from its inputs', failing where they are known
   * to be outside what the kernels evaluate (an int64 Add, a rank-3 MatMul, an axis out of range).
   */
  private void infer(Op op, int[] in, long axis, long[] axes, boolean keepdims, boolean noop, int[] type, int[] rank) {
    int r0 = ranks.get(in[0]);
    type[0] = FLOAT;
    rank[0] = r0;
    switch (op) {
      case ADD, SUB, MUL, DIV, MAX, SUM -> {
        for (int s : in) {
          need(s, FLOAT);
          rank[0] = rank[0] < 0 || ranks.get(s) < 0 ? -1 : Math.max(rank[0], ranks.get(s));
        }
      }
      case RELU, SIGMOID, SOFTPLUS -> need(in[0], FLOAT);
      case IDENTITY -> type[0] = types.get(in[0]);
      case MATMUL -> {
        need(in[0], FLOAT);
        need(in[1], FLOAT);
        int r1 = ranks.get(in[1]);
        if (r0 == 0 || r0 > 2 || r1 == 0 || r1 > 2) throw GraphOps.fail("MatMul of ranks " + r0 + " and " + r1 + " (only 1-D and 2-D)");
        rank[0] = r0 < 0 || r1 < 0 ? -1 : (r0 == 2 ? 1 : 0) + (r1 == 2 ? 1 : 0);
      }
      case GATHER -> {
        need(in[1], INT64);
        type[0] = types.get(in[0]);
        int ri = ranks.get(in[1]);
        if (r0 >= 0) GraphOps.axis(axis, r0, "Gather");
        rank[0] = r0 < 0 || ri < 0 ? -1 : r0 + ri - 1;
      }
      case REDUCE_MEAN, REDUCE_L2, REDUCE_SUM -> {
        need(in[0], FLOAT);
        boolean axesFed = op == Op.REDUCE_SUM && in.length > 1 && in[1] >= 0;
        if (axesFed) {
          need(in[1], INT64);
          Tensor c = constants.get(in[1]);
          axes = c == null ? null : c.longs();
        }
        boolean known = !axesFed || axes != null;
        if (axes != null && r0 >= 0) {
          GraphOps.reducedAxes(axes, r0, op.onnx);
        }
        boolean all = axes == null || axes.length == 0;
        rank[0] = r0 < 0 || !known ? -1 : keepdims || (all && noop) ? r0 : all ? 0 : r0 - axes.length;
      }
      case SLICE -> {
        type[0] = types.get(in[0]);
        for (int i = 1; i < in.length; i++) {
          if (in[i] >= 0) need(in[i], INT64);
        }
        Tensor c = in.length > 3 && in[3] >= 0 ? constants.get(in[3]) : null;
        if (c != null && r0 >= 0) {
          for (long a : c.longs()) GraphOps.axis(a, r0, "Slice");
        }
      }
      case TOPK -> {
        need(in[0], FLOAT);
        need(in[1], INT64);
        if (r0 >= 0) GraphOps.axis(axis, r0, "TopK");
        type[1] = INT64;
        rank[1] = r0;
      }
    }
  }

  private void need(int slot, int type) {
    int t = types.get(slot);
    if (t != UNKNOWN && t != type) {
      throw GraphOps.fail("an input is " + (t == FLOAT ? "float32" : "int64") + ", the op needs " + (type == FLOAT ? "float32" : "int64"));
    }
  }

  /** An attribute: one int, a list of ints or one float (what {@link OnnxGraphBuilder.Attr} writes). */
  private record Attr(String name, int type, long i, long[] ints) {
    static Attr of(List<ProtoFields.Field> fields) {
      String name = "";
      int type = 0;
      long i = 0;
      List<Long> ints = new ArrayList<>();
      boolean sawInt = false;
      boolean sawFloat = false;
      for (ProtoFields.Field f : fields) {
        switch (f.number()) {
          case ATTR_NAME -> name = string(f);
          case ATTR_TYPE -> type = (int) varint(f);
          case ATTR_I -> { i = varint(f); sawInt = true; }
          case ATTR_F -> sawFloat = true;
          case ATTR_INTS -> { for (long v : varints(f)) ints.add(v); }
          default -> { } // a kind not read here (string, tensor, graph, floats): its type field says so
        }
      }
      if (type == 0) { // type is required since IR 3, but infer it from the field present
        type = sawInt ? ATTR_INT : sawFloat ? ATTR_FLOAT : !ints.isEmpty() ? ATTR_INTS_TYPE : -1;
      }
      return new Attr(name, type, i, ints.stream().mapToLong(Long::longValue).toArray());
    }

    static long intValue(Map<String, Attr> attrs, String name, long dflt, String where) {
      Attr a = attrs.get(name);
      if (a == null) return dflt;
      if (a.type() != ATTR_INT) throw new ClassifierException("attribute '" + name + "' of " + where + " is not an int");
      return a.i();
    }

    long[] ints(String where) {
      if (type != ATTR_INTS_TYPE) throw new ClassifierException("attribute '" + name + "' of " + where + " is not a list of ints");
      return ints;
    }
  }

  // ---------------------------------------------------------------- TensorProto and wire helpers

  /** A float32 or int64 initializer from raw_data or float_data / int64_data. */
  private static Tensor tensor(List<ProtoFields.Field> fields) {
    String name = firstString(fields, TENSOR_NAME);
    int type = 0;
    List<Long> dimList = new ArrayList<>();
    ProtoFields.Field raw = null;
    for (ProtoFields.Field f : fields) {
      switch (f.number()) {
        case TENSOR_DIMS -> { for (long d : varints(f)) dimList.add(d); }
        case TENSOR_TYPE -> type = (int) varint(f);
        case TENSOR_RAW -> raw = f;
        case TENSOR_SEGMENT, TENSOR_EXTERNAL -> throw new ClassifierException("JavaGraph does not support segmented or external initializer '" + name + "'");
        case TENSOR_LOCATION -> {
          if (varint(f) != 0) throw new ClassifierException("JavaGraph does not support external initializer '" + name + "'");
        }
        default -> { }
      }
    }
    if (type != FLOAT && type != INT64) {
      throw new ClassifierException("JavaGraph supports float32 and int64 initializers only; '" + name + "' has data type " + type);
    }
    int[] dims = dimList.stream().mapToInt(Math::toIntExact).toArray();
    int size = Tensor.sizeOf(dims);
    int width = type == FLOAT ? 4 : 8;
    float[] floats = type == FLOAT ? new float[size] : null;
    long[] longs = type == INT64 ? new long[size] : null;
    if (raw != null) {
      int len = raw.end() - raw.payloadStart();
      if (len != (long) size * width) {
        throw new ClassifierException("initializer '" + name + "' has " + len + " bytes of raw_data for " + size + " values");
      }
      ByteBuffer b = ByteBuffer.wrap(raw.buf(), raw.payloadStart(), len).order(ByteOrder.LITTLE_ENDIAN);
      if (floats != null) b.asFloatBuffer().get(floats);
      else b.asLongBuffer().get(longs);
    } else {
      int n = 0;
      for (ProtoFields.Field f : fields) {
        if (floats != null && f.number() == TENSOR_FLOATS) {
          for (int p = f.payloadStart(); p + 4 <= f.end(); p += 4) { // one fixed32, or a packed run of them
            if (n == size) throw new ClassifierException("initializer '" + name + "' has more values than its shape");
            floats[n++] = Float.intBitsToFloat(ByteBuffer.wrap(f.buf(), p, 4).order(ByteOrder.LITTLE_ENDIAN).getInt());
          }
        } else if (longs != null && f.number() == TENSOR_INT64S) {
          for (long v : varints(f)) {
            if (n == size) throw new ClassifierException("initializer '" + name + "' has more values than its shape");
            longs[n++] = v;
          }
        }
      }
      if (n != size) throw new ClassifierException("initializer '" + name + "' has " + n + " values for " + size);
    }
    return floats != null ? Tensor.of(floats, dims) : Tensor.ofLongs(longs, dims);
  }

  private static String string(ProtoFields.Field f) {
    return new String(f.buf(), f.payloadStart(), f.end() - f.payloadStart(), StandardCharsets.UTF_8);
  }

  private static String firstString(List<ProtoFields.Field> fields, int number) {
    for (ProtoFields.Field f : fields) {
      if (f.number() == number) return string(f);
    }
    return "";
  }

  /** A varint field's value. */
  private static long varint(ProtoFields.Field f) {
    if (f.wireType() != 0) throw new IllegalArgumentException("field " + f.number() + " is not a varint");
    return varints(f)[0];
  }

  /** A repeated varint field: one value (wire type 0) or a packed run (wire type 2). */
  private static long[] varints(ProtoFields.Field f) {
    if (f.wireType() != 0 && f.wireType() != 2) throw new IllegalArgumentException("field " + f.number() + " is not an integer");
    long[] out = new long[f.end() - f.payloadStart()];
    int n = 0;
    long v = 0;
    int shift = 0;
    for (int p = f.payloadStart(); p < f.end(); p++) {
      byte b = f.buf()[p];
      v |= (long) (b & 0x7F) << shift;
      shift += 7;
      if ((b & 0x80) == 0) {
        out[n++] = v;
        v = 0;
        shift = 0;
      }
    }
    return Arrays.copyOf(out, n);
  }
}
