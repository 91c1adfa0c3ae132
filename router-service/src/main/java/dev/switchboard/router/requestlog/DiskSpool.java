package dev.switchboard.router.requestlog;

import dev.switchboard.router.files.PrivateFiles;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeMap;
import java.util.stream.Stream;
import java.util.zip.CRC32C;

/**
 * A bounded, append-only, on-disk FIFO of keyed records: where the request log puts what Kafka
 * could not take.
 *
 * <p>Layout: segment files {@code spool-<20-digit id>.seg} in one directory, ids increasing. Each
 * record is {@code [int length][int crc32c][short keyLength][key utf-8][value]}, where length counts
 * the bytes after the CRC and the CRC covers the same bytes. A record with a record id sets the top
 * bit of {@code keyLength} and has {@code [byte idLength][id ascii]} after the key: spools written
 * before record ids existed read as records without one (keys are far shorter than 32 KiB). A segment rolls once it exceeds
 * {@code segmentBytes}. The read position (segment id, byte offset) is kept in
 * {@code spool.checkpoint}, replaced atomically on every {@link #commit}; segments wholly behind it
 * are deleted.
 *
 * <p>Durability: records are written to the OS at once (a process crash loses nothing that
 * {@link #append} accepted); {@code fsync} happens on segment roll, on {@link #sync()} (the request
 * log calls it at most once a second while spooling) and on {@link #close()}, so a machine crash can
 * lose up to about a second of spooled records. On open, a torn record at the end of the last
 * segment (a crash mid-write) is cut off; a record with a bad CRC ends its segment's readable part
 * and is counted in {@link #corruptRecords()}.
 *
 * <p>Not thread-safe: the request log's single sender thread owns it.
 */
public final class DiskSpool implements AutoCloseable {

  /** A place in the spool: a segment id and a byte offset in it. */
  public record Position(long segment, long offset) implements Comparable<Position> {
    @Override
    public int compareTo(Position o) {
      int c = Long.compare(segment, o.segment);
      return c != 0 ? c : Long.compare(offset, o.offset);
    }
  }

  private static final int HEADER = 8;
  /** Set in a record's key length: a record id follows the key. */
  private static final int HAS_RECORD_ID = 0x8000;
  private static final String CHECKPOINT = "spool.checkpoint";

  private final Path dir;
  private final long maxBytes;
  private final long segmentBytes;
  private final SpoolFullPolicy policy;
  /** segment id -> its state; the last one is being written. */
  private final TreeMap<Long, Segment> segments = new TreeMap<>();
  private Position head;
  private FileChannel writer;
  private long corrupt;
  private long dropped;
  private long refused;

  private static final class Segment {
    final long id;
    final Path path;
    /** Bytes of valid records (the readable end). */
    long size;
    /** Record start offsets, to count records behind or ahead of a position. */
    final List<Long> starts = new ArrayList<>();

    Segment(long id, Path path) {
      this.id = id;
      this.path = path;
    }
  }

  /**
   * Opens (or creates) the spool in {@code dir}.
   *
   * @param maxBytes upper bound of all segment files together
   * @param segmentBytes a segment rolls past this size
   */
  public DiskSpool(Path dir, long maxBytes, long segmentBytes, SpoolFullPolicy policy) {
    if (segmentBytes <= 0 || maxBytes < segmentBytes) {
      throw new IllegalArgumentException("spool: need 0 < segmentBytes <= maxBytes, got segmentBytes="
          + segmentBytes + " maxBytes=" + maxBytes);
    }
    this.dir = dir;
    this.maxBytes = maxBytes;
    this.segmentBytes = segmentBytes;
    this.policy = policy;
    try {
      // Captured prompts and answers: 0700/0600 whatever the umask (issue #15).
      PrivateFiles.directory(dir);
      PrivateFiles.restrictTree(dir);
      load();
    } catch (IOException e) {
      throw new UncheckedIOException("cannot open request log spool in " + dir + ": " + e.getMessage(), e);
    }
  }

  /**
   * Appends a record at the tail. Returns false if the spool is full and the policy is
   * {@link SpoolFullPolicy#REFUSE_NEW} (or the record alone is larger than the spool).
   */
  public boolean append(String key, byte[] value) {
    return append(key, null, value);
  }

