package dev.switchboard.cli.governance;

import com.fasterxml.jackson.databind.JsonNode;
import dev.switchboard.cli.options.AdminGatewayOptions;
import dev.switchboard.cli.options.Exit;
import java.io.PrintWriter;
import java.util.concurrent.Callable;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * What every {@code keys}, {@code teams} and {@code spend} subcommand shares: the gateway and credential options,
 * {@code --json}, one admin call, and the one way its errors are printed ({@code error: <message>}, a named exit code).
 */
abstract class AdminCommand implements Callable<Integer> {
  @Spec CommandSpec spec;

  @Mixin AdminGatewayOptions gateway;

  @Option(names = "--json", description = "Print the gateway's JSON answer instead of a table, for scripts.")
  boolean json;

  /** Makes this command's admin call(s). */
  abstract JsonNode call(AdminHttp admin) throws AdminHttp.Failure;

  /** Prints the answer for a person. */
  abstract void printTable(JsonNode answer, PrintWriter out);

  @Override
  public final Integer call() {
    PrintWriter out = spec.commandLine().getOut();
    PrintWriter err = spec.commandLine().getErr();
    String key = gateway.adminKey();
    if (key == null) {
      return Exit.error(err, Exit.BAD_INPUT, "the environment variable " + gateway.adminKeyEnv()
          + " is not set; it must hold the gateway's admin key (or name another variable with --admin-key-env)");
    }
    JsonNode answer;
    try {
      answer = call(new AdminHttp(gateway.gateway(), key));
    } catch (AdminHttp.Failure f) {
      return Exit.error(err, f.exitCode, f.getMessage());
    } catch (IllegalArgumentException badOptions) {
      return Exit.error(err, Exit.BAD_INPUT, badOptions.getMessage());
    }
    if (json) {
      out.println(answer.toPrettyString());
    } else {
      printTable(answer, out);
    }
    out.flush();
    afterPrint(answer, err);
    return Exit.OK;
  }

  /** Anything to say on the error stream after the answer (a warning); nothing by default. */
  void afterPrint(JsonNode answer, PrintWriter err) {}
}
