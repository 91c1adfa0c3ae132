package dev.switchboard.eval.run;

import dev.switchboard.dataset.RoutingRow;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * One split of a routing dataset as dense per-prompt, per-candidate arrays, ready for fast sweeps.
 * Prompts are sorted by id (deterministic order); candidates by ascending mean cost per prompt on
 * this split (the "price order" policies use). Only prompts that have a row for every candidate are
 * kept: a routed prompt must be answerable by whichever model is chosen.
 */
public final class EvalTable {
  public final String split;
  public final List<String> candidates;
  public final String[] promptId;
  public final String[] prompt;
  public final String[] messagesJson;
  public final String[] category;
  public final long[] inputTokens;
  /** quality[p][c] in [0,1]. */
  public final double[][] quality;
  /** cost[p][c] in USD. */
  public final double[][] cost;
  public final long[][] outputTokens;
  /** Prompts of the split dropped because some candidate had no row for them. */
  public final int droppedPrompts;
  /** Rows of the split that were read (all models). */
  public final long splitRows;

  private EvalTable(String split, List<String> candidates, int n, int dropped, long splitRows) {
    this.split = split;
    this.candidates = List.copyOf(candidates);
    this.promptId = new String[n];
    this.prompt = new String[n];
    this.messagesJson = new String[n];
    this.category = new String[n];
    this.inputTokens = new long[n];
    this.quality = new double[n][candidates.size()];
    this.cost = new double[n][candidates.size()];
    this.outputTokens = new long[n][candidates.size()];
    this.droppedPrompts = dropped;
    this.splitRows = splitRows;
  }

  public int size() {
    return promptId.length;
  }

  public int models() {
    return candidates.size();
  }

  /**
   * Builds the table.
   *
   * @param datasetName for error messages
   * @param wanted candidate models (any order); all must exist in the split
   */
  public static EvalTable build(List<RoutingRow> rows, String datasetName, String split, List<String> wanted) {
    if (wanted.isEmpty()) {
      throw new EvalException("no candidate models given");
    }
    if (new java.util.HashSet<>(wanted).size() > 64) {
      throw new EvalException("at most 64 candidate models are supported, got " + wanted.size());
    }
    Map<String, Map<String, RoutingRow>> byPrompt = new TreeMap<>();
    TreeSet<String> splits = new TreeSet<>();
    TreeSet<String> models = new TreeSet<>();
    long splitRows = 0;
    for (RoutingRow r : rows) {
      splits.add(r.split());
      if (!split.equals(r.split())) {
        continue;
      }
      splitRows++;
      models.add(r.model());
      byPrompt.computeIfAbsent(r.promptId(), k -> new LinkedHashMap<>()).put(r.model(), r);
    }
    if (splitRows == 0) {
      throw new EvalException(
          "split '" + split + "' of " + datasetName + " is empty (splits present: " + String.join(", ", splits) + ")");
    }
    List<String> missing = wanted.stream().filter(m -> !models.contains(m)).toList();
    if (!missing.isEmpty()) {
      throw new EvalException(
          datasetName + " has no rows for model" + (missing.size() > 1 ? "s " : " ") + String.join(", ", missing)
              + " in split '" + split + "' (models present: " + String.join(", ", models) + ")");
    }
    List<Map<String, RoutingRow>> complete = new ArrayList<>();
    int dropped = 0;
    for (Map<String, RoutingRow> p : byPrompt.values()) {
      if (p.keySet().containsAll(wanted)) {
        complete.add(p);
      } else {
        dropped++;
      }
    }
    if (complete.isEmpty()) {
      throw new EvalException(
          "no prompt of split '" + split + "' in " + datasetName + " has a row for every candidate " + wanted);
    }
    // Order candidates by mean cost per prompt on the kept prompts: the price order of policies.
    Map<String, Double> meanCost = new LinkedHashMap<>();
    for (String m : wanted) {
      double s = 0;
      for (Map<String, RoutingRow> p : complete) {
        s += p.get(m).costUsd();
      }
      meanCost.put(m, s / complete.size());
    }
    List<String> ordered = new ArrayList<>(new java.util.LinkedHashSet<>(wanted));
    ordered.sort(Comparator.comparingDouble((String m) -> meanCost.get(m)).thenComparing(Comparator.naturalOrder()));

    EvalTable t = new EvalTable(split, ordered, complete.size(), dropped, splitRows);
    for (int i = 0; i < complete.size(); i++) {
      Map<String, RoutingRow> p = complete.get(i);
      RoutingRow first = p.get(ordered.get(0));
      t.promptId[i] = first.promptId();
      t.prompt[i] = first.prompt();
      t.messagesJson[i] = first.messagesJson();
      t.category[i] = first.category();
      t.inputTokens[i] = first.inputTokens();
      for (int c = 0; c < ordered.size(); c++) {
        RoutingRow r = p.get(ordered.get(c));
        t.quality[i][c] = r.quality();
        t.cost[i][c] = r.costUsd();
        t.outputTokens[i][c] = r.outputTokens();
      }
    }
    return t;
  }

  /** Mean quality of candidate c over all prompts. */
  public double meanQuality(int c) {
    double s = 0;
    for (double[] q : quality) {
      s += q[c];
    }
    return s / size();
  }

  /** Mean cost per prompt of candidate c. */
  public double meanCost(int c) {
    double s = 0;
    for (double[] k : cost) {
      s += k[c];
    }
    return s / size();
  }

  /** Index of the candidate with the highest mean quality (ties: the cheaper). */
  public int bestModel() {
    int best = 0;
    for (int c = 1; c < models(); c++) {
      if (meanQuality(c) > meanQuality(best)) {
        best = c;
      }
    }
    return best;
  }

  public int indexOf(String model) {
    return candidates.indexOf(model);
  }

  /**
   * Per-candidate prices in USD per 1M tokens {input, output}, fitted by least squares (through
   * the origin) of recorded cost on input and output tokens. The shipped datasets compute cost as
   * exactly this linear form, so the fit recovers the list prices; if the tokens are degenerate
   * (collinear), a single blended per-token price is used for both.
   */
  public double[] fittedPrice(int c) {
    double sii = 0;
    double sio = 0;
    double soo = 0;
    double sci = 0;
    double sco = 0;
    double sc = 0;
    double st = 0;
    for (int p = 0; p < size(); p++) {
      double in = inputTokens[p];
      double out = outputTokens[p][c];
      double k = cost[p][c];
      sii += in * in;
      sio += in * out;
      soo += out * out;
      sci += k * in;
      sco += k * out;
      sc += k;
      st += in + out;
    }
    double det = sii * soo - sio * sio;
    if (det > 1e-9 * Math.max(1, sii * soo)) {
      double a = (sci * soo - sco * sio) / det;
      double b = (sii * sco - sio * sci) / det;
      if (a >= 0 && b >= 0) {
        return new double[] {a * 1e6, b * 1e6};
      }
    }
    double blended = st > 0 ? sc / st * 1e6 : 0;
    return new double[] {blended, blended};
  }

  @Override
  public String toString() {
    return "EvalTable[" + split + ", " + size() + " prompts, " + candidates + ", dropped " + droppedPrompts + "]";
  }

  /** Category label for display (null becomes "(none)"). */
  public String categoryLabel(int p) {
    return category[p] == null || category[p].isBlank() ? "(none)" : category[p];
  }

  static String[] copy(String[] a) {
    return Arrays.copyOf(a, a.length);
  }
}
