package dev.switchboard.classifier;

import dev.switchboard.classifier.base.ClassifierException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Says what is wrong with a path given as a model directory, and what to do about it. A missing
 * folder (a typo), a file, and a real folder that is not a model (e.g. {@code models/} instead of
 * {@code models/default}) need different fixes, so each gets its own message; every caller that
 * takes a model directory (the gateway's {@code classifier.path}, the CLI's {@code --classifier},
 * a policy's {@code classifier.path}) says it this way.
 */
public final class ModelDirectory {
  /** What a model directory holds and what writes one. */
  public static final String EXPECTED = "expected " + ClassifierCard.FILE + " + " + ClassifierCard.ONNX_FILE
      + " written by `./switchboard train --out DIR`";

  private ModelDirectory() {}

  /**
   * What is wrong with {@code dir} as a model directory.
   *
   * @return null when it is a folder holding a {@code card.json}, else the problem and its fix
   */
  public static String problem(Path dir) {
    if (!Files.exists(dir)) {
      return "model directory " + dir + " does not exist; fix the path (" + EXPECTED + ")";
    }
    if (!Files.isDirectory(dir)) {
      return dir + " is a file, not a model directory (" + EXPECTED + ")";
    }
    if (!Files.isRegularFile(dir.resolve(ClassifierCard.FILE))) {
      return "model directory " + dir + " exists but has no " + ClassifierCard.FILE + " (is this a model directory? " + EXPECTED + ")";
    }
    return null;
  }

  /**
   * Checks {@code dir} as {@link #problem} does.
   *
   * @throws ClassifierException with the problem and its fix
   */
  public static void require(Path dir) {
    String p = problem(dir);
    if (p != null) {
      throw new ClassifierException(p);
    }
  }
}
