package dev.switchboard.classifier.train;

import dev.switchboard.classifier.base.ClassifierException;
import dev.switchboard.classifier.base.ScoringInput;
import dev.switchboard.dataset.RoutingRow;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeSet;

/**
 * Routing rows (one per prompt x model) regrouped into one {@link PromptExample} per prompt for
 * the chosen candidates, ordered cheapest first by their mean cost per prompt in the dataset.
 *
 * @param candidates cheapest first
 * @param meanCost mean cost_usd per prompt of each candidate (same order)
 * @param examples prompts that have a row for every candidate
 * @param skippedPrompts prompts lacking a row for some candidate
 * @param extraModels the other models of the data, as {@code model@source}: their outcomes teach the
 *     IRT head how hard prompts are (a model's ability is per source, since sources grade differently)
 * @param auxiliary prompts lacking some candidate but graded for some other model (their candidate
 *     qualities are NaN): the IRT head's extra data
 */
public record TrainingSet(List<String> candidates, double[] meanCost, List<PromptExample> examples, int skippedPrompts,
                          List<String> extraModels, List<PromptExample> auxiliary) {

  /** At most this many models are used when no candidates are named. */
  public static final int MAX_IMPLICIT_CANDIDATES = 8;

  public static TrainingSet build(List<RoutingRow> rows, List<String> requested, String datasetName) {
    if (rows.isEmpty()) {
      throw new ClassifierException("dataset " + datasetName + " has no rows");
    }
    Map<String, double[]> costSums = new LinkedHashMap<>(); // model -> {sum, n}
    for (RoutingRow r : rows) {
      double[] s = costSums.computeIfAbsent(r.model(), m -> new double[2]);
      s[0] += Double.isFinite(r.costUsd()) ? r.costUsd() : 0;
      s[1]++;
    }
    List<String> cands;
    if (requested == null || requested.isEmpty()) {
      if (costSums.size() > MAX_IMPLICIT_CANDIDATES) {
        throw new ClassifierException("dataset " + datasetName + " has " + costSums.size()
            + " models; pick candidates with --candidates (models: " + new TreeSet<>(costSums.keySet()) + ")");
      }
      cands = new ArrayList<>(costSums.keySet());
    } else {
      cands = new ArrayList<>();
      for (String c : requested) {
        if (!costSums.containsKey(c)) {
          throw new ClassifierException("candidate '" + c + "' is not in dataset " + datasetName
              + " (models: " + new TreeSet<>(costSums.keySet()) + ")");
        }
        if (cands.contains(c)) {
          throw new ClassifierException("candidate '" + c + "' is listed twice");
        }
        cands.add(c);
      }
    }
    if (cands.size() < 2) {
      throw new ClassifierException("need at least 2 candidates (a cheap one and a strong one), got " + cands);
    }
    // Stable sort: equal (e.g. unpriced) models keep the order they were given in.
    cands.sort(Comparator.comparingDouble(c -> costSums.get(c)[0] / costSums.get(c)[1]));
    double[] meanCost = new double[cands.size()];
    Map<String, Integer> index = new HashMap<>();
    for (int i = 0; i < cands.size(); i++) {
      index.put(cands.get(i), i);
      meanCost[i] = costSums.get(cands.get(i))[0] / costSums.get(cands.get(i))[1];
    }

    Map<String, RoutingRow[]> byPrompt = new LinkedHashMap<>();
    Map<String, RoutingRow> firstRow = new HashMap<>();
    Map<String, Integer> extraIndex = new LinkedHashMap<>();
    Map<String, Map<Integer, Double>> extras = new HashMap<>();
    for (RoutingRow r : rows) {
      Integer i = index.get(r.model());
      RoutingRow[] slot = byPrompt.computeIfAbsent(r.promptId(), id -> new RoutingRow[cands.size()]);
      firstRow.putIfAbsent(r.promptId(), r);
      if (i != null) {
        slot[i] = r;
      } else if (Double.isFinite(r.quality())) {
        String key = r.model() + "@" + (r.source() == null ? "" : r.source());
        int e = extraIndex.computeIfAbsent(key, k -> extraIndex.size());
        extras.computeIfAbsent(r.promptId(), k -> new HashMap<>()).put(e, Math.min(1, Math.max(0, r.quality())));
      }
    }
    List<PromptExample> examples = new ArrayList<>();
    List<PromptExample> auxiliary = new ArrayList<>();
    int skipped = 0;
    for (Map.Entry<String, RoutingRow[]> e : byPrompt.entrySet()) {
      RoutingRow[] slot = e.getValue();
      boolean complete = true;
      for (RoutingRow r : slot) {
        complete &= r != null && Double.isFinite(r.quality());
      }
      RoutingRow first = firstRow.get(e.getKey());
      double[] extra = new double[extraIndex.size()];
      java.util.Arrays.fill(extra, Double.NaN);
      extras.getOrDefault(e.getKey(), Map.of()).forEach((i, v) -> extra[i] = v);
      ScoringInput input = first.messagesJson() != null && !first.messagesJson().isBlank()
          ? ScoringInput.ofMessages(first.messagesJson(), first.category())
          : ScoringInput.ofText(first.prompt() == null ? "" : first.prompt(), first.category());
      double[] q = new double[slot.length];
      double[] cost = new double[slot.length];
      if (!complete) {
        skipped++;
        if (extras.containsKey(e.getKey())) {
          java.util.Arrays.fill(q, Double.NaN);
          java.util.Arrays.fill(cost, Double.NaN);
          auxiliary.add(new PromptExample(e.getKey(), normaliseSplit(first.split()), input, q, cost, extra));
        }
        continue;
      }
      for (int i = 0; i < slot.length; i++) {
        q[i] = Math.min(1, Math.max(0, slot[i].quality()));
        cost[i] = slot[i].costUsd();
      }
      examples.add(new PromptExample(e.getKey(), normaliseSplit(first.split()), input, q, cost, extra));
    }
    return new TrainingSet(List.copyOf(cands), meanCost, List.copyOf(examples), skipped,
        List.copyOf(extraIndex.keySet()), List.copyOf(auxiliary));
  }

  /** {@code val}/{@code dev}/{@code valid} are read as {@code validation}. */
  static String normaliseSplit(String split) {
    if (split == null) {
      return "";
    }
    String s = split.trim().toLowerCase(Locale.ROOT);
    return switch (s) {
      case "val", "valid", "dev" -> "validation";
      default -> s;
    };
  }

  public List<PromptExample> split(String name) {
    return examples.stream().filter(e -> e.split().equals(name)).toList();
  }
}
