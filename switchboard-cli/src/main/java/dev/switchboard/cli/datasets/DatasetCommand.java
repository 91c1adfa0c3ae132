package dev.switchboard.cli.datasets;

import dev.switchboard.cli.options.Exit;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

/** {@code switchboard dataset ...}: import and inspect routing datasets. */
@Command(
    name = "dataset",
    header = "Import and inspect routing datasets (Parquet).",
    description = "Convert JSONL score files into the canonical routing dataset, show its statistics, "
        + "or build the recorded-answers file.",
    mixinStandardHelpOptions = true,
    subcommands = {DatasetImportCommand.class, DatasetInfoCommand.class, DatasetImportAnswersCommand.class,
        DatasetResplitCommand.class})
public final class DatasetCommand implements Callable<Integer> {

  @Spec CommandSpec spec;

  @Override
  public Integer call() {
    spec.commandLine().usage(spec.commandLine().getErr());
    return Exit.BAD_INPUT;
  }
}
