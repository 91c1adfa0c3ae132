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
    java.net.URL url = SlowClassifier.class.getResource(name);
    if (url == null) {
      throw new IllegalStateException("test fixture " + name + " missing");
    }
    try {
      if ("file".equals(url.getProtocol())) {
        return Path.of(url.toURI());
      }
    } catch (URISyntaxException e) {
      throw new IllegalStateException("test fixture " + name + ": " + e.getMessage(), e);
    }
    // In another module's tests the fixture sits in router-service's test jar, and a model folder
    // must be a directory: use the source tree it came from.
    for (Path d = Path.of("").toAbsolutePath(); d != null; d = d.getParent()) {
      Path p = d.resolve("router-service/src/test/resources" + name);
      if (Files.exists(p)) {
        return p;
      }
    }
    throw new IllegalStateException("test fixture " + name + " is in a jar and the source tree is not above " + Path.of("").toAbsolutePath());
  }
}
