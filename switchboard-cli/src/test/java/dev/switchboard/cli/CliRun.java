package dev.switchboard.cli;

import java.io.PrintWriter;
import java.io.StringWriter;
import picocli.CommandLine;

/** One command-line invocation in a test: exit code and what it wrote to stdout and stderr. */
public record CliRun(int code, String out, String err) {

  /** Runs {@code switchboard ARGS} as the launcher would. */
  public static CliRun switchboard(String... args) {
    return execute(SwitchboardCli.commandLine(), args);
  }

  /** Runs one command object (e.g. {@code new TrainCommand()}) as a command line of its own. */
  public static CliRun command(Object command, String... args) {
    return execute(new CommandLine(command), args);
  }

  private static CliRun execute(CommandLine cl, String... args) {
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    cl.setOut(new PrintWriter(out, true));
    cl.setErr(new PrintWriter(err, true));
    int code = cl.execute(args);
    return new CliRun(code, out.toString(), err.toString());
  }
}
