package dev.switchboard.cli.loop;

import dev.switchboard.eval.loop.Retrain;
import picocli.CommandLine.Option;

/** {@code --retrain} and {@code --train-with}, the same in {@code replay --retune}, {@code retune} and {@code demo}. */
final class RetrainOptions {

  @Option(names = "--retrain", description = "Train a new classifier on the replayed outcomes first and tune for it (kept only if it"
      + " passes the keep rule; replay: with --retune). See 'switchboard train'.")
  boolean retrain;

  @Option(names = "--train-with", paramLabel = "FILE[,FILE...]|none",
      description = "With --retrain: base datasets whose train/validation rows join the outcomes (default: the live classifier's"
          + " training datasets from its card, those present; none: the outcomes only).")
  String trainWith;

  /** What {@link Retrain} needs, or null without {@code --retrain}. */
  Retrain.Options toOptions(long seed) {
    return retrain ? new Retrain.Options(trainWith, seed) : null;
  }

  /** Why the combination is wrong, or null. */
  String problem() {
    return trainWith != null && !retrain ? "--train-with goes with --retrain" : null;
  }
}
