package dev.switchboard.router.config;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import io.vertx.core.Vertx;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@link FileWatch#changed}: what the config and policy pollers see of a file, by content. */
class FileWatchTest {

  private final Vertx vertx = Vertx.vertx();

  @AfterEach
  void close() {
    vertx.close();
  }

  @Test
  void changedGivesTheBytesOncePerNewContentAndNothingForAMissingFile(@TempDir Path dir) throws Exception {
    FileWatch w = new FileWatch(vertx);
    Path f = dir.resolve("a.yaml");
    assertNull(w.changed("a", f), "a missing file (mid-rename) is no change");
    Files.writeString(f, "one");
    assertArrayEquals("one".getBytes(StandardCharsets.UTF_8), w.changed("a", f));
    assertNull(w.changed("a", f), "same content: no change");
    Files.writeString(f, "two");
    assertArrayEquals("two".getBytes(StandardCharsets.UTF_8), w.changed("a", f));
    Files.writeString(f, "one");
    assertArrayEquals("one".getBytes(StandardCharsets.UTF_8), w.changed("a", f), "back to an earlier content is a change too");
    assertArrayEquals("one".getBytes(StandardCharsets.UTF_8), w.changed("b", f), "keys are independent");
    w.close();
  }

  @Test
  void contentTheGatewayWroteItselfIsNoChange(@TempDir Path dir) throws Exception {
    FileWatch w = new FileWatch(vertx);
    Path f = dir.resolve("policy.yaml");
    Files.writeString(f, "v1");
    w.remember("route", "v1".getBytes(StandardCharsets.UTF_8));
    assertNull(w.changed("route", f));
    Files.writeString(f, "v2");
    w.remember("route", "v2".getBytes(StandardCharsets.UTF_8)); // written through the admin API
    assertNull(w.changed("route", f));
    w.close();
  }
}
