package dev.switchboard.cli.datasets;

import dev.switchboard.dataset.DatasetStats;
import dev.switchboard.dataset.RoutingDataset;
import dev.switchboard.dataset.parquet.ParquetFiles.ParquetFileException;
import dev.switchboard.dataset.parquet.RoutingDatasets;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code switchboard dataset info FILE}: what is in a routing dataset. */
@Command(
    name = "info",
    header = "Show prompts, models, per-model quality and cost, and split sizes of a routing dataset.",
    description = "A model is 'adequate' on a prompt when its quality is at least --threshold.",
    mixinStandardHelpOptions = true)
final class DatasetInfoCommand implements Callable<Integer> {

  @Spec CommandSpec spec;

  @Parameters(index = "0", paramLabel = "FILE", description = "Routing dataset Parquet file.")
  Path file;

  @Option(names = "--threshold", defaultValue = "0.5", description = "Quality threshold for 'adequate' (default ${DEFAULT-VALUE}).")
  double threshold;

  @Override
  public Integer call() {
    PrintWriter o = spec.commandLine().getOut();
    if (!(threshold >= 0 && threshold <= 1)) {
      spec.commandLine().getErr().println("error: --threshold must be in [0,1], got " + threshold);
      return ExitCodes.BAD_INPUT;
    }
    RoutingDataset ds;
    try {
      ds = RoutingDatasets.load(file);
    } catch (ParquetFileException | IllegalArgumentException e) {
      spec.commandLine().getErr().println("error: " + e.getMessage());
      return ExitCodes.BAD_INPUT;
    }
    DatasetStats s = DatasetStats.of(ds, threshold);
    o.printf("%s%n", file);
    o.printf("  prompts %d, models %d, rows %d%n", s.prompts(), s.models(), s.rows());
    o.printf("  split     prompts      rows%n");
    Map<String, Integer> pp = ds.promptsPerSplit();
    Map<String, Integer> rp = ds.rowsPerSplit();
    pp.forEach((split, n) -> o.printf("  %-10s %7d %9d%n", split, n, rp.getOrDefault(split, 0)));
    Map<String, Integer> cats = ds.promptsPerCategory();
    if (!(cats.size() == 1 && cats.containsKey(""))) {
      o.printf("  categories (prompts): %s%n", cats);
    }
    o.printf("  prompts with at least one adequate model (quality >= %.2f): %d (%.1f%%)%n",
        threshold, s.promptsWithAdequateModel(), 100.0 * s.promptsWithAdequateModel() / s.prompts());
    o.println();
    int w = Math.max(5, s.perModel().stream().mapToInt(m -> m.model().length()).max().orElse(5));
    o.printf("  %-" + w + "s %7s %8s %9s %14s %12s%n", "model", "prompts", "mean q", "adequate", "cost/prompt $", "total $");
    for (DatasetStats.ModelStats m : s.perModel()) {
      o.printf("  %-" + w + "s %7d %8.3f %8.1f%% %14.6f %12.4f%n", m.model(), m.prompts(), m.meanQuality(),
          100 * m.adequateRate(), m.meanCostUsd(), m.totalCostUsd());
    }
    o.printf("  %-" + w + "s %7s %8s %9s %14s %12.4f%n", "all", "", "", "", "", s.totalCostUsd());
    o.flush();
    return ExitCodes.OK;
  }
}
