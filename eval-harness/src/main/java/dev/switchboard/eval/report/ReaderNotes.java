package dev.switchboard.eval.report;

import dev.switchboard.eval.run.EvalResult;
import dev.switchboard.eval.run.EvalTable;
import dev.switchboard.eval.run.OperatingPoint;
import dev.switchboard.eval.run.PolicyRun;
import dev.switchboard.eval.run.Scored;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/**
 * What a person reading the report wants besides the metrics: what "quality" means here, example prompts the router
 * sent to each model, the money at a traffic volume they choose, and how long choosing takes.
 *
 * @param qualityDefinition the dataset card's definition of quality, or null when the dataset has no card
 * @param examples prompts per chosen model at the router's reported setting (lowest and highest difficulty)
 * @param monthlyRequests the traffic the monthly projection is for ({@code switchboard eval --monthly-requests})
 * @param latency the classifier's scoring time, or null when not measured
 */
public record ReaderNotes(String qualityDefinition, List<Example> examples, long monthlyRequests, Latency latency) {
  /** Requests a month the projection uses unless told otherwise. */
  public static final long DEFAULT_MONTHLY_REQUESTS = 1_000_000;
  static final int EXAMPLES_PER_MODEL = 2;
  static final int PROMPT_CHARS = 220;

  /**
   * One routed prompt.
   *
   * @param why plain words: which rule chose the model at the router's threshold
   * @param quality the chosen answer's quality in the dataset
   */
  public record Example(String model, String prompt, double difficulty, double predictedQuality, double threshold, String why,
      double costUsd, double quality) {}

  /**
   * The classifier's time to score one prompt, measured one prompt at a time after a warm-up.
   *
   * @param prompts how many prompts were timed
   * @param cpu the CPU model, for context
   */
  public record Latency(int prompts, double p50Ms, double p99Ms, String cpu) {}

  /** Without examples, card or latency: what tests and library callers get by default. */
  public static ReaderNotes none() {
    return new ReaderNotes(null, List.of(), DEFAULT_MONTHLY_REQUESTS, null);
  }

  /**
   * Builds the notes of an evaluation.
   *
   * @param dataset the evaluated Parquet file (its card is read from beside it)
   * @param latency the measured scoring time, or null
   */
  public static ReaderNotes of(EvalResult r, EvalTable t, Scored s, Path dataset, long monthlyRequests, Latency latency) {
    PolicyRun router = r.runs().stream().filter(run -> run.id().equals("router")).findFirst().orElseThrow();
    OperatingPoint op = router.points().get(r.metrics().get("router").operatingPoint());
    List<Example> examples = new ArrayList<>();
    for (int c = 0; c < t.models(); c++) {
      List<Integer> mine = new ArrayList<>();
      for (int p = 0; p < t.size(); p++) if (op.chosen()[p] == c && text(t, p) != null) mine.add(p);
      if (mine.isEmpty()) continue;
      mine.sort(Comparator.comparingDouble(p -> s.difficulty[p]));
      List<Integer> picks = mine.size() == 1 ? List.of(mine.get(0)) : List.of(mine.get(0), mine.get(mine.size() - 1));
      for (int p : picks.subList(0, Math.min(EXAMPLES_PER_MODEL, picks.size()))) {
        double predicted = s.predicted[p][c];
        String why = predicted >= op.threshold()
            ? "cheapest with predicted quality \u2265 t"
            : "none predicted \u2265 t: the highest predicted";
        examples.add(new Example(t.candidates.get(c), excerpt(text(t, p)), s.difficulty[p], predicted, op.threshold(), why,
            t.cost[p][c], t.quality[p][c]));
      }
    }
    return new ReaderNotes(DatasetCard.qualityDefinition(dataset), List.copyOf(examples), monthlyRequests, latency);
  }

  private static String text(EvalTable t, int p) {
    if (t.prompt[p] != null && !t.prompt[p].isBlank()) return t.prompt[p];
    return null;
  }

  static String excerpt(String text) {
    String one = text.strip().replaceAll("\\s+", " ");
    return one.length() <= PROMPT_CHARS ? one : one.substring(0, PROMPT_CHARS) + "\u2026";
  }

  /** Cost per request of a policy at its reported setting. */
  static double perRequest(EvalResult.PolicyMetrics pm) {
    return pm.costPer1k() / 1000;
  }
}
