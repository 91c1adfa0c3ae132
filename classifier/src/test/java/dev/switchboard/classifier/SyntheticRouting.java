package dev.switchboard.classifier;

import dev.switchboard.dataset.RoutingRow;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;

/**
 * A small routing dataset with a real, learnable signal: coding/maths prompts are hard for the
 * cheap models (low quality), chit-chat prompts are easy. Three candidates of rising price.
 */
public final class SyntheticRouting {

  public static final List<String> MODELS = List.of("cheap-a", "cheap-b", "strong");

  private static final String[] EASY_TOPICS = {"your favourite colour", "a nice weekend plan", "the weather today",
      "a good name for a cat", "what to cook tonight", "a fun fact about dolphins", "a greeting for a friend",
      "a short poem about spring", "how to say hello in French", "a movie for a rainy evening"};
  private static final String[] EASY_FRAMES = {"Tell me about %s.", "Can you suggest %s?", "What do you think of %s?",
      "Give me ideas for %s please.", "I'd love to hear about %s."};
  private static final String[] HARD_TOPICS = {"a red-black tree deletion", "the integral of x^2 * e^x dx",
      "a lock-free queue in C++", "the eigenvalues of a 3x3 matrix", "a Dijkstra shortest path with a heap",
      "proving sqrt(2) is irrational", "a regex engine with backtracking", "the Fourier transform of a Gaussian",
      "a B+ tree range scan", "solving 3x + 7 = 2x^2 - 5"};
  private static final String[] HARD_FRAMES = {"Implement %s and analyse its complexity.",
      "Write a rigorous derivation of %s, step by step.", "```\n// implement: %s\n```\nComplete the code above.",
      "Prove and explain %s; compute all intermediate results.", "def solve():\n    # %s\n    pass\nFinish this."};

  private SyntheticRouting() {}

  public static List<RoutingRow> rows(long seed) {
    Random r = new Random(seed);
    List<RoutingRow> rows = new ArrayList<>();
    int id = 0;
    for (int t = 0; t < 10; t++) {
      for (int f = 0; f < 5; f++) {
        for (boolean hard : new boolean[] {false, true}) {
          String prompt = String.format(hard ? HARD_FRAMES[f] : EASY_FRAMES[f], hard ? HARD_TOPICS[t] : EASY_TOPICS[t]);
          String split = t < 6 ? "train" : t < 8 ? "validation" : "test";
          String pid = "p" + (id++);
          String category = hard ? "technical" : "chat";
          for (int m = 0; m < MODELS.size(); m++) {
            double base = m == 2 ? 0.85 : hard ? 0.15 : 0.95;
            double q = Math.min(1, Math.max(0, base + r.nextGaussian() * 0.08));
            double cost = new double[] {0.0001, 0.0002, 0.01}[m];
            rows.add(new RoutingRow(pid, prompt, null, category, split, MODELS.get(m), q, 20, 200, cost, "synthetic"));
          }
        }
      }
    }
    return rows;
  }
}
