package dev.switchboard.cli.config;

import dev.switchboard.cli.options.Exit;
import dev.switchboard.router.config.ConfigException;
import dev.switchboard.router.config.ConfigParser;
import dev.switchboard.router.config.GatewayConfig;
import dev.switchboard.router.evaldriven.ReferencedFiles;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/**
 * {@code switchboard config validate FILE}: the checks {@code serve --config FILE} makes before it starts anything
 * (every key, type, range and reference, with its line; the policy and model files an eval-driven route names), as a
 * command for CI and editors.
 */
@Command(name = "validate", mixinStandardHelpOptions = true,
    header = "Check a gateway config file: every problem with its line, exit 1 if there is any.",
    description = {"Runs the checks that serve --config makes before it starts: unknown keys, types, ranges, references"
        + " between deployments and routes; once those pass, the policy and classifier files that eval-driven routes name"
        + " (relative to the file's folder). Starts nothing and reads no environment variable; API keys are checked at start."},
    exitCodeListHeading = "%nExit codes:%n",
    exitCodeList = {"0:the file is valid", "1:the file has problems (each printed with its line)"})
public final class ConfigValidateCommand implements Callable<Integer> {
  @Spec CommandSpec spec;

  @Parameters(index = "0", paramLabel = "FILE", description = "The gateway config YAML.")
  Path file;

  @Override
  public Integer call() {
    PrintWriter out = spec.commandLine().getOut();
    PrintWriter err = spec.commandLine().getErr();
    GatewayConfig config;
    try {
      config = ConfigParser.parseFile(file);
      ReferencedFiles.check(config, true);
    } catch (ConfigException e) {
      err.println(file + ": " + e.problems().size() + (e.problems().size() == 1 ? " problem" : " problems"));
      for (String p : e.problems()) err.println("  - " + p);
      err.flush();
      return Exit.FAILED;
    }
    out.println(file + ": valid (" + config.deployments().size() + " deployments, " + config.routes().size() + " routes)");
    out.flush();
    return Exit.OK;
  }
}
