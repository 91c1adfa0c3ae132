package dev.switchboard.cli.datasets;

import dev.switchboard.dataset.ModelPrices;
import dev.switchboard.dataset.RoutingDataset;
import dev.switchboard.dataset.importer.DatasetImportException;
import dev.switchboard.dataset.importer.DatasetImporter;
import dev.switchboard.dataset.importer.ImportOptions;
import dev.switchboard.dataset.parquet.ParquetFiles.ParquetFileException;
import dev.switchboard.dataset.parquet.RoutingDatasets;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code switchboard dataset import}: JSONL score files to a routing dataset Parquet file. */
@Command(
    name = "import",
    header = "Convert JSONL(.gz) score files into a routing dataset Parquet file.",
    description = {
      "Each input line is one (prompt, model) outcome with fields prompt_id, prompt (or messages), model "
          + "(model_id wins when present), quality in [0,1], token counts (input_tokens/output_tokens or "
          + "prompt_tokens_cl100k/response_tokens_cl100k) and a cost (cost_usd/est_cost_usd, or a price to "
          + "compute it from). Splits are assigned per prompt_id from a seeded hash unless a row has a split.",
      "Rows that cannot be used are reported by reason with their line numbers."
    },
    mixinStandardHelpOptions = true,
    sortOptions = false)
final class DatasetImportCommand implements Callable<Integer> {

  @Spec CommandSpec spec;

  @Option(names = "--in", required = true, paramLabel = "FILE", description = "JSONL or JSONL.gz input; repeatable.")
  List<Path> inputs;

  @Option(names = "--out", required = true, paramLabel = "FILE", description = "Parquet file to write, e.g. datasets/mine.parquet.")
  Path out;

  @Option(names = "--prices", paramLabel = "FILE",
      description = "Price file (datasets/models.json layout) for rows without a cost or row prices.")
  Path prices;

  @Option(names = "--test-fraction", defaultValue = "0.2", description = "Share of prompts in test (default ${DEFAULT-VALUE}).")
  double testFraction;

  @Option(names = "--validation-fraction", defaultValue = "0.1", description = "Share of prompts in validation (default ${DEFAULT-VALUE}).")
  double validationFraction;

  @Option(names = "--seed", defaultValue = "42", description = "Seed of the split hash (default ${DEFAULT-VALUE}).")
  long seed;

  @Option(names = "--exclude-models", split = ",", paramLabel = "MODEL",
      description = "Models to leave out (source name or model_id), comma-separated.")
  List<String> excludeModels = List.of();

  @Option(names = "--category-field", paramLabel = "FIELD", description = "JSON field copied into category (default: category).")
  String categoryField;

  @Option(names = "--source", paramLabel = "NAME", description = "Value of the source column (default: the row's source/dataset field, else the file name).")
  String source;

  @Option(names = "--estimate-input-tokens", description = "Estimate missing input token counts (~4 chars per token, 1 per CJK character).")
  boolean estimateInputTokens;

  @Option(names = "--assume-output-tokens", paramLabel = "N", description = "Use N output tokens where a row has no count.")
  Long assumeOutputTokens;

  @Option(names = "--max-examples", defaultValue = "10", paramLabel = "N", description = "Line numbers listed per rejection reason (default ${DEFAULT-VALUE}).")
  int maxExamples;

  @Override
  public Integer call() {
    PrintWriter o = spec.commandLine().getOut();
    PrintWriter err = spec.commandLine().getErr();
    ImportOptions options;
    try {
      ModelPrices table = prices == null ? null : ModelPrices.load(prices);
      options = new ImportOptions(inputs, table, testFraction, validationFraction, seed,
          new LinkedHashSet<>(excludeModels), categoryField, source, estimateInputTokens, assumeOutputTokens,
          maxExamples);
    } catch (IllegalArgumentException e) {
      err.println("error: " + e.getMessage());
      return ExitCodes.BAD_INPUT;
    }
    DatasetImporter.Result result;
    try {
      result = DatasetImporter.importRows(options);
    } catch (DatasetImportException e) {
      err.println("error: " + e.getMessage());
      return ExitCodes.BAD_INPUT;
    }
    o.print(result.report().render());
    if (result.rows().isEmpty()) {
      err.println("error: no usable rows in " + inputs + "; nothing written to " + out);
      return ExitCodes.BAD_INPUT;
    }
    try {
      RoutingDatasets.write(out, result.rows());
    } catch (ParquetFileException e) {
      err.println("error: " + e.getMessage());
      return ExitCodes.FAILURE;
    }
    RoutingDataset ds = RoutingDataset.of(result.rows());
    o.printf("Wrote %s: %d rows, %d prompts, %d models; prompts per split %s%n",
        out, ds.rows().size(), ds.prompts().size(), ds.models().size(), ds.promptsPerSplit());
    o.flush();
    return ExitCodes.OK;
  }
}
