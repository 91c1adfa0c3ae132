package dev.switchboard.router.requestlog;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.HashMap;
import java.util.Map;
import java.util.TreeMap;

/**
 * Where, per partition, the topic must be re-read before the spool is drained: every record of
 * the spool whose write may already have reached Kafka (its acknowledgement was lost, or the process
 * died between a drain batch and its spool commit) can only sit at or after these offsets.
 *
 * <p>Kept next to the spool as {@code reconcile.offsets} (lines {@code <partition> <offset>},
 * replaced atomically and fsynced) so a later process draining the same spool reconciles too.
 * A partition missing from a mark means "from the beginning of the partition".
 */
final class ReconcileMark {
  static final String FILE = "reconcile.offsets";

  private ReconcileMark() {}

  /** Pointwise minimum; a partition missing from either side stays missing (read from its start). */
  static Map<Integer, Long> min(Map<Integer, Long> a, Map<Integer, Long> b) {
    if (a == null) {
      return b;
    }
    if (b == null) {
      return a;
    }
    Map<Integer, Long> out = new HashMap<>();
    a.forEach((p, off) -> {
      Long other = b.get(p);
      if (other != null) {
        out.put(p, Math.min(off, other));
      }
    });
    return Map.copyOf(out);
  }

  /** The mark left in {@code dir}, or null if there is none. */
  static Map<Integer, Long> read(Path dir) {
    Path f = dir.resolve(FILE);
    if (!Files.exists(f)) {
      return null;
    }
    Map<Integer, Long> out = new HashMap<>();
    try {
      int line = 0;
      for (String s : Files.readAllLines(f, StandardCharsets.UTF_8)) {
        line++;
        s = s.strip();
        if (s.isEmpty()) {
          continue;
        }
        String[] parts = s.split("\\s+");
        if (parts.length != 2) {
          throw new IllegalStateException(f + " line " + line + ": expected '<partition> <offset>', got '" + s + "'");
        }
        out.put(Integer.parseInt(parts[0]), Long.parseLong(parts[1]));
      }
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read " + f + ": " + e.getMessage(), e);
    } catch (NumberFormatException e) {
      throw new IllegalStateException(f + ": not a number: " + e.getMessage(), e);
    }
    return Map.copyOf(out);
  }

  /** Writes the mark durably (temp file, fsync, atomic rename). */
  static void write(Path dir, Map<Integer, Long> mark) {
    StringBuilder sb = new StringBuilder();
    new TreeMap<>(mark).forEach((p, off) -> sb.append(p).append(' ').append(off).append('\n'));
    Path tmp = dir.resolve(FILE + ".tmp");
    try {
      try (FileChannel ch = FileChannel.open(tmp, java.util.Set.of(StandardOpenOption.CREATE, StandardOpenOption.WRITE,
          StandardOpenOption.TRUNCATE_EXISTING), dev.switchboard.router.files.PrivateFiles.fileAttributes(dir))) {
        java.nio.ByteBuffer b = java.nio.ByteBuffer.wrap(sb.toString().getBytes(StandardCharsets.UTF_8));
        while (b.hasRemaining()) ch.write(b);
        ch.force(true);
      }
      Files.move(tmp, dir.resolve(FILE), StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot write " + dir.resolve(FILE) + ": " + e.getMessage(), e);
    }
  }

  static void delete(Path dir) {
    try {
      Files.deleteIfExists(dir.resolve(FILE));
    } catch (IOException e) {
      throw new UncheckedIOException("cannot delete " + dir.resolve(FILE) + ": " + e.getMessage(), e);
    }
  }
}
