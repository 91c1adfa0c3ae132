package dev.switchboard.router.files;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.BasicFileAttributes;
import java.nio.file.attribute.FileAttribute;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Set;
import java.util.concurrent.atomic.AtomicBoolean;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The gateway's runtime state (data directory, request-log spool, embedded broker's log) holds
 * every captured prompt and answer: its folders are created 0700 and its files 0600, whatever the
 * umask (issue #15 found them 0644, readable by any local user). On a file system without POSIX
 * permissions (Windows) nothing is changed and that is logged once.
 *
 * <p>Files another library creates later in such a folder (Kafka's next segments, H2's files) get
 * the umask's mode, but the 0700 folder already keeps other users out; {@link #restrictTree} tightens
 * what exists at start.
 */
public final class PrivateFiles {
  private static final Logger LOG = LoggerFactory.getLogger(PrivateFiles.class);
  private static final Set<PosixFilePermission> DIR = PosixFilePermissions.fromString("rwx------");
  private static final Set<PosixFilePermission> FILE = PosixFilePermissions.fromString("rw-------");
  private static final FileAttribute<?>[] NONE = new FileAttribute<?>[0];
  private static final AtomicBoolean WARNED = new AtomicBoolean();

  private PrivateFiles() {}

  /** Creates {@code dir} (and missing parents) 0700, or sets an existing one to 0700. */
  public static Path directory(Path dir) {
    try {
      if (!posix(dir)) {
        return Files.createDirectories(dir);
      }
      if (!Files.isDirectory(dir)) {
        Files.createDirectories(dir, PosixFilePermissions.asFileAttribute(DIR));
      }
      if (!Files.getPosixFilePermissions(dir).equals(DIR)) {
        Files.setPosixFilePermissions(dir, DIR);
      }
      return dir;
    } catch (IOException e) {
      throw new UncheckedIOException("cannot create " + dir + " private (0700): " + e.getMessage(), e);
    }
  }

  /** Attributes for creating a file 0600 in {@code dir} ({@code Files.newByteChannel}, {@code FileChannel.open}). */
  public static FileAttribute<?>[] fileAttributes(Path dir) {
    return posix(dir) ? new FileAttribute<?>[] {PosixFilePermissions.asFileAttribute(FILE)} : NONE;
  }

  /** Sets every folder under {@code root} (itself included) to 0700 and every file to 0600; symbolic links are left alone. */
  public static void restrictTree(Path root) {
    if (!Files.isDirectory(root) || !posix(root)) {
      return;
    }
    try {
      Files.walkFileTree(root, new SimpleFileVisitor<>() {
        @Override
        public FileVisitResult preVisitDirectory(Path d, BasicFileAttributes a) throws IOException {
          Files.setPosixFilePermissions(d, DIR);
          return FileVisitResult.CONTINUE;
        }

        @Override
        public FileVisitResult visitFile(Path f, BasicFileAttributes a) throws IOException {
          if (a.isRegularFile()) Files.setPosixFilePermissions(f, FILE);
          return FileVisitResult.CONTINUE;
        }

        @Override
        public FileVisitResult visitFileFailed(Path f, IOException e) {
          return FileVisitResult.CONTINUE; // deleted meanwhile (a broker rolling its files)
        }
      });
    } catch (IOException e) {
      LOG.warn("cannot restrict the permissions under {}: {}", root, e.getMessage());
    }
  }

  /**
   * Writes {@code bytes} to {@code file} through a temporary file created 0600 in the same folder,
   * then renamed over it: the content is never readable by others, not even for a moment, and a
   * crash leaves the old file or the new one, never half of one.
   */
  public static void writeAtomically(Path file, byte[] bytes) {
    Path dir = file.toAbsolutePath().getParent();
    Path tmp = null;
    try {
      tmp = Files.createTempFile(dir, "." + file.getFileName(), ".tmp", fileAttributes(dir));
      Files.write(tmp, bytes);
      try {
        Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
      } catch (AtomicMoveNotSupportedException e) {
        Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING);
      }
    } catch (IOException e) {
      throw new UncheckedIOException("cannot write " + file + ": " + e.getMessage(), e);
    } finally {
      if (tmp != null) {
        try {
          Files.deleteIfExists(tmp);
        } catch (IOException ignored) {
          // moved already, or the error above is what matters
        }
      }
    }
  }

  /** Sets one existing regular file to 0600. */
  public static void restrictFile(Path file) {
    try {
      if (posix(file) && Files.isRegularFile(file, LinkOption.NOFOLLOW_LINKS)) {
        Files.setPosixFilePermissions(file, FILE);
      }
    } catch (IOException e) {
      LOG.warn("cannot restrict the permissions of {}: {}", file, e.getMessage());
    }
  }

  private static boolean posix(Path p) {
    boolean posix = p.getFileSystem().supportedFileAttributeViews().contains("posix");
    if (!posix && WARNED.compareAndSet(false, true)) {
      LOG.info("the file system of {} has no POSIX permissions: runtime state is not restricted to 0700/0600", p);
    }
    return posix;
  }
}
