package dev.switchboard.dataset.importer;

import java.util.ArrayList;
import java.util.Collections;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * What an import did: rows read, kept, excluded on purpose, and rejected (count per reason plus
 * the first few locations), and where costs and token counts came from.
 *
 * @param linesRead non-blank input lines
 * @param rowsKept rows written to the dataset
 * @param excludedByModel rows dropped by {@code --exclude-models}, per model name as in the source
 * @param rejected per reason, the count and the first locations ({@code file:line: detail})
 * @param provenance counts such as "cost from row", "cost from --prices", "input tokens estimated"
 * @param unpricedModels rows rejected for having neither a cost nor a price, per model
 */
public record ImportReport(
    long linesRead,
    long rowsKept,
    Map<String, Integer> excludedByModel,
    Map<RejectReason, Rejections> rejected,
    Map<String, Integer> provenance,
    Map<String, Integer> unpricedModels) {

  /** @param examples the first locations, each {@code file:line: detail} */
  public record Rejections(int count, List<String> examples) {}

  public long rejectedCount() {
    return rejected.values().stream().mapToLong(Rejections::count).sum();
  }

  public long excludedCount() {
    return excludedByModel.values().stream().mapToLong(Integer::intValue).sum();
  }

  /** Human-readable multi-line summary. */
  public String render() {
    StringBuilder sb = new StringBuilder();
    sb.append(String.format("Read %d rows: kept %d, excluded %d (--exclude-models), rejected %d%n",
        linesRead, rowsKept, excludedCount(), rejectedCount()));
    if (!excludedByModel.isEmpty()) {
      sb.append("Excluded models: ");
      List<String> parts = new ArrayList<>();
      excludedByModel.forEach((m, n) -> parts.add(m + " (" + n + ")"));
      sb.append(String.join(", ", parts)).append(System.lineSeparator());
    }
    if (!provenance.isEmpty()) {
      sb.append("Provenance: ");
      List<String> parts = new ArrayList<>();
      provenance.forEach((k, n) -> parts.add(k + ": " + n));
      sb.append(String.join(", ", parts)).append(System.lineSeparator());
    }
    if (!unpricedModels.isEmpty()) {
      sb.append("Models without a price (rows rejected; add them to --prices to keep them): ");
      List<String> parts = new ArrayList<>();
      unpricedModels.forEach((m, n) -> parts.add(m + " (" + n + ")"));
      sb.append(String.join(", ", parts)).append(System.lineSeparator());
    }
    if (!rejected.isEmpty()) {
      sb.append("Rejected rows by reason:").append(System.lineSeparator());
      rejected.forEach((reason, r) -> {
        sb.append(String.format("  %-20s %7d  %s%n", reason.name(), r.count(), reason.description()));
        for (String ex : r.examples()) {
          sb.append("      ").append(ex).append(System.lineSeparator());
        }
        if (r.count() > r.examples().size()) {
          sb.append(String.format("      ... and %d more%n", r.count() - r.examples().size()));
        }
      });
    }
    return sb.toString();
  }

  /** Mutable accumulator used during one import. */
  static final class Builder {
    private final int maxExamples;
    private long linesRead;
    private long rowsKept;
    private final Map<String, Integer> excluded = new TreeMap<>();
    private final Map<RejectReason, Integer> counts = new EnumMap<>(RejectReason.class);
    private final Map<RejectReason, List<String>> examples = new EnumMap<>(RejectReason.class);
    private final Map<String, Integer> provenance = new LinkedHashMap<>();
    private final Map<String, Integer> unpriced = new TreeMap<>();

    Builder(int maxExamples) {
      this.maxExamples = Math.max(0, maxExamples);
    }

    void lineRead() {
      linesRead++;
    }

    void kept(long n) {
      rowsKept = n;
    }

    void excluded(String model) {
      excluded.merge(model, 1, Integer::sum);
    }

    void note(String what) {
      provenance.merge(what, 1, Integer::sum);
    }

    void unpriced(String model) {
      unpriced.merge(model, 1, Integer::sum);
    }

    void reject(RejectReason reason, String location, String detail) {
      counts.merge(reason, 1, Integer::sum);
      List<String> ex = examples.computeIfAbsent(reason, k -> new ArrayList<>());
      if (ex.size() < maxExamples) {
        ex.add(detail == null || detail.isBlank() ? location : location + ": " + detail);
      }
    }

    ImportReport build() {
      Map<RejectReason, Rejections> rej = new EnumMap<>(RejectReason.class);
      counts.forEach((r, n) -> rej.put(r, new Rejections(n, List.copyOf(examples.getOrDefault(r, List.of())))));
      return new ImportReport(linesRead, rowsKept, Collections.unmodifiableMap(new TreeMap<>(excluded)),
          Collections.unmodifiableMap(rej), Collections.unmodifiableMap(new LinkedHashMap<>(provenance)),
          Collections.unmodifiableMap(new TreeMap<>(unpriced)));
    }
  }
}
