package dev.switchboard.classifier.learn;

import dev.switchboard.classifier.onnx.OnnxGraphBuilder;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A convex blend of members' probabilities, {@code sum_m w_m * P_m}. The weights come from
 * {@link RouterTrainer} (fitted on out-of-fold predictions); members with weight 0 are left out.
 *
 * @param members the blended learners
 * @param weights one per member, non-negative, summing to 1
 */
public record Stack(List<Learner> members, double[] weights) implements Learner {

  public Stack {
    members = List.copyOf(members);
    weights = weights.clone();
    if (members.size() != weights.length || members.isEmpty()) {
      throw new IllegalArgumentException("a stack needs one weight per member");
    }
  }

  @Override
  public Family family() {
    return Family.STACK;
  }

  @Override
  public String name() {
    StringBuilder s = new StringBuilder("stack(");
    for (int i = 0; i < weights.length; i++) {
      if (weights[i] > 0) {
        s.append(s.length() > 6 ? " + " : "").append(Fmt.num(Math.round(weights[i] * 100) / 100.0)).append(' ')
            .append(members.get(i).name());
      }
    }
    return s.append(')').toString();
  }

  @Override
  public Fitted fit(Data d, long seed) {
    List<Fitted> fitted = new ArrayList<>();
    List<Double> w = new ArrayList<>();
    List<String> names = new ArrayList<>();
    for (int i = 0; i < weights.length; i++) {
      if (weights[i] > 0) {
        fitted.add(members.get(i).fit(d, seed));
        w.add(weights[i]);
        names.add(members.get(i).name());
      }
    }
    return new Blend(fitted, w.stream().mapToDouble(Double::doubleValue).toArray(), names);
  }

  /** Fitted members and their weights. */
  record Blend(List<Fitted> members, double[] weights, List<String> names) implements Fitted {

    @Override
    public double[][] predict(float[][] x) {
      double[][] out = null;
      for (int m = 0; m < members.size(); m++) {
        double[][] p = members.get(m).predict(x);
        if (out == null) {
          out = new double[p.length][p.length == 0 ? 0 : p[0].length];
        }
        for (int i = 0; i < p.length; i++) {
          for (int j = 0; j < p[i].length; j++) {
            out[i][j] += weights[m] * p[i][j];
          }
        }
      }
      return out;
    }

    @Override
    public String export(OnnxGraphBuilder g, String features, String prefix) {
      List<String> parts = new ArrayList<>();
      for (int m = 0; m < members.size(); m++) {
        String p = prefix + "m" + m + "_";
        String q = members.get(m).export(g, features, p);
        g.initializer(p + "w", new long[] {1}, new float[] {(float) weights[m]});
        g.node("Mul", List.of(q, p + "w"), p + "weighted");
        parts.add(p + "weighted");
      }
      g.node("Sum", parts, prefix + "q");
      return prefix + "q";
    }

    @Override
    public Map<String, Object> describe() {
      Map<String, Object> m = new LinkedHashMap<>();
      for (int i = 0; i < members.size(); i++) {
        m.put(names.get(i), weights[i]);
      }
      return m;
    }
  }
}
