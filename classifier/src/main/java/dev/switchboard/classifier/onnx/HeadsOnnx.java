package dev.switchboard.classifier.onnx;

import dev.switchboard.classifier.heads.HeadsModel;
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

  public static final String INPUT = "features";
  public static final String DIFFICULTY = "difficulty";
  public static final String QUALITY = "quality";

  private HeadsOnnx() {}

  public static byte[] export(HeadsModel m, Map<String, String> metadata) {
    int d = m.inputDim();
    int h = m.lastWidth();
    int k = m.outputs() - 1;
    if (k < 1) {
      throw new IllegalArgumentException("need at least one quality output");
    }
    OnnxGraphBuilder g = new OnnxGraphBuilder("switchboard_heads");
    g.input(INPUT, new long[] {-1, d}, "N");
    g.initializer("mean", new long[] {d}, m.mean());
    g.initializer("std", new long[] {d}, m.std());
    g.node("Sub", List.of(INPUT, "mean"), "centered");
    g.node("Div", List.of("centered", "std"), "z");
    String last = "z";
    if (m.hidden() > 0) {
      g.initializer("W1", new long[] {d, h}, m.w1());
      g.initializer("b1", new long[] {h}, m.b1());
      g.node("MatMul", List.of("z", "W1"), "h_mm");
      g.node("Add", List.of("h_mm", "b1"), "h_pre");
      g.node("Relu", List.of("h_pre"), "h");
      last = "h";
    }
    float[] wd = new float[h];
    float[] wq = new float[h * k];
    for (int j = 0; j < h; j++) {
      wd[j] = m.w2()[j * m.outputs()];
      System.arraycopy(m.w2(), j * m.outputs() + 1, wq, j * k, k);
    }
    float[] bq = new float[k];
    System.arraycopy(m.b2(), 1, bq, 0, k);
    g.initializer("Wd", new long[] {h, 1}, wd);
    g.initializer("bd", new long[] {1}, new float[] {m.b2()[0]});
    g.initializer("Wq", new long[] {h, k}, wq);
    g.initializer("bq", new long[] {k}, bq);
    g.node("MatMul", List.of(last, "Wd"), "d_mm");
    g.node("Add", List.of("d_mm", "bd"), "d_logit");
    g.node("Sigmoid", List.of("d_logit"), DIFFICULTY);
    g.node("MatMul", List.of(last, "Wq"), "q_mm");
    g.node("Add", List.of("q_mm", "bq"), "q_logit");
    g.node("Sigmoid", List.of("q_logit"), QUALITY);
    g.output(DIFFICULTY, new long[] {-1, 1}, "N");
    g.output(QUALITY, new long[] {-1, k}, "N");
    metadata.forEach(g::metadata);
    return g.toBytes("switchboard", "0.1.0");
  }
}
