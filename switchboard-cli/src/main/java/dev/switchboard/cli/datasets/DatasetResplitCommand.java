package dev.switchboard.cli.datasets;

import dev.switchboard.dataset.RoutingDataset;
import dev.switchboard.dataset.RoutingRow;
import dev.switchboard.dataset.importer.SplitAssigner;
import dev.switchboard.dataset.parquet.ParquetFiles.ParquetFileException;
import dev.switchboard.dataset.parquet.RoutingDatasets;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code switchboard dataset resplit}: the same rows with a fresh train/validation/test assignment
 * per prompt (the importer's seeded hash), to repeat an evaluation over several split seeds: small
 * test sets are noisy, and one split cannot rank methods.
 */
@Command(
    name = "resplit",
    header = "Write a routing dataset with a new seeded train/validation/test split (for split-seed studies).",
    mixinStandardHelpOptions = true)
final class DatasetResplitCommand implements Callable<Integer> {

  @Spec CommandSpec spec;

  @Option(names = "--in", required = true, paramLabel = "FILE", description = "Routing dataset (Parquet).")
  Path in;

  @Option(names = "--out", required = true, paramLabel = "FILE", description = "Parquet file to write.")
  Path out;

  @Option(names = "--seed", required = true, description = "Seed of the split hash (the shipped files use 42).")
  long seed;

  @Option(names = "--test-fraction", defaultValue = "0.2", description = "Share of prompts in test (default ${DEFAULT-VALUE}).")
  double testFraction;

  @Option(names = "--validation-fraction", defaultValue = "0.1", description = "Share in validation (default ${DEFAULT-VALUE}).")
  double validationFraction;

  @Override
  public Integer call() {
    PrintWriter o = spec.commandLine().getOut();
    PrintWriter err = spec.commandLine().getErr();
    if (!(testFraction > 0 && validationFraction >= 0 && testFraction + validationFraction < 1)) {
      err.println("error: --test-fraction and --validation-fraction must be positive and sum to less than 1");
      return ExitCodes.BAD_INPUT;
    }
    if (!Files.isRegularFile(in)) {
      err.println("error: dataset " + in + " not found");
      return ExitCodes.BAD_INPUT;
    }
    try {
      List<RoutingRow> rows = RoutingDatasets.read(in);
      List<RoutingRow> outRows = new ArrayList<>(rows.size());
      Set<String> prompts = new HashSet<>();
      int[] counts = new int[3];
      for (RoutingRow r : rows) {
        String split = SplitAssigner.assign(seed, r.promptId(), testFraction, validationFraction);
        if (prompts.add(r.promptId())) {
          counts[split.equals(RoutingDataset.TRAIN) ? 0 : split.equals(RoutingDataset.VALIDATION) ? 1 : 2]++;
        }
        outRows.add(new RoutingRow(r.promptId(), r.prompt(), r.messagesJson(), r.category(), split, r.model(), r.quality(),
            r.inputTokens(), r.outputTokens(), r.costUsd(), r.source()));
      }
      RoutingDatasets.write(out, outRows);
      o.printf("wrote %s: %d rows, %d prompts (train %d, validation %d, test %d) with split seed %d%n", out, outRows.size(),
          prompts.size(), counts[0], counts[1], counts[2], seed);
      o.flush();
      return 0;
    } catch (ParquetFileException e) {
      err.println("error: " + e.getMessage());
      return ExitCodes.BAD_INPUT;
    }
  }
}
