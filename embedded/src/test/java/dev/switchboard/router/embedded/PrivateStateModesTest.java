package dev.switchboard.router.embedded;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue #15: the data directory, the request-log spool and the embedded broker's log hold every
 * captured prompt and answer; they were 0755/0644, readable by any local user. After the embedded
 * defaults start, their folders are 0700 and the files 0600, whatever the umask.
 */
class PrivateStateModesTest {

  @Test
  @Timeout(120)
  void dataDirectorySpoolAndBrokerLogArePrivateToTheUser(@TempDir Path dir) throws Exception {
    Assumptions.assumeTrue(dir.getFileSystem().supportedFileAttributeViews().contains("posix"), "POSIX file system");
    Path data = dir.resolve("data");
    // An older install: the folders exist already, made with the usual 0755 and a 0644 file in the spool.
    Files.createDirectories(data.resolve("spool"));
    Files.setPosixFilePermissions(data, PosixFilePermissions.fromString("rwxr-xr-x"));
    Files.writeString(data.resolve("spool/spool.checkpoint"), "0 0\n");
    Files.setPosixFilePermissions(data.resolve("spool/spool.checkpoint"), PosixFilePermissions.fromString("rw-r--r--"));

    try (SwitchboardServer server = SwitchboardServer.start(ServerOptions.embedded(SwitchboardHome.find(), data))) {
      assertEquals("rwx------", mode(data), "the data directory");
      for (Path sub : List.of(data.resolve("kafka"), data.resolve("spool"))) {
        assertEquals("rwx------", mode(sub), sub.toString());
      }
      // Files the gateway writes itself, and what the broker wrote while formatting and starting.
      for (Path f : List.of(data.resolve("kafka/meta.properties"), data.resolve("spool/spool.checkpoint"))) {
        assertEquals("rw-------", mode(f), f.toString());
      }
      try (Stream<Path> spool = Files.list(data.resolve("spool"))) {
        List<Path> files = spool.filter(Files::isRegularFile).toList();
        assertTrue(files.stream().anyMatch(f -> f.getFileName().toString().endsWith(".seg")), files.toString());
        for (Path f : files) assertEquals("rw-------", mode(f), f.toString());
      }
      try (Stream<Path> governance = Files.list(data)) {
        List<Path> h2 = governance.filter(f -> f.getFileName().toString().startsWith("governance.")).toList();
        for (Path f : h2) assertEquals("rw-------", mode(f), f.toString());
      }
    }
  }

  private static String mode(Path p) throws Exception {
    return PosixFilePermissions.toString(Files.getPosixFilePermissions(p));
  }
}
