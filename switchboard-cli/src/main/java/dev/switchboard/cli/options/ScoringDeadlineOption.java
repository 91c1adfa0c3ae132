package dev.switchboard.cli.options;

import dev.switchboard.router.config.ConfigKeys;
import picocli.CommandLine.Option;

/**
 * {@code --scoring-deadline-ms}, declared once for every command that runs a router ({@code serve},
 * {@code demo}): the same name, range and default as {@code classifier.scoring_deadline_ms}, so a
 * demo measures the router as {@code serve} would run it on this machine.
 */
public final class ScoringDeadlineOption {
  @Option(names = "--scoring-deadline-ms", paramLabel = "MS",
      description = "How long a request may wait for its prompt's score before its route's default serves it ("
          + ConfigKeys.MIN_SCORING_DEADLINE_MS + " to " + ConfigKeys.MAX_SCORING_DEADLINE_MS
          + "); overrides classifier.scoring_deadline_ms. Default: " + ConfigKeys.DEFAULT_SCORING_DEADLINE_MS
          + " (serve --config: the config's). The startup log says whether a 256-token prompt fits it on this CPU.")
  Long ms;

  /** The deadline given on the command line, or null. */
  public Long given() {
    return ms;
  }

  /** The deadline given, else {@code classifier.scoring_deadline_ms}'s default. */
  public long orDefault() {
    return ms != null ? ms : ConfigKeys.DEFAULT_SCORING_DEADLINE_MS;
  }

  /** What is wrong with the given deadline (for {@code error: ...}, exit 2), or null when it is fine or absent. */
  public String problem() {
    if (ms == null || (ms >= ConfigKeys.MIN_SCORING_DEADLINE_MS && ms <= ConfigKeys.MAX_SCORING_DEADLINE_MS)) {
      return null;
    }
    return "--scoring-deadline-ms must be " + ConfigKeys.MIN_SCORING_DEADLINE_MS + " to " + ConfigKeys.MAX_SCORING_DEADLINE_MS
        + ", got " + ms;
  }
}
