package dev.switchboard.classifier.onnx;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Load-time surgery on the MiniLM encoder graph. The encoder only ever runs one prompt per call,
 * unpadded (see MiniLmEncoder), so its attention mask is all ones and the additive mask each
 * layer adds to its attention scores is {@code (1 - 1) * -big = -0.0} everywhere: adding it
 * changes no bit of any score, yet on a [1, 12, 256, 256] score tensor it costs ~0.25 ms per
 * layer (1.5 ms of ~18 at 256 tokens, bench/classifier-ops.sh). Replacing those Adds by Identity
 * (which ONNX Runtime then removes) gives bit-identical embeddings, faster.
 *
 * <p>Works on the serialised ModelProto with a minimal protobuf reader; every field it does not
 * change is copied byte for byte.
 */
public final class EncoderGraphs {

  /** ModelProto.graph, GraphProto.node / input, NodeProto.input / output / op_type, ValueInfoProto.name. */
  private static final int MODEL_GRAPH = 7, GRAPH_NODE = 1, GRAPH_INPUT = 11;
  private static final int NODE_INPUT = 1, NODE_OUTPUT = 2, NODE_OP_TYPE = 4, NODE_ATTRIBUTE = 5, VALUE_NAME = 1;

  private EncoderGraphs() {}

  /** The result: the rewritten model and how many mask additions it no longer does. */
  public record Rewrite(byte[] model, int removedMaskAdds) {}

  /**
   * Replaces every {@code Add(x, m)} where {@code m} is computed from graph input {@code maskInput}
   * (and {@code x} is not) by {@code Identity(x)}. Valid only for inputs whose mask is all ones.
   * A graph without such Adds comes back unchanged.
   */
  public static Rewrite withoutPaddingMask(byte[] model, String maskInput) {
    List<ProtoFields.Field> top = ProtoFields.parse(model);
    ProtoFields.Field graphField = top.stream().filter(f -> f.number() == MODEL_GRAPH).findFirst()
        .orElseThrow(() -> new IllegalArgumentException("not an ONNX model: no graph"));
    List<ProtoFields.Field> graph = graphField.message();
    boolean hasInput = graph.stream().filter(f -> f.number() == GRAPH_INPUT)
        .anyMatch(f -> maskInput.equals(firstString(f.message(), VALUE_NAME)));
    if (!hasInput) {
      return new Rewrite(model, 0);
    }
    List<Node> nodes = new ArrayList<>();
    for (ProtoFields.Field f : graph) {
      if (f.number() == GRAPH_NODE) nodes.add(Node.of(f.message()));
    }
    Map<String, List<String>> consumers = new HashMap<>();
    for (Node n : nodes) {
      for (String in : n.inputs) consumers.computeIfAbsent(in, k -> new ArrayList<>()).add(n.opType);
    }
    // Tensors computed from the mask: nodes are topologically sorted in a valid ONNX graph.
    Set<String> fromMask = new HashSet<>(Set.of(maskInput));
    Map<Node, Boolean> isMaskAdd = new HashMap<>();
    for (Node n : nodes) {
      long maskInputs = n.inputs.stream().filter(fromMask::contains).count();
      // The additive mask on attention scores: feeds nothing but the Softmax.
      if (n.opType.equals("Add") && n.inputs.size() == 2 && maskInputs == 1 && n.attributes == 0 && n.outputs.size() == 1
          && List.of("Softmax").equals(consumers.get(n.outputs.get(0)))) {
        isMaskAdd.put(n, true); // its output is the scores, no longer mask-derived once it is an Identity
      } else if (maskInputs > 0) {
        fromMask.addAll(n.outputs);
      }
    }
    if (isMaskAdd.isEmpty()) {
      return new Rewrite(model, 0);
    }
    ProtoWriter g = new ProtoWriter(model.length);
    int i = 0;
    for (ProtoFields.Field f : graph) {
      if (f.number() == GRAPH_NODE) {
        Node n = nodes.get(i++);
        if (isMaskAdd.containsKey(n)) {
          g.message(GRAPH_NODE, n.asIdentityOf(n.inputs.stream().filter(x -> !fromMask.contains(x)).findFirst().orElseThrow()));
          continue;
        }
      }
      f.writeTo(g);
    }
    ProtoWriter m = new ProtoWriter(model.length + 16);
    for (ProtoFields.Field f : top) {
      if (f == graphField) m.bytes(MODEL_GRAPH, g.buffer(), g.size());
      else f.writeTo(m);
    }
    return new Rewrite(m.toByteArray(), isMaskAdd.size());
  }

  private static String firstString(List<ProtoFields.Field> fields, int number) {
    for (ProtoFields.Field f : fields) {
      if (f.number() == number) return new String(f.bytes(), StandardCharsets.UTF_8);
    }
    return null;
  }

  /** The parts of a NodeProto the rewrite looks at, plus its fields to re-emit. */
  private static final class Node {
    final List<ProtoFields.Field> fields;
    final List<String> inputs = new ArrayList<>();
    final List<String> outputs = new ArrayList<>();
    String opType = "";
    int attributes;

    private Node(List<ProtoFields.Field> fields) {
      this.fields = fields;
    }

    static Node of(List<ProtoFields.Field> fields) {
      Node n = new Node(fields);
      for (ProtoFields.Field f : fields) {
        switch (f.number()) {
          case NODE_INPUT -> n.inputs.add(new String(f.bytes(), StandardCharsets.UTF_8));
          case NODE_OUTPUT -> n.outputs.add(new String(f.bytes(), StandardCharsets.UTF_8));
          case NODE_OP_TYPE -> n.opType = new String(f.bytes(), StandardCharsets.UTF_8);
          case NODE_ATTRIBUTE -> n.attributes++;
          default -> { }
        }
      }
      return n;
    }

    /** The same node (name, outputs, domain, doc) as {@code Identity(input)}. */
    ProtoWriter asIdentityOf(String input) {
      ProtoWriter w = new ProtoWriter();
      boolean inputWritten = false;
      for (ProtoFields.Field f : fields) {
        if (f.number() == NODE_INPUT) {
          if (!inputWritten) w.string(NODE_INPUT, input);
          inputWritten = true;
        } else if (f.number() == NODE_OP_TYPE) {
          w.string(NODE_OP_TYPE, "Identity");
        } else {
          f.writeTo(w);
        }
      }
      return w;
    }
  }
}
