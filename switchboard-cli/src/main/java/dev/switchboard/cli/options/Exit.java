package dev.switchboard.cli.options;

import java.io.PrintWriter;

/**
 * The CLI's exit codes, by name, and the one way a command reports an error: {@code error: <message>}
 * on its error stream, flushed, then the code. Scripts (and {@code .ci/run}) tell a wrong input from
 * a failed run by the code.
 */
public final class Exit {

  /** Done. */
  public static final int OK = 0;
  /** The run failed for a reason outside its input: a file that cannot be written, an unexpected error. */
  public static final int FAILED = 1;
  /** The input is wrong (an option, a file, a dataset, a config); the message names it. */
  public static final int BAD_INPUT = 2;
  /** A running gateway answered and refused (a 4xx: wrong credential, no such key, a bad field); the message is its. */
  public static final int REFUSED = 3;

  private Exit() {}

  /** Prints {@code error: message} to {@code err} and returns {@code code}, for {@code return Exit.error(...)}. */
  public static int error(PrintWriter err, int code, String message) {
    err.println("error: " + message);
    err.flush();
    return code;
  }
}
