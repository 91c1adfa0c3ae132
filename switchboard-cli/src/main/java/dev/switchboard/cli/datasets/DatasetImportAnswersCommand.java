package dev.switchboard.cli.datasets;

import dev.switchboard.dataset.ModelPrices;
import dev.switchboard.dataset.importer.AnswersImporter;
import dev.switchboard.dataset.importer.DatasetImportException;
import dev.switchboard.dataset.parquet.ParquetFiles.ParquetFileException;
import dev.switchboard.dataset.parquet.ParquetRecordedAnswers;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code switchboard dataset import-answers}: response files to the recorded-answers Parquet file. */
@Command(
    name = "import-answers",
    header = "Build the recorded-answers Parquet file from response and score JSONL files.",
    description = "Joins each response (prompt_id, model, response) with its score row for the prompt text, "
        + "token counts and canonical model id (model_id, else model).",
    mixinStandardHelpOptions = true,
    sortOptions = false)
final class DatasetImportAnswersCommand implements Callable<Integer> {

  @Spec CommandSpec spec;

  @Option(names = "--scores", required = true, paramLabel = "FILE", description = "Score JSONL(.gz); repeatable.")
  List<Path> scores;

  @Option(names = "--responses", required = true, paramLabel = "FILE", description = "Response JSONL(.gz); repeatable.")
  List<Path> responses;

  @Option(names = "--out", required = true, paramLabel = "FILE", description = "Parquet file to write.")
  Path out;

  @Option(names = "--exclude-models", split = ",", paramLabel = "MODEL", description = "Models to leave out.")
  List<String> excludeModels = List.of();

  @Option(names = "--prices", paramLabel = "FILE", description = "Price file; a model priced here counts as priced.")
  Path prices;

  @Option(names = "--priced-only", description = "Keep only models with a price (like the routing datasets).")
  boolean pricedOnly;

  @Override
  public Integer call() {
    PrintWriter o = spec.commandLine().getOut();
    PrintWriter err = spec.commandLine().getErr();
    AnswersImporter.Result result;
    try {
      ModelPrices table = prices == null ? null : ModelPrices.load(prices);
      result = AnswersImporter.run(new AnswersImporter.Options(scores, responses, new LinkedHashSet<>(excludeModels),
          table, pricedOnly, 10));
    } catch (DatasetImportException | IllegalArgumentException e) {
      err.println("error: " + e.getMessage());
      return ExitCodes.BAD_INPUT;
    }
    o.print(result.render());
    if (result.rows().isEmpty()) {
      err.println("error: no usable responses; nothing written to " + out);
      return ExitCodes.BAD_INPUT;
    }
    try {
      ParquetRecordedAnswers.write(out, result.rows());
    } catch (ParquetFileException e) {
      err.println("error: " + e.getMessage());
      return ExitCodes.FAILURE;
    }
    long models = result.rows().stream().map(r -> r.model()).distinct().count();
    long prompts = result.rows().stream().map(r -> r.promptId()).distinct().count();
    o.printf("Wrote %s: %d answers, %d prompts, %d models%n", out, result.rows().size(), prompts, models);
    o.flush();
    return ExitCodes.OK;
  }
}
