package dev.switchboard.classifier.encoder;

/** The static encoder the tests share: distilled once per build into the surefire-configured store. */
public final class TestEncoders {
  private static StaticEncoder encoder;

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
}