  /**
   * Appends a record with its record id (null: none, as spools written before record ids).
   * Returns false if the spool is full and the policy is {@link SpoolFullPolicy#REFUSE_NEW} (or the
   * record alone is larger than the spool).
   */
  public boolean append(String key, String recordId, byte[] value) {
    byte[] k = key.getBytes(StandardCharsets.UTF_8);
    byte[] id = recordId == null ? null : recordId.getBytes(StandardCharsets.UTF_8);
    if (k.length >= HAS_RECORD_ID || (id != null && id.length > 255)) {
      throw new IllegalArgumentException("spool: key of " + k.length + " bytes or record id of "
          + (id == null ? 0 : id.length) + " bytes is too long");
    }
    int len = 2 + k.length + (id == null ? 0 : 1 + id.length) + value.length;
    long need = HEADER + (long) len;
    if (need > maxBytes) {
      refused++;
      return false;
    }
    while (totalBytes() + need > maxBytes) {
      if (policy == SpoolFullPolicy.REFUSE_NEW || !dropOldestSegment()) {
        refused++;
        return false;
      }
    }
    try {
      Segment tail = segments.lastEntry().getValue();
      if (tail.size > 0 && tail.size + need > segmentBytes) {
        tail = roll();
      }
      ByteBuffer buf = ByteBuffer.allocate((int) need);
      buf.putInt(len).putInt(0).putShort((short) (id == null ? k.length : k.length | HAS_RECORD_ID)).put(k);
      if (id != null) {
        buf.put((byte) id.length).put(id);
      }
      buf.put(value);
      CRC32C crc = new CRC32C();
      crc.update(buf.array(), HEADER, len);
      buf.putInt(4, (int) crc.getValue());
      buf.flip();
      long pos = tail.size;
      while (buf.hasRemaining()) {
        writer.write(buf, pos + buf.position());
      }
      tail.starts.add(pos);
      tail.size += need;
      return true;
    } catch (IOException e) {
      throw new UncheckedIOException("cannot write request log spool in " + dir + ": " + e.getMessage(), e);
    }
  }

  /** Up to {@code max} records from the read position, in order, without consuming them. */
  public List<SpooledRecord> peek(int max) {
    List<SpooledRecord> out = new ArrayList<>();
    Position p = head;
    try {
      for (Segment s : segments.tailMap(p.segment(), true).values()) {
        long off = s.id == p.segment() ? p.offset() : 0;
        if (off >= s.size) {
          continue;
        }
        try (FileChannel ch = FileChannel.open(s.path, StandardOpenOption.READ)) {
          while (off < s.size && out.size() < max) {
            ByteBuffer hdr = readFully(ch, off, HEADER);
            int len = hdr.getInt(0);
            ByteBuffer body = readFully(ch, off + HEADER, len);
            int keyField = body.getShort(0) & 0xffff;
            int keyLen = keyField & ~HAS_RECORD_ID;
            String key = new String(body.array(), 2, keyLen, StandardCharsets.UTF_8);
            int at = 2 + keyLen;
            String recordId = null;
            if ((keyField & HAS_RECORD_ID) != 0) {
              int idLen = body.get(at) & 0xff;
              recordId = new String(body.array(), at + 1, idLen, StandardCharsets.UTF_8);
              at += 1 + idLen;
            }
            byte[] value = new byte[len - at];
            System.arraycopy(body.array(), at, value, 0, value.length);
            off += HEADER + len;
            out.add(new SpooledRecord(key, recordId, value, new Position(s.id, off)));
          }
        }
        if (out.size() >= max) {
          break;
        }
      }
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read request log spool in " + dir + ": " + e.getMessage(), e);
    }
    return out;
  }

