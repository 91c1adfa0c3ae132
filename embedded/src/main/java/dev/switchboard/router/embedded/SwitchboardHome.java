package dev.switchboard.router.embedded;

import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Where the shipped data lives: the repository root holding {@code datasets/} and
 * {@code models/}. The launcher passes it as {@code -Dswitchboard.home}; otherwise
 * {@code SWITCHBOARD_HOME}, else the nearest parent of the working directory with a
 * {@code datasets/models.json}.
 */
public final class SwitchboardHome {
  private SwitchboardHome() {}

  public static Path find() {
    String prop = System.getProperty("switchboard.home");
    if (prop != null && !prop.isBlank()) return Path.of(prop).toAbsolutePath();
    String env = System.getenv("SWITCHBOARD_HOME");
    if (env != null && !env.isBlank()) return Path.of(env).toAbsolutePath();
    String root = System.getProperty("switchboard.repo.root");
    if (root != null && !root.isBlank() && Files.exists(Path.of(root, "datasets", "models.json"))) return Path.of(root).toAbsolutePath();
    for (Path p = Path.of("").toAbsolutePath(); p != null; p = p.getParent()) {
      if (Files.exists(p.resolve("datasets").resolve("models.json"))) return p;
    }
    throw new IllegalStateException("cannot find the Switchboard home (a folder with datasets/models.json); "
        + "run from the repository or set SWITCHBOARD_HOME");
  }

  public static Path datasets() {
    return find().resolve("datasets");
  }

  public static Path models() {
    return find().resolve("models");
  }
}
