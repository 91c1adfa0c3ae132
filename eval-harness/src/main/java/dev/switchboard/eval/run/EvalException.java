package dev.switchboard.eval.run;

/** A user-facing problem with the eval/tune inputs (dataset, split, models, classifier). */
public final class EvalException extends RuntimeException {
  public EvalException(String message) {
    super(message);
  }
}
