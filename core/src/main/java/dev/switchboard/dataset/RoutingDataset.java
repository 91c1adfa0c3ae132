package dev.switchboard.dataset;

import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalDouble;
import java.util.Set;
import java.util.TreeMap;

/**
 * Immutable in-memory view of a routing dataset: prompts grouped by id (in first-seen order),
 * the models (sorted by name), and quality/cost lookups by (prompt id, model).
 */
public final class RoutingDataset {

  public static final String TRAIN = "train";
  public static final String VALIDATION = "validation";
  public static final String TEST = "test";
  /** The splits of a routing dataset, in order. */
  public static final List<String> SPLITS = List.of(TRAIN, VALIDATION, TEST);

  /**
   * One prompt with every model's row for it.
   *
   * @param byModel model -> row, in the dataset's row order
   */
  public record Prompt(
      String promptId, String prompt, String messagesJson, String category, String split,
      Map<String, RoutingRow> byModel) {

    public OptionalDouble quality(String model) {
      RoutingRow r = byModel.get(model);
      return r == null ? OptionalDouble.empty() : OptionalDouble.of(r.quality());
    }

    public OptionalDouble cost(String model) {
      RoutingRow r = byModel.get(model);
      return r == null ? OptionalDouble.empty() : OptionalDouble.of(r.costUsd());
    }
  }

  private final List<RoutingRow> rows;
  private final List<Prompt> prompts;
  private final Map<String, Prompt> promptsById;
  private final List<String> models;

  private RoutingDataset(List<RoutingRow> rows) {
    this.rows = List.copyOf(rows);
    Map<String, List<RoutingRow>> grouped = new LinkedHashMap<>();
    Set<String> modelSet = new java.util.TreeSet<>();
    for (RoutingRow r : this.rows) {
      grouped.computeIfAbsent(r.promptId(), k -> new ArrayList<>()).add(r);
      modelSet.add(r.model());
    }
    List<Prompt> ps = new ArrayList<>(grouped.size());
    Map<String, Prompt> byId = new HashMap<>();
    for (Map.Entry<String, List<RoutingRow>> e : grouped.entrySet()) {
      RoutingRow first = e.getValue().get(0);
      Map<String, RoutingRow> byModel = new LinkedHashMap<>();
      for (RoutingRow r : e.getValue()) {
        if (byModel.putIfAbsent(r.model(), r) != null) {
          throw new IllegalArgumentException(
              "Duplicate row for prompt_id " + r.promptId() + " and model " + r.model());
        }
      }
      Prompt p = new Prompt(first.promptId(), first.prompt(), first.messagesJson(), first.category(),
          first.split(), Collections.unmodifiableMap(byModel));
      ps.add(p);
      byId.put(p.promptId(), p);
    }
    this.prompts = List.copyOf(ps);
    this.promptsById = Collections.unmodifiableMap(byId);
    this.models = List.copyOf(modelSet);
  }

  /**
   * Builds the view.
   *
   * @throws IllegalArgumentException if two rows share (prompt id, model)
   */
  public static RoutingDataset of(List<RoutingRow> rows) {
    return new RoutingDataset(rows);
  }

  public List<RoutingRow> rows() {
    return rows;
  }

  /** Prompts in first-seen order. */
  public List<Prompt> prompts() {
    return prompts;
  }

  /** Prompts of one split, in first-seen order. */
  public List<Prompt> prompts(String split) {
    return prompts.stream().filter(p -> p.split().equals(split)).toList();
  }

  public Optional<Prompt> prompt(String promptId) {
    return Optional.ofNullable(promptsById.get(promptId));
  }

  /** Every model with at least one row, sorted by name. */
  public List<String> models() {
    return models;
  }

  public Optional<RoutingRow> row(String promptId, String model) {
    Prompt p = promptsById.get(promptId);
    return p == null ? Optional.empty() : Optional.ofNullable(p.byModel().get(model));
  }

  public OptionalDouble quality(String promptId, String model) {
    Prompt p = promptsById.get(promptId);
    return p == null ? OptionalDouble.empty() : p.quality(model);
  }

  public OptionalDouble cost(String promptId, String model) {
    Prompt p = promptsById.get(promptId);
    return p == null ? OptionalDouble.empty() : p.cost(model);
  }

  /** Row count per split (train, validation, test first, then any other label), zeros included. */
  public Map<String, Integer> rowsPerSplit() {
    Map<String, Integer> counts = emptySplitCounts();
    rows.forEach(r -> counts.merge(r.split(), 1, Integer::sum));
    return Collections.unmodifiableMap(counts);
  }

  /** Prompt count per split, zeros included. */
  public Map<String, Integer> promptsPerSplit() {
    Map<String, Integer> counts = emptySplitCounts();
    prompts.forEach(p -> counts.merge(p.split(), 1, Integer::sum));
    return Collections.unmodifiableMap(counts);
  }

  /** The rows of one split only. */
  public RoutingDataset split(String split) {
    return of(rows.stream().filter(r -> r.split().equals(split)).toList());
  }

  /** The rows of the given models only. */
  public RoutingDataset withModels(Collection<String> keep) {
    Set<String> k = new LinkedHashSet<>(keep);
    return of(rows.stream().filter(r -> k.contains(r.model())).toList());
  }

  /**
   * Dense quality matrix [prompt][model] in {@link #prompts()} order and the given model order;
   * NaN where a model has no row for a prompt.
   */
  public double[][] qualityMatrix(List<String> modelOrder) {
    double[][] m = new double[prompts.size()][modelOrder.size()];
    for (int i = 0; i < prompts.size(); i++) {
      Prompt p = prompts.get(i);
      for (int j = 0; j < modelOrder.size(); j++) {
        RoutingRow r = p.byModel().get(modelOrder.get(j));
        m[i][j] = r == null ? Double.NaN : r.quality();
      }
    }
    return m;
  }

  /** Categories with their prompt counts, sorted by name; prompts without one are under "". */
  public Map<String, Integer> promptsPerCategory() {
    Map<String, Integer> counts = new TreeMap<>();
    prompts.forEach(p -> counts.merge(p.category() == null ? "" : p.category(), 1, Integer::sum));
    return Collections.unmodifiableMap(counts);
  }

  private static Map<String, Integer> emptySplitCounts() {
    Map<String, Integer> counts = new LinkedHashMap<>();
    SPLITS.forEach(s -> counts.put(s, 0));
    return counts;
  }
}
