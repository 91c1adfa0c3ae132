package dev.switchboard.classifier.heads;

import dev.switchboard.classifier.onnx.OnnxGraphBuilder;
import dev.switchboard.classifier.onnx.RouterGraph;
import java.util.List;
import java.util.Map;

/**
 * Writes {@link HeadsModel} as an ONNX graph:
 * {@code features[N,D] -> Sub(mean) -> Div(std) [-> MatMul(W1) -> Add(b1) -> Relu]} then two
 * branches {@code MatMul -> Add -> Sigmoid} giving {@code difficulty[N,1]} and
 * {@code quality[N,K]}. Standardisation lives in the graph so no caller can forget it.
 *
 * <p>Why our own file rather than one graph with the encoder: the encoder comes from a jar
 * (weights never committed, ~23 MB), the heads are ~100 KB and retrained often; the card binds
 * them by the encoder's hash.
 */
public final class HeadsOnnx {


  private HeadsOnnx() {}

  public static byte[] export(HeadsModel m, Map<String, String> metadata) {
    OnnxGraphBuilder g = new OnnxGraphBuilder("switchboard_heads");
    g.input(RouterGraph.INPUT, new long[] {-1, m.inputDim()}, "N");
    Tensors t = addTo(g, m, RouterGraph.INPUT, "h_");
    g.node("Identity", List.of(t.difficulty()), RouterGraph.DIFFICULTY);
    g.node("Identity", List.of(t.quality()), RouterGraph.QUALITY);
    g.output(RouterGraph.DIFFICULTY, new long[] {-1, 1}, "N");
    g.output(RouterGraph.QUALITY, new long[] {-1, m.outputs() - 1}, "N");
    metadata.forEach(g::metadata);
    return g.toBytes("switchboard", "0.1.0");
  }

  /** Names of the two outputs {@link #addTo} computes. */
  public record Tensors(String difficulty, String quality) {}

  /**
   * Adds the heads to {@code g}, reading {@code features [N, D]}; tensor names start with
   * {@code prefix}.
   */
  public static Tensors addTo(OnnxGraphBuilder g, HeadsModel m, String features, String prefix) {
    int d = m.inputDim();
    int h = m.lastWidth();
    int k = m.outputs() - 1;
    if (k < 1) {
      throw new IllegalArgumentException("need at least one quality output");
    }
    g.initializer(prefix + "mean", new long[] {d}, m.mean());
    g.initializer(prefix + "std", new long[] {d}, m.std());
    g.node("Sub", List.of(features, prefix + "mean"), prefix + "centered");
    g.node("Div", List.of(prefix + "centered", prefix + "std"), prefix + "z");
    String last = prefix + "z";
    if (m.hidden() > 0) {
      g.initializer(prefix + "W1", new long[] {d, h}, m.w1());
      g.initializer(prefix + "b1", new long[] {h}, m.b1());
      g.node("MatMul", List.of(last, prefix + "W1"), prefix + "h_mm");
      g.node("Add", List.of(prefix + "h_mm", prefix + "b1"), prefix + "h_pre");
      g.node("Relu", List.of(prefix + "h_pre"), prefix + "h");
      last = prefix + "h";
    }
    float[] wd = new float[h];
    float[] wq = new float[h * k];
    for (int j = 0; j < h; j++) {
      wd[j] = m.w2()[j * m.outputs()];
      System.arraycopy(m.w2(), j * m.outputs() + 1, wq, j * k, k);
    }
    float[] bq = new float[k];
    System.arraycopy(m.b2(), 1, bq, 0, k);
    g.initializer(prefix + "Wd", new long[] {h, 1}, wd);
    g.initializer(prefix + "bd", new long[] {1}, new float[] {m.b2()[0]});
    g.initializer(prefix + "Wq", new long[] {h, k}, wq);
    g.initializer(prefix + "bq", new long[] {k}, bq);
    g.node("MatMul", List.of(last, prefix + "Wd"), prefix + "d_mm");
    g.node("Add", List.of(prefix + "d_mm", prefix + "bd"), prefix + "d_logit");
    g.node("Sigmoid", List.of(prefix + "d_logit"), prefix + "difficulty");
    g.node("MatMul", List.of(last, prefix + "Wq"), prefix + "q_mm");
    g.node("Add", List.of(prefix + "q_mm", prefix + "bq"), prefix + "q_logit");
    g.node("Sigmoid", List.of(prefix + "q_logit"), prefix + "quality");
    return new Tensors(prefix + "difficulty", prefix + "quality");
  }
}
