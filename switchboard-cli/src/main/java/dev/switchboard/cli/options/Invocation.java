package dev.switchboard.cli.options;

import java.util.ArrayList;
import java.util.List;
import picocli.CommandLine;
import picocli.CommandLine.Model.CommandSpec;

/** The command line that reproduces the running command, for report and model-card provenance. */
public final class Invocation {
  private Invocation() {}

  /**
   * {@code ./switchboard SUBCOMMAND ARGS} with shell quoting where needed. picocli gives every
   * command in the chain the whole original argument list (subcommand names included), so the
   * root's list is used when the command runs under the root, and the command's own name is
   * prefixed when it was executed on its own (as tests do).
   */
  public static String of(CommandSpec spec) {
    List<String> words = new ArrayList<>();
    CommandLine root = spec.root().commandLine();
    CommandLine.ParseResult pr = root.getParseResult();
    if (spec.root() == spec) {
      words.add(spec.name());
    }
    if (pr != null) {
      words.addAll(pr.originalArgs());
    }
    StringBuilder sb = new StringBuilder("./switchboard");
    for (String a : words) {
      sb.append(' ').append(a.matches("[\\w./,=:@+-]+") ? a : "'" + a.replace("'", "'\\''") + "'");
    }
    return sb.toString();
  }
}
