package dev.switchboard.dataset.importer;

import dev.switchboard.dataset.RoutingDataset;
import dev.switchboard.classifier.base.Hashing;
import java.nio.charset.StandardCharsets;
import java.util.Locale;
import java.util.Optional;

/**
 * Assigns a prompt to train/validation/test from a hash of (seed, prompt id) alone, so every
 * model's row of a prompt lands in the same split, and the result is the same on every run and
 * for any row order.
 */
public final class SplitAssigner {

  private SplitAssigner() {}

  /** A point in [0,1) derived from SHA-256("seed:promptId"). */
  public static double unitHash(long seed, String promptId) {
    byte[] d = Hashing.sha256().digest((seed + ":" + promptId).getBytes(StandardCharsets.UTF_8));
    long bits = 0;
    for (int i = 0; i < 8; i++) {
      bits = (bits << 8) | (d[i] & 0xff);
    }
    return (bits >>> 11) / (double) (1L << 53); // top 53 bits: exactly representable
  }

  /** test if the hash is below testFraction, validation if below test+validation, else train. */
  public static String assign(long seed, String promptId, double testFraction, double validationFraction) {
    double u = unitHash(seed, promptId);
    if (u < testFraction) {
      return RoutingDataset.TEST;
    }
    if (u < testFraction + validationFraction) {
      return RoutingDataset.VALIDATION;
    }
    return RoutingDataset.TRAIN;
  }

  /** Normalises a split label from a source file; common synonyms accepted. Empty if unknown. */
  public static Optional<String> normalize(String label) {
    String s = label.trim().toLowerCase(Locale.ROOT);
    return switch (s) {
      case "train", "training" -> Optional.of(RoutingDataset.TRAIN);
      case "validation", "valid", "val", "dev" -> Optional.of(RoutingDataset.VALIDATION);
      case "test", "testing" -> Optional.of(RoutingDataset.TEST);
      default -> Optional.empty();
    };
  }
}
