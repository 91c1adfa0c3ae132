package dev.switchboard.classifier.encoder;

/**
 * Turns prompt text into a fixed-width embedding. Two kinds: {@link MiniLmEncoder}, the
 * transformer itself, and {@link StaticEncoder}, a token table distilled from it (microseconds per
 * prompt instead of milliseconds). A model card names the encoder its heads were trained on; a
 * classifier never mixes them.
 *
 * <p>Implementations are thread-safe.
 */
public sealed interface Encoder extends AutoCloseable permits MiniLmEncoder, StaticEncoder {

  /** Embeds one text. */
  Encoded encode(String text);

  /**
   * Embeds several texts, in order: what {@link #encode} gives for each, to float rounding. An
   * encoder that can run them as one call overrides this (the static encoder does).
   */
  default java.util.List<Encoded> encodeBatch(java.util.List<String> texts) {
    return texts.stream().map(this::encode).toList();
  }

  /** True when a prompt is encoded in plain Java, with no native call (the static encoder unless opened for ONNX Runtime). */
  default boolean inJava() {
    return false;
  }

  /** Embedding width. */
  int dim();

  /** The id written to model cards, e.g. {@code all-minilm-l6-v2-q} or {@code minilm-static-256}. */
  String id();

  /** Identifies the embedding space: heads trained on one hash are never served on another. */
  String sha256();

  @Override
  void close();
}
