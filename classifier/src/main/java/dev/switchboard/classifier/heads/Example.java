package dev.switchboard.classifier.heads;

/**
 * One training example for the heads.
 *
 * @param x input feature row (width D)
 * @param difficulty difficulty label in {0,1} (soft labels in [0,1] work too)
 * @param quality observed quality per candidate in [0,1]
 */
public record Example(float[] x, double difficulty, double[] quality) {}