  /**
   * Marks everything before {@code upTo} as delivered: moves the read position, persists it and
   * deletes segments wholly behind it. A position behind the current one (its segment was dropped
   * meanwhile) is ignored.
   */
  public void commit(Position upTo) {
    if (upTo.compareTo(head) <= 0) {
      return;
    }
    head = upTo;
    try {
      Segment s = segments.get(head.segment());
      boolean atSegmentEnd = s != null && head.offset() >= s.size && head.segment() < segments.lastKey();
      if (atSegmentEnd) {
        head = new Position(segments.higherKey(head.segment()), 0);
      }
      writeCheckpoint();
      deleteSegmentsBefore(head.segment());
      if (isEmpty()) {
        // Everything delivered: start the next segment afresh so files do not grow forever.
        Segment tail = segments.lastEntry().getValue();
        if (tail.size > 0) {
          roll();
          head = new Position(segments.lastKey(), 0);
          writeCheckpoint();
          deleteSegmentsBefore(head.segment());
        }
      }
    } catch (IOException e) {
      throw new UncheckedIOException("cannot update request log spool checkpoint in " + dir + ": " + e.getMessage(), e);
    }
  }

  public boolean isEmpty() {
    Segment tail = segments.lastEntry().getValue();
    return head.segment() == tail.id && head.offset() >= tail.size;
  }

  /** Records not yet committed. */
  public long pendingRecords() {
    long n = 0;
    for (Segment s : segments.tailMap(head.segment(), true).values()) {
      if (s.id == head.segment()) {
        n += s.starts.stream().filter(o -> o >= head.offset()).count();
      } else {
        n += s.starts.size();
      }
    }
    return n;
  }

  /** Bytes of all segment files (what counts against the size limit). */
  public long totalBytes() {
    long n = 0;
    for (Segment s : segments.values()) {
      n += s.size;
    }
    return n;
  }

  public long droppedRecords() {
    return dropped;
  }

  public long refusedRecords() {
    return refused;
  }

  public long corruptRecords() {
    return corrupt;
  }

  /** Forces written records to the disk. */
  public void sync() {
    try {
      writer.force(false);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot fsync request log spool in " + dir + ": " + e.getMessage(), e);
    }
  }

  @Override
  public void close() {
    try {
      writer.force(true);
      writer.close();
    } catch (IOException e) {
      throw new UncheckedIOException("cannot close request log spool in " + dir + ": " + e.getMessage(), e);
    }
  }

  // ---- internals

  private void load() throws IOException {
    List<Long> ids = new ArrayList<>();
    try (Stream<Path> files = Files.list(dir)) {
      files.map(p -> p.getFileName().toString())
          .filter(n -> n.startsWith("spool-") && n.endsWith(".seg"))
          .forEach(n -> ids.add(Long.parseLong(n.substring(6, n.length() - 4))));
    }
    ids.sort(Long::compare);
    for (long id : ids) {
      Segment s = new Segment(id, segmentPath(id));
      scan(s);
      segments.put(id, s);
    }
    Position cp = readCheckpoint();
    if (segments.isEmpty()) {
      long id = cp == null ? 0 : cp.segment() + 1;
      segments.put(id, new Segment(id, segmentPath(id)));
      head = new Position(id, 0);
    } else if (cp == null || !segments.containsKey(cp.segment())) {
      // No checkpoint, or it points at a deleted segment: start at the oldest segment left.
      long first = cp == null ? segments.firstKey()
          : segments.ceilingKey(cp.segment()) == null ? segments.lastKey() : segments.ceilingKey(cp.segment());
      head = new Position(first, cp != null && first == cp.segment() ? cp.offset() : 0);
    } else {
      head = cp;
    }
    deleteSegmentsBefore(head.segment());
    Segment tail = segments.lastEntry().getValue();
    writer = FileChannel.open(tail.path, Set.of(StandardOpenOption.CREATE, StandardOpenOption.WRITE), PrivateFiles.fileAttributes(dir));
    // Cut a torn tail (or anything after a corrupt record) so appends continue from valid data.
    writer.truncate(tail.size);
  }

