package dev.switchboard.classifier.learn;

import dev.switchboard.classifier.onnx.RouterGraph;
import dev.switchboard.classifier.onnx.OnnxGraphBuilder;
import java.util.List;
import java.util.Map;

/**
 * The served router as one ONNX graph over the feature row: {@code features [N, D]} in;
 * {@code quality [N, K]} (the chosen member's probability that each candidate answers adequately),
 * {@code irt_a [N, 1]} and {@code irt_b [N, 1]} (the IRT head's discrimination and difficulty of
 * the prompt, from which a candidate of any ability is scored: {@code sigmoid(a * (theta - b))})
 * and {@code difficulty [N, 1] = sigmoid(a * (b - mean ability of the candidates on the prompt))}
 * (the probability that a candidate of average ability fails the prompt: the number in
 * {@code x-switchboard-difficulty}; see {@link Irt.Head#difficulty}).
 */
public final class RouterOnnx {


  private RouterOnnx() {}

  public static byte[] export(Fitted router, Irt.Head irt, int width, int candidates, Map<String, String> metadata) {
    OnnxGraphBuilder g = new OnnxGraphBuilder("switchboard_router");
    g.input(RouterGraph.INPUT, new long[] {-1, width}, "N");
    String q = router.export(g, RouterGraph.INPUT, "r_");
    Irt.Head.Tensors t = irt.exportParts(g, RouterGraph.INPUT, "irth_");
    g.node("Sub", List.of(t.b(), t.abilityMean()), "d_diff");
    g.node("Mul", List.of("d_diff", t.a()), "d_logit");
    g.node("Sigmoid", List.of("d_logit"), RouterGraph.DIFFICULTY);
    g.node("Identity", List.of(q), RouterGraph.QUALITY);
    g.node("Identity", List.of(t.a()), RouterGraph.IRT_A);
    g.node("Identity", List.of(t.b()), RouterGraph.IRT_B);
    g.output(RouterGraph.DIFFICULTY, new long[] {-1, 1}, "N");
    g.output(RouterGraph.QUALITY, new long[] {-1, candidates}, "N");
    g.output(RouterGraph.IRT_A, new long[] {-1, 1}, "N");
    g.output(RouterGraph.IRT_B, new long[] {-1, 1}, "N");
    metadata.forEach(g::metadata);
    return g.toBytes("switchboard", "0.1.0");
  }
}
