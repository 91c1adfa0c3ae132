package dev.switchboard.dataset;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/**
 * Summary statistics of a routing dataset at a quality threshold ("adequate" = quality >=
 * threshold).
 *
 * @param perModel one entry per model, cheapest mean cost first
 * @param promptsWithAdequateModel prompts where at least one model is adequate
 */
public record DatasetStats(
    int prompts, int models, int rows, double threshold, List<ModelStats> perModel, int promptsWithAdequateModel,
    double totalCostUsd) {

  /**
   * @param prompts prompts this model has a row for
   * @param meanQuality mean quality over those prompts
   * @param adequateRate share of those prompts with quality >= threshold
   * @param meanCostUsd mean cost per prompt
   * @param totalCostUsd cost of answering all of them
   */
  public record ModelStats(
      String model, int prompts, double meanQuality, double adequateRate, double meanCostUsd, double totalCostUsd) {}

  public static DatasetStats of(RoutingDataset ds, double threshold) {
    List<ModelStats> per = new ArrayList<>();
    for (String m : ds.models()) {
      int n = 0;
      int adequate = 0;
      double q = 0;
      double c = 0;
      for (RoutingDataset.Prompt p : ds.prompts()) {
        RoutingRow r = p.byModel().get(m);
        if (r != null) {
          n++;
          q += r.quality();
          c += r.costUsd();
          adequate += r.quality() >= threshold ? 1 : 0;
        }
      }
      per.add(new ModelStats(m, n, q / n, adequate / (double) n, c / n, c));
    }
    per.sort(Comparator.comparingDouble(ModelStats::meanCostUsd).thenComparing(ModelStats::model));
    int anyAdequate = 0;
    for (RoutingDataset.Prompt p : ds.prompts()) {
      if (p.byModel().values().stream().anyMatch(r -> r.quality() >= threshold)) {
        anyAdequate++;
      }
    }
    double total = ds.rows().stream().mapToDouble(RoutingRow::costUsd).sum();
    return new DatasetStats(ds.prompts().size(), ds.models().size(), ds.rows().size(), threshold, List.copyOf(per),
        anyAdequate, total);
  }
}