  /** Finds the valid records of a segment; stops at a torn or corrupt record. */
  private void scan(Segment s) throws IOException {
    try (FileChannel ch = FileChannel.open(s.path, StandardOpenOption.READ)) {
      long fileSize = ch.size();
      long off = 0;
      CRC32C crc = new CRC32C();
      while (off + HEADER <= fileSize) {
        ByteBuffer hdr = readFully(ch, off, HEADER);
        int len = hdr.getInt(0);
        int expected = hdr.getInt(4);
        if (len < 2 || off + HEADER + len > fileSize) {
          break; // torn write at the end
        }
        ByteBuffer body = readFully(ch, off + HEADER, len);
        crc.reset();
        crc.update(body.array(), 0, len);
        if ((int) crc.getValue() != expected) {
          corrupt++;
          break;
        }
        s.starts.add(off);
        off += HEADER + len;
      }
      s.size = off;
    }
  }

  private Segment roll() throws IOException {
    writer.force(true);
    writer.close();
    long id = segments.lastKey() + 1;
    Segment s = new Segment(id, segmentPath(id));
    segments.put(id, s);
    writer = FileChannel.open(s.path, Set.of(StandardOpenOption.CREATE, StandardOpenOption.WRITE,
        StandardOpenOption.TRUNCATE_EXISTING), PrivateFiles.fileAttributes(dir));
    return s;
  }

  /** Drops the oldest segment (rolling first if it is the only one). False if nothing to drop. */
  private boolean dropOldestSegment() {
    try {
      if (segments.size() == 1) {
        if (segments.firstEntry().getValue().size == 0) {
          return false;
        }
        roll();
      }
      Segment oldest = segments.firstEntry().getValue();
      long lost = oldest.id == head.segment()
          ? oldest.starts.stream().filter(o -> o >= head.offset()).count()
          : oldest.starts.size();
      dropped += lost;
      segments.remove(oldest.id);
      Files.deleteIfExists(oldest.path);
      if (head.segment() <= oldest.id) {
        head = new Position(segments.firstKey(), 0);
        writeCheckpoint();
      }
      return true;
    } catch (IOException e) {
      throw new UncheckedIOException("cannot drop a request log spool segment in " + dir + ": " + e.getMessage(), e);
    }
  }

  private void deleteSegmentsBefore(long id) throws IOException {
    while (!segments.isEmpty() && segments.firstKey() < id) {
      Segment s = segments.pollFirstEntry().getValue();
      Files.deleteIfExists(s.path);
    }
  }

  private Position readCheckpoint() throws IOException {
    Path p = dir.resolve(CHECKPOINT);
    if (!Files.exists(p)) {
      return null;
    }
    String[] parts = Files.readString(p, StandardCharsets.US_ASCII).trim().split("\\s+");
    try {
      return new Position(Long.parseLong(parts[0]), Long.parseLong(parts[1]));
    } catch (RuntimeException e) {
      return null; // unreadable checkpoint: re-deliver from the oldest segment rather than lose
    }
  }

  private void writeCheckpoint() throws IOException {
    Path tmp = dir.resolve(CHECKPOINT + ".tmp");
    try (FileChannel ch = FileChannel.open(tmp, Set.of(StandardOpenOption.CREATE, StandardOpenOption.WRITE,
        StandardOpenOption.TRUNCATE_EXISTING), PrivateFiles.fileAttributes(dir))) {
      ch.write(ByteBuffer.wrap((head.segment() + " " + head.offset() + "\n").getBytes(StandardCharsets.US_ASCII)));
      ch.force(true);
    }
    try {
      Files.move(tmp, dir.resolve(CHECKPOINT), StandardCopyOption.REPLACE_EXISTING,
          StandardCopyOption.ATOMIC_MOVE);
    } catch (AtomicMoveNotSupportedException e) {
      Files.move(tmp, dir.resolve(CHECKPOINT), StandardCopyOption.REPLACE_EXISTING);
    }
  }

  private Path segmentPath(long id) {
    return dir.resolve(String.format("spool-%020d.seg", id));
  }

  private static ByteBuffer readFully(FileChannel ch, long pos, int n) throws IOException {
    ByteBuffer b = ByteBuffer.allocate(n);
    while (b.hasRemaining()) {
      int r = ch.read(b, pos + b.position());
      if (r < 0) {
        throw new IOException("unexpected end of spool segment at " + (pos + b.position()));
      }
    }
    b.flip();
    return b;
  }
}
