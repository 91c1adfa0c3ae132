package dev.switchboard.cli.config;

import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

/** {@code switchboard config}: work with a gateway config file without starting a gateway. */
@Command(name = "config", mixinStandardHelpOptions = true,
    header = "Check a gateway config file without starting a gateway.",
    subcommands = {ConfigValidateCommand.class})
public final class ConfigCommand implements Runnable {
  @Spec CommandSpec spec;

  @Override
  public void run() {
    spec.commandLine().usage(spec.commandLine().getOut());
  }
}
