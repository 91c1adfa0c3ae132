package dev.switchboard.classifier.onnx;

import dev.switchboard.classifier.base.ClassifierException;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * A pure-Java evaluator for the ONNX graphs this project writes ({@link OnnxGraphBuilder}: the
 * router/heads graphs and the static encoder). Why: every ONNX Runtime call costs ~20 us of JNI,
 * tensor and session overhead, more than the arithmetic of these graphs at small batches.
 *
 * <p>{@link #parse} accepts only what it can evaluate exactly as ONNX Runtime does (default-domain
 * opset 13-17, float32/int64 tensors, the ops of {@link Op}, and axes/ranks it can check statically);
 * anything else throws {@link ClassifierException} naming the op, and the caller uses ONNX Runtime.
 * Immutable after parsing, so one instance serves any number of threads; each {@link #run} has
 * its own value table.
 */
public final class JavaGraph {

  static final int FLOAT = OnnxGraphBuilder.FLOAT, INT64 = OnnxGraphBuilder.INT64, UNKNOWN = 0;


  /** The ops evaluated, with their input counts, output count and the attributes each may carry. */
  enum Op {
    ADD("Add", 2, 2, 1), SUB("Sub", 2, 2, 1), MUL("Mul", 2, 2, 1), DIV("Div", 2, 2, 1),
    MAX("Max", 1, Integer.MAX_VALUE, 1), SUM("Sum", 1, Integer.MAX_VALUE, 1),
    MATMUL("MatMul", 2, 2, 1), GATHER("Gather", 2, 2, 1, "axis"), IDENTITY("Identity", 1, 1, 1),
    REDUCE_MEAN("ReduceMean", 1, 1, 1, "axes", "keepdims"), REDUCE_L2("ReduceL2", 1, 1, 1, "axes", "keepdims"),
    REDUCE_SUM("ReduceSum", 1, 2, 1, "keepdims", "noop_with_empty_axes"),
    RELU("Relu", 1, 1, 1), SIGMOID("Sigmoid", 1, 1, 1), SOFTPLUS("Softplus", 1, 1, 1),
    SLICE("Slice", 3, 5, 1), TOPK("TopK", 2, 2, 2, "axis", "largest", "sorted");

    final String onnx;
    final int minIn, maxIn, outputs;
    final Set<String> attributes;

    Op(String onnx, int minIn, int maxIn, int outputs, String... attributes) {
      this.onnx = onnx;
      this.minIn = minIn;
      this.maxIn = maxIn;
      this.outputs = outputs;
      this.attributes = Set.of(attributes);
    }

    static Op of(String onnx) {
      for (Op o : values()) {
        if (o.onnx.equals(onnx)) return o;
      }
      return null;
    }
  }

  /** A node ready to run: value-table slots (-1 = omitted optional input) and resolved attributes. */
  record Node(Op op, String name, int[] in, int[] out, long axis, long[] axes, boolean keepdims,
      boolean noopWithEmptyAxes, boolean largest) {}

  /** A graph input: its declared element type and dims (null = unknown rank, -1 = symbolic dim). */
  record Input(String name, int slot, int type, int[] dims) {}

  private final List<Node> nodes;
  private final Tensor[] template; // initializers at their slots, null elsewhere
  private final List<Tensor> initializers;
  private final Map<String, Input> inputs; // by name, in graph order; includes initializer-backed (overridable) ones
  private final List<String> inputNames; // the inputs without an initializer: the ones a caller must feed
  private final List<String> outputNames;
  private final int[] outputSlots;

  JavaGraph(List<Node> nodes, Tensor[] template, Map<String, Input> inputs, List<String> inputNames,
      List<String> outputNames, int[] outputSlots) {
    this.nodes = List.copyOf(nodes);
    this.template = template;
    this.initializers = Arrays.stream(template).filter(t -> t != null).toList();
    this.inputs = inputs;
    this.inputNames = List.copyOf(inputNames);
    this.outputNames = List.copyOf(outputNames);
    this.outputSlots = outputSlots;
  }

  public List<String> inputNames() {
    return inputNames;
  }

  public List<String> outputNames() {
    return outputNames;
  }

  /**
   * Evaluates the graph. Every input of {@link #inputNames} must be fed with its declared element
   * type, rank and fixed dims; returns the outputs in {@link #outputNames} order.
   */
  public Map<String, Tensor> run(Map<String, Tensor> feeds) {
    Tensor[] v = template.clone();
    for (Map.Entry<String, Tensor> e : feeds.entrySet()) {
      Input in = inputs.get(e.getKey());
      if (in == null) {
        throw new ClassifierException("graph has no input '" + e.getKey() + "' (inputs: " + inputNames + ")");
      }
      v[in.slot()] = checked(in, e.getValue());
    }
    for (String name : inputNames) {
      if (v[inputs.get(name).slot()] == null) {
        throw new ClassifierException("graph input '" + name + "' was not fed");
      }
    }
    for (Node n : nodes) {
      try {
        exec(n, v);
      } catch (ClassifierException | IllegalArgumentException | IllegalStateException | ArithmeticException e) {
        throw new ClassifierException("node '" + n.name() + "' (" + n.op().onnx + "): " + e.getMessage(), e);
      }
    }
    Map<String, Tensor> out = new LinkedHashMap<>();
    for (int i = 0; i < outputSlots.length; i++) {
      Tensor t = v[outputSlots[i]];
      // An output that is (an Identity of) an initializer is copied: a caller must not get the graph's own array.
      out.put(outputNames.get(i), isInitializer(t) ? t.copy() : t);
    }
    return out;
  }

  private boolean isInitializer(Tensor t) {
    for (Tensor c : initializers) {
      if (c == t) return true;
    }
    return false;
  }

  private static Tensor checked(Input in, Tensor t) {
    int type = t.isFloat() ? FLOAT : INT64;
    boolean ok = in.type() == UNKNOWN || in.type() == type;
    if (in.dims() != null) {
      ok &= t.rank() == in.dims().length;
      for (int i = 0; ok && i < t.rank(); i++) {
        ok = in.dims()[i] < 0 || in.dims()[i] == t.dim(i);
      }
    }
    if (!ok) {
      throw new ClassifierException("input '" + in.name() + "' is " + (type == FLOAT ? "float32" : "int64")
          + Arrays.toString(t.dims()) + ", the graph declares " + (in.type() == INT64 ? "int64" : "float32")
          + (in.dims() == null ? "" : Arrays.toString(in.dims()).replace("-1", "?")));
    }
    return t;
  }

  private static void exec(Node n, Tensor[] v) {
    int[] in = n.in();
    Tensor x = v[in[0]];
    Tensor y = switch (n.op()) {
      case ADD -> GraphOps.binary(GraphOps.Bin.ADD, x, v[in[1]]);
      case SUB -> GraphOps.binary(GraphOps.Bin.SUB, x, v[in[1]]);
      case MUL -> GraphOps.binary(GraphOps.Bin.MUL, x, v[in[1]]);
      case DIV -> GraphOps.binary(GraphOps.Bin.DIV, x, v[in[1]]);
      case MAX, SUM -> { // variadic: a left fold of the broadcasting binary op is ONNX's multidirectional broadcast
        Tensor acc = x;
        for (int i = 1; i < in.length; i++) {
          acc = GraphOps.binary(n.op() == Op.MAX ? GraphOps.Bin.MAX : GraphOps.Bin.ADD, acc, v[in[i]]);
        }
        yield acc;
      }
      case MATMUL -> GraphOps.matMul(x, v[in[1]]);
      case GATHER -> GraphOps.gather(x, v[in[1]], n.axis());
      case IDENTITY -> x;
      case REDUCE_MEAN -> GraphOps.reduce(GraphOps.Reduce.MEAN, x, n.axes(), n.keepdims(), "ReduceMean");
      case REDUCE_L2 -> GraphOps.reduce(GraphOps.Reduce.L2, x, n.axes(), n.keepdims(), "ReduceL2");
      case REDUCE_SUM -> {
        long[] axes = optional(v, in, 1);
        yield (axes == null || axes.length == 0) && n.noopWithEmptyAxes()
            ? x : GraphOps.reduce(GraphOps.Reduce.SUM, x, axes, n.keepdims(), "ReduceSum");
      }
      case RELU -> GraphOps.unary(GraphOps.Unary.RELU, x);
      case SIGMOID -> GraphOps.unary(GraphOps.Unary.SIGMOID, x);
      case SOFTPLUS -> GraphOps.unary(GraphOps.Unary.SOFTPLUS, x);
      case SLICE -> GraphOps.slice(x, v[in[1]].longs(), v[in[2]].longs(), optional(v, in, 3), optional(v, in, 4));
      case TOPK -> {
        long[] k = v[in[1]].longs();
        if (k.length != 1) {
          throw new ClassifierException("K must have one element, has " + k.length);
        }
        Tensor[] r = GraphOps.topK(x, k[0], n.axis(), n.largest());
        if (n.out()[1] >= 0) v[n.out()[1]] = r[1];
        yield r[0];
      }
    };
    if (n.out()[0] >= 0) v[n.out()[0]] = y;
  }

  private static long[] optional(Tensor[] v, int[] in, int i) {
    return in.length > i && in[i] >= 0 ? v[in[i]].longs() : null;
  }

  // ---------------------------------------------------------------- parsing

  /** Reads a serialised ModelProto; throws {@link ClassifierException} for anything it cannot evaluate. */
  public static JavaGraph parse(byte[] onnxModelBytes) {
    try {
      return new JavaGraphReader().parse(onnxModelBytes);
    } catch (IllegalArgumentException | ArithmeticException | IndexOutOfBoundsException e) {
      throw new ClassifierException("not a readable ONNX model: " + e.getMessage(), e);
    }
  }

}
