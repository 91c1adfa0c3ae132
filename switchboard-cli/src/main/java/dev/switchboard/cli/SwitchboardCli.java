package dev.switchboard.cli;

import dev.switchboard.cli.ability.AbilityCommand;
import dev.switchboard.cli.config.ConfigCommand;
import dev.switchboard.cli.datasets.DatasetCommand;
import dev.switchboard.cli.encoders.DistillCommand;
import dev.switchboard.cli.eval.EvalCommand;
import dev.switchboard.cli.governance.KeysCommand;
import dev.switchboard.cli.governance.SpendCommand;
import dev.switchboard.cli.governance.TeamsCommand;
import dev.switchboard.cli.kafka.KafkaCommand;
import dev.switchboard.cli.loop.DemoCommand;
import dev.switchboard.cli.loop.PublishCommand;
import dev.switchboard.cli.loop.ReplayCommand;
import dev.switchboard.cli.loop.RetuneCommand;
import dev.switchboard.cli.options.Exit;
import dev.switchboard.cli.serve.ServeCommand;
import dev.switchboard.cli.serve.UpstreamCommand;
import dev.switchboard.cli.train.TrainCommand;
import dev.switchboard.cli.tune.TuneCommand;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.HelpCommand;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

/** The {@code switchboard} command line: one entry point for the gateway and the eval harness. */
@Command(name = "switchboard",
    mixinStandardHelpOptions = true,
    versionProvider = Version.class,
    header = "Switchboard: a self-hosted, eval-driven LLM gateway.",
    description = {
        "Apps call one OpenAI-compatible endpoint; Switchboard scores each prompt and sends it to the cheapest model",
        "that meets its quality threshold, with fallbacks, and logs every request for offline replay and retuning."},
    subcommands = {ServeCommand.class, ConfigCommand.class, UpstreamCommand.class, KafkaCommand.class, DatasetCommand.class, DistillCommand.class,
        TrainCommand.class, AbilityCommand.class,
        EvalCommand.class, TuneCommand.class, ReplayCommand.class, RetuneCommand.class, PublishCommand.class,
        DemoCommand.class, KeysCommand.class, TeamsCommand.class, SpendCommand.class, HelpCommand.class},
    exitCodeListHeading = "%nExit codes:%n",
    exitCodeList = {"0:success", "1:failure (see the message)", "2:bad input or usage",
        "3:refused by the gateway (keys, teams, spend, publish)"})
public final class SwitchboardCli implements Runnable {
  @Spec CommandSpec spec;

  @Override
  public void run() {
    spec.commandLine().usage(spec.commandLine().getOut());
  }

  /** The command line with our exception handling: user errors print a message, not a stack trace. */
  public static CommandLine commandLine() {
    CommandLine cl = new CommandLine(new SwitchboardCli());
    joinDescriptionLines(cl);
    cl.setExecutionExceptionHandler((ex, cmd, parseResult) -> {
      cmd.getErr().println("error: " + (ex.getMessage() == null ? ex.toString() : ex.getMessage()));
      if (System.getenv("SWITCHBOARD_DEBUG") != null) ex.printStackTrace(cmd.getErr());
      return Exit.FAILED;
    });
    cl.setParameterExceptionHandler((ex, args) -> {
      CommandLine cmd = ex.getCommandLine();
      cmd.getErr().println("error: " + ex.getMessage());
      cmd.getErr().println("Try '" + cmd.getCommandSpec().qualifiedName() + " --help' for more information.");
      return Exit.BAD_INPUT;
    });
    return cl;
  }

  /**
   * Help texts are written as arrays of source-code lines, and picocli breaks the output after each element: mid-sentence
   * on every terminal wider or narrower than the source (issue #17). Elements are joined into paragraphs (a break only
   * after an element that ends a sentence), which picocli then wraps to the terminal's width.
   */
  static void joinDescriptionLines(CommandLine cl) {
    var usage = cl.getCommandSpec().usageMessage();
    usage.description(paragraphs(usage.description()));
    cl.getSubcommands().values().forEach(SwitchboardCli::joinDescriptionLines);
  }

  static String[] paragraphs(String[] lines) {
    java.util.List<String> out = new java.util.ArrayList<>();
    StringBuilder p = new StringBuilder();
    for (String line : lines) {
      if (p.length() > 0) p.append(' ');
      p.append(line.strip());
      if (line.isBlank() || line.strip().matches(".*[.:!?)]$")) {
        out.add(p.toString().strip());
        p.setLength(0);
      }
    }
    if (p.length() > 0) out.add(p.toString().strip());
    return out.toArray(String[]::new);
  }

  public static void main(String[] args) {
    System.exit(commandLine().execute(args));
  }
}
