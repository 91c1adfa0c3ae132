package dev.switchboard.eval.run;

import java.util.List;

/**
 * One compared policy: its operating points (one for a fixed policy, a sweep otherwise).
 *
 * @param id stable key for metrics.json, e.g. {@code router}, {@code single:gpt-4o}
 * @param name display name
 * @param family what kind of policy this is
 * @param points operating points, in sweep order
 */
public record PolicyRun(String id, String name, Family family, List<OperatingPoint> points) {

  public enum Family {
    ROUTER,
    /** A simple baseline fitted on the dataset's train split (prior, kNN, logistic regression, MLP). */
    BASELINE,
    DIFFICULTY,
    RANDOM,
    ORACLE,
    TUNED,
    SINGLE
  }

  public PolicyRun {
    points = List.copyOf(points);
  }

  /** The same points under another id, name and family. */
  public PolicyRun as(String newId, String newName, Family newFamily) {
    return new PolicyRun(newId, newName, newFamily, points);
  }
}
