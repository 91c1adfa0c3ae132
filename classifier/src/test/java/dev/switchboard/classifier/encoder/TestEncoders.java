package dev.switchboard.classifier.encoder;

/** The static encoder the tests share: distilled once per build into the surefire-configured store. */
public final class TestEncoders {
  private static StaticEncoder encoder;
  private static final java.util.Map<Integer, StaticEncoder> budgeted = new java.util.HashMap<>();

  private TestEncoders() {}

  /** The 256-wide static encoder with its graph in ONNX Runtime, so tests can hold it to the Java computation (distilled on first use; later loads take ~1 s). */
  public static synchronized StaticEncoder static256() {
    if (encoder == null) {
      int dim = 256;
      encoder = EncoderStore.defaults().open(StaticManifest.idFor(dim), EncoderStore.identity(dim), true, 2,
          line -> System.out.println("[distill] " + line), true);
    }
    return encoder;
  }

  /** As {@link #static256()}, reading at most {@code maxTokens} tokens of a prompt ({@code minilm-static-256-t<maxTokens>}). */
  public static synchronized StaticEncoder static256(int maxTokens) {
    static256(); // distilled once
    return budgeted.computeIfAbsent(maxTokens, t -> EncoderStore.defaults().open(StaticManifest.idFor(256, t),
        EncoderStore.identity(256), false, 2, line -> System.out.println("[encoder] " + line), true));
  }
}
