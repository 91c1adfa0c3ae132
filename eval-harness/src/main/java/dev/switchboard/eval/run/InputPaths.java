package dev.switchboard.eval.run;

import dev.switchboard.classifier.ModelDirectory;
import dev.switchboard.routing.Policy;
import dev.switchboard.routing.PolicyFileException;
import dev.switchboard.routing.PolicyFiles;
import java.nio.file.Path;

/**
 * Command-line options that name a model directory or a policy file, checked up front so the
 * error names the option as well as what is wrong with the path and what to do (the messages
 * themselves come from {@link ModelDirectory} and {@link PolicyFiles}, as the gateway's do).
 */
public final class InputPaths {
  private InputPaths() {}

  /**
   * @param option the option as typed, e.g. {@code --classifier}
   * @throws EvalException (exit 2) when {@code dir} is not a model directory
   */
  public static void modelDir(String option, Path dir) {
    String p = ModelDirectory.problem(dir);
    if (p != null) {
      throw new EvalException(option + ": " + p);
    }
  }

  /**
   * Reads the policy file an option names.
   *
   * @param option the option as typed, e.g. {@code --policy}
   * @throws EvalException (exit 2) when the file is missing or invalid
   */
  public static Policy policy(String option, Path file) {
    try {
      return PolicyFiles.read(file);
    } catch (PolicyFileException e) {
      throw new EvalException(option + ": " + e.getMessage());
    }
  }
}
