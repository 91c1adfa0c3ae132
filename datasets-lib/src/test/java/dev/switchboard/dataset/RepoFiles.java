package dev.switchboard.dataset;

import java.nio.file.Files;
import java.nio.file.Path;

/** Locates committed files of the repository from tests (surefire sets switchboard.repo.root). */
public final class RepoFiles {
  private RepoFiles() {}

  public static Path path(String relative) {
    String root = System.getProperty("switchboard.repo.root");
    Path base = root != null ? Path.of(root) : Path.of("..");
    Path p = base.resolve(relative);
    if (!Files.exists(p)) {
      p = Path.of("..").resolve(relative); // running from the module directory
    }
    return p.toAbsolutePath().normalize();
  }
}
