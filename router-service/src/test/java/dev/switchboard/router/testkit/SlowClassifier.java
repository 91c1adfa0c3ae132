package dev.switchboard.router.testkit;

import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * A classifier that takes milliseconds per prompt on any CPU, for tests of the scoring deadline and
 * the queue's admission: the earlier shipped default (MiniLM encoder + MLP heads, the four `auto`
 * candidates), kept as a test fixture with its tuned policy. The shipped default scores in
 * microseconds, too fast to make a deadline miss on purpose.
 */
public final class SlowClassifier {
  private SlowClassifier() {}

  /** The fixture's model folder (card.json + classifier.onnx). */
  public static Path dir() {
    return resource("/fixtures/minilm-classifier");
  }

  /** Its tuned policy, copied to {@code dir/name} with {@code classifier.path} pointing at the fixture. */
  public static Path policy(Path dir, String name) throws java.io.IOException {
    String yaml = Files.readString(resource("/fixtures/minilm-policy.yaml"))
        .replace("path: models/default", "path: " + dir());
    Path out = dir.resolve(name);
    Files.writeString(out, yaml);
    return out;
  }

  private static Path resource(String name) {
    try {
      return Path.of(SlowClassifier.class.getResource(name).toURI());
    } catch (URISyntaxException | NullPointerException e) {
      throw new IllegalStateException("test fixture " + name + " missing", e);
    }
  }
}
