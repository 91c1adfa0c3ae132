package dev.switchboard.classifier.encoder;

import dev.switchboard.classifier.base.ClassifierException;
import java.util.function.Consumer;

/** Encoder ids and how to open one: the one place that knows every kind. */
public final class Encoders {

  /** {@code train --encoder}'s default and the shipped default's: measured to route as well, ~1,000x faster. */
  public static final String DEFAULT = "static";
  /** Width of {@code static} without a suffix. */
  public static final int STATIC_DIM = 256;
  /**
   * Tokens {@code static} reads per prompt (the first and last 32): a bag of words needs a sample,
   * not every word. Routing quality with 64 matched reading every token on each shipped dataset
   * (README, "Reading 64 tokens"), and a 4,096-token prompt then costs what a 64-token one does.
   */
  public static final int STATIC_TOKENS = 64;
  /** The largest token budget an encoder id may name: beyond it, reading every token costs as much. */
  static final int MAX_STATIC_TOKENS = 8192;

  private Encoders() {}

  /**
   * The encoder id a user's choice names: {@code static} (= {@code minilm-static-256-t64}), {@code
   * minilm} (= {@code all-minilm-l6-v2-q}), or an id itself ({@code minilm-static-<dims>} reading
   * every token, {@code minilm-static-<dims>-t<tokens>}, {@code all-minilm-l6-v2-q}, {@code
   * all-minilm-l6-v2}).
   */
  public static String resolveId(String choice) {
    if (choice == null || choice.isBlank()) {
      throw new ClassifierException("encoder is empty (static, minilm)");
    }
    switch (choice) {
      case "static":
        return StaticManifest.idFor(STATIC_DIM, STATIC_TOKENS);
      case "minilm":
        return EncoderVariant.QUANTIZED.id();
      default:
        if (StaticManifest.isStatic(choice)) {
          int d = StaticManifest.dimOf(choice);
          if (d < 8 || d > MiniLmEncoder.DIM) {
            throw new ClassifierException("encoder '" + choice + "': dims must be in [8, " + MiniLmEncoder.DIM + "]");
          }
          int t = StaticManifest.maxTokensOf(choice);
          if (t != 0 && (t < 8 || t > MAX_STATIC_TOKENS)) {
            throw new ClassifierException("encoder '" + choice + "': tokens must be in [8, " + MAX_STATIC_TOKENS + "]");
          }
          return StaticManifest.idFor(d, t);
        }
        try {
          return EncoderVariant.fromId(choice).id();
        } catch (IllegalArgumentException e) {
          throw new ClassifierException("unknown encoder '" + choice
              + "' (static, minilm, minilm-static-<dims>, minilm-static-<dims>-t<tokens>, all-minilm-l6-v2-q, all-minilm-l6-v2)");
        }
    }
  }

  /** Whether {@code id} is a static encoder. */
  public static boolean isStatic(String id) {
    return StaticManifest.isStatic(id);
  }

  /**
   * Opens the encoder {@code id}. A static one comes from {@link EncoderStore#defaults()},
   * distilled there first if missing; {@code sha256} (may be null: whatever the classpath gives) is
   * the identity a model was trained on. A static encoder computes in plain Java.
   */
  public static Encoder open(String id, String sha256, int threads, Consumer<String> log) {
    return open(id, sha256, threads, log, false);
  }

  /** As {@link #open(String, String, int, Consumer)}; {@code onnxRuntime}: a static encoder runs its graph in ONNX Runtime. */
  public static Encoder open(String id, String sha256, int threads, Consumer<String> log, boolean onnxRuntime) {
    if (isStatic(id)) {
      int dim = StaticManifest.dimOf(id);
      return EncoderStore.defaults().open(id, sha256 != null ? sha256 : EncoderStore.identity(dim), true, threads, log,
          onnxRuntime);
    }
    EncoderVariant v;
    try {
      v = EncoderVariant.fromId(id);
    } catch (IllegalArgumentException e) {
      throw new ClassifierException(e.getMessage());
    }
    return MiniLmEncoder.load(v, threads);
  }
}
