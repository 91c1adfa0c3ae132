package dev.switchboard.eval.run;

import java.util.Arrays;
import java.util.List;

/**
 * How long the classifier takes to score one prompt, as the gateway does it (one prompt per call), for the report's
 * latency figures. Measured on the evaluated prompts after a warm-up, bypassing the score cache.
 *
 * @param prompts prompts timed
 * @param p50Ms median milliseconds per prompt
 * @param p99Ms 99th percentile (nearest rank)
 */
public record ScoringLatency(int prompts, double p50Ms, double p99Ms) {
  static final int WARMUP = 5;

  /** Times up to {@code max} prompts of {@code t}, evenly spread over the table. */
  static ScoringLatency measure(EvalTable t, PromptScorer scorer, int max) {
    int n = Math.min(max, t.size());
    if (n == 0) return null;
    long[] nanos = new long[n];
    for (int w = 0; w < Math.min(WARMUP, t.size()); w++) scorer.scoreBatch(List.of(Scored.input(t, w)));
    for (int i = 0; i < n; i++) {
      PromptScorer.PromptInput in = Scored.input(t, (int) ((long) i * t.size() / n));
      long t0 = System.nanoTime();
      scorer.scoreBatch(List.of(in));
      nanos[i] = System.nanoTime() - t0;
    }
    Arrays.sort(nanos);
    return new ScoringLatency(n, nanos[(int) Math.ceil(0.5 * n) - 1] / 1e6, nanos[(int) Math.ceil(0.99 * n) - 1] / 1e6);
  }

  /** The CPU model from /proc/cpuinfo (Linux), else the architecture, for context beside the timing. */
  public static String cpuModel() {
    try {
      for (String line : java.nio.file.Files.readAllLines(java.nio.file.Path.of("/proc/cpuinfo"))) {
        if (line.startsWith("model name")) return line.substring(line.indexOf(':') + 1).strip();
      }
    } catch (java.io.IOException | RuntimeException e) {
      // not Linux: fall through
    }
    return System.getProperty("os.arch");
  }
}
