package dev.switchboard.cli.datasets;

/** Exit codes of the dataset commands. */
final class ExitCodes {
  static final int OK = 0;
  /** Something went wrong on our side (e.g. the output could not be written). */
  static final int FAILURE = 1;
  /** The user's input or options are unusable; the message says why. */
  static final int BAD_INPUT = 2;

  private ExitCodes() {}
}
