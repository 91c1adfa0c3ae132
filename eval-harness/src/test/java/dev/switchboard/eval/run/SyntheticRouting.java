package dev.switchboard.eval.run;

import dev.switchboard.dataset.RoutingRow;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;

/**
 * A synthetic routing dataset with a known structure: each prompt has a hidden hardness h in
 * [0,1]; model m with skill s_m scores clamp(sigmoid(12 (s_m - h)) + noise). Cheaper models are less
 * skilled. {@link StandInScorer} predicts from the same hidden h with noise, so a router built on
 * it must beat random but not the oracle.
 */
public final class SyntheticRouting {
  public static final List<String> MODELS = List.of("tiny-1b", "mid-8b", "big-70b");
  static final double[] SKILL = {0.35, 0.60, 0.95};
  static final double[] IN_PRICE = {0.1, 0.5, 5.0};
  static final double[] OUT_PRICE = {0.2, 1.5, 15.0};
  static final String[] CATS = {"math", "chat", "code"};

  private SyntheticRouting() {}

  /** Hidden hardness: mostly set by the category (chat easy, code medium, math hard), plus noise. */
  public static double hardness(int prompt, long seed) {
    double base = new double[] {0.8, 0.2, 0.5}[prompt % 3];
    return Math.max(0, Math.min(1, base + (new SplittableRandom(seed * 1_000_003L + prompt).nextDouble() - 0.5) * 0.5));
  }

  static double sigmoid(double x) {
    return 1 / (1 + Math.exp(-x));
  }

  public static List<RoutingRow> rows(int prompts, long seed) {
    List<RoutingRow> out = new ArrayList<>();
    for (int p = 0; p < prompts; p++) {
      SplittableRandom r = new SplittableRandom(seed * 31 + p);
      double h = hardness(p, seed);
      String split = p % 5 < 3 ? "train" : p % 5 == 3 ? "validation" : "test";
      long in = 40 + (long) (h * 400);
      String id = String.format("p%05d", p);
      for (int m = 0; m < MODELS.size(); m++) {
        double q = Math.max(0, Math.min(1, sigmoid((SKILL[m] - h) * 12) + (r.nextDouble() - 0.5) * 0.2));
        long outTok = 80 + r.nextInt(300);
        double cost = (in * IN_PRICE[m] + outTok * OUT_PRICE[m]) / 1e6;
        out.add(new RoutingRow(id, "Prompt number " + p + " about " + CATS[p % 3], null, CATS[p % 3], split,
            MODELS.get(m), q, in, outTok, cost, "synthetic"));
      }
    }
    return out;
  }

  /** A classifier stand-in: noisy view of the hidden hardness, candidates in reverse order. */
  public static class StandInScorer implements PromptScorer {
    private final long seed;
    private final double noise;

    public StandInScorer(long seed, double noise) {
      this.seed = seed;
      this.noise = noise;
    }

    @Override
    public String location() {
      return "stand-in";
    }

    @Override
    public String sha256() {
      return "0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef";
    }

    @Override
    public List<String> candidates() {
      return List.of(MODELS.get(2), MODELS.get(1), MODELS.get(0));
    }

    @Override
    public List<PromptScore> scoreBatch(List<PromptInput> batch) {
      List<PromptScore> out = new ArrayList<>();
      for (PromptInput in : batch) {
        int p = Integer.parseInt(in.text().split(" ")[2]);
        double h = hardness(p, seed);
        SplittableRandom r = new SplittableRandom(p * 7919L + 17);
        double hh = h + (r.nextDouble() - 0.5) * noise;
        double[] q = new double[3];
        for (int i = 0; i < 3; i++) {
          int m = 2 - i;
          q[i] = sigmoid((SKILL[m] - hh) * 12);
        }
        // difficulty as the classifier defines it: how much the strongest beats the cheapest
        out.add(new PromptScore(Math.max(0, q[0] - q[2]), q));
      }
      return out;
    }
  }
}
