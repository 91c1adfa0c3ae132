package dev.switchboard.classifier.train;

import dev.switchboard.classifier.encoder.Encoded;
import dev.switchboard.classifier.base.Hashing;
import dev.switchboard.classifier.encoder.MiniLmEncoder;
import java.io.BufferedInputStream;
import java.io.BufferedOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.function.Function;

/**
 * Sidecar file of embeddings so retraining does not re-encode thousands of prompts. The file
 * name carries the encoder hash and token budget (another encoder means another file); each
 * record is keyed by sha256 of the embedded text, so a change of the prompt-text rule simply
 * misses. Format: {@code "SBEC" int version int dim} then records {@code byte[32] key,
 * int tokenCount, float[dim]}; a torn last record (crash mid-append) is ignored.
 */
public final class EmbeddingCache implements Function<String, Encoded> {

  private static final int MAGIC = 0x53424543;
  private static final int VERSION = 1;

  private final Path file;
  private final int dim;
  private final Function<String, Encoded> encoder;
  private final Map<String, Encoded> entries = new HashMap<>();
  private final List<Map.Entry<byte[], Encoded>> pending = new ArrayList<>();
  private int hits;
  private int misses;
  /** Bytes of the file that hold a valid header and whole records (0: rewrite on save). */
  private long validBytes;

  private EmbeddingCache(Path file, int dim, Function<String, Encoded> encoder) {
    this.file = file;
    this.dim = dim;
    this.encoder = encoder;
  }

  /** The cache file for an encoder inside {@code dir}. */
  public static Path fileFor(Path dir, String encoderSha256) {
    return dir.resolve("embeddings-" + encoderSha256.substring(0, 16) + "-t" + MiniLmEncoder.MAX_TOKENS + ".bin");
  }

  /** Opens (or starts) the cache at {@code file}; misses are computed with {@code encoder}. */
  public static EmbeddingCache open(Path file, int dim, Function<String, Encoded> encoder) {
    EmbeddingCache c = new EmbeddingCache(file, dim, encoder);
    if (Files.isRegularFile(file)) {
      c.read();
    }
    return c;
  }

  private void read() {
    try (DataInputStream in = new DataInputStream(new BufferedInputStream(Files.newInputStream(file), 1 << 16))) {
      if (in.readInt() != MAGIC || in.readInt() != VERSION || in.readInt() != dim) {
        return; // foreign or old format: start over (the file is rewritten on save)
      }
      byte[] key = new byte[32];
      long recordBytes = 32 + 4 + 4L * dim;
      validBytes = 12;
      while (true) {
        try {
          in.readFully(key);
          int tokens = in.readInt();
          float[] e = new float[dim];
          for (int i = 0; i < e.length; i++) {
            e[i] = in.readFloat();
          }
          entries.put(HexFormat.of().formatHex(key), new Encoded(e, tokens));
          validBytes += recordBytes;
        } catch (EOFException eof) {
          return;
        }
      }
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read embedding cache " + file, e);
    }
  }

  @Override
  public Encoded apply(String text) {
    byte[] key = Hashing.sha256().digest(text.getBytes(StandardCharsets.UTF_8));
    String hex = HexFormat.of().formatHex(key);
    Encoded e = entries.get(hex);
    if (e != null) {
      hits++;
      return e;
    }
    misses++;
    e = encoder.apply(text);
    entries.put(hex, e);
    pending.add(Map.entry(key, e));
    return e;
  }

  public int hits() {
    return hits;
  }

  public int misses() {
    return misses;
  }

  public Path file() {
    return file;
  }

  /**
   * Appends new entries to the file (creating it and its directory if needed). A file with a
   * foreign header or a torn last record is rewritten whole, so appends never land after garbage.
   */
  public void save() {
    if (pending.isEmpty()) {
      return;
    }
    try {
      Files.createDirectories(file.toAbsolutePath().getParent());
      boolean fresh = validBytes == 0 || !Files.isRegularFile(file) || Files.size(file) != validBytes;
      var opts = fresh
          ? new StandardOpenOption[] {StandardOpenOption.CREATE, StandardOpenOption.TRUNCATE_EXISTING, StandardOpenOption.WRITE}
          : new StandardOpenOption[] {StandardOpenOption.APPEND};
      try (DataOutputStream out = new DataOutputStream(new BufferedOutputStream(Files.newOutputStream(file, opts), 1 << 16))) {
        if (fresh) {
          out.writeInt(MAGIC);
          out.writeInt(VERSION);
          out.writeInt(dim);
          for (Map.Entry<String, Encoded> e : entries.entrySet()) {
            write(out, HexFormat.of().parseHex(e.getKey()), e.getValue());
          }
        } else {
          for (Map.Entry<byte[], Encoded> p : pending) {
            write(out, p.getKey(), p.getValue());
          }
        }
      }
      pending.clear();
      validBytes = Files.size(file);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot write embedding cache " + file, e);
    }
  }

  private static void write(DataOutputStream out, byte[] key, Encoded e) throws IOException {
    out.write(key);
    out.writeInt(e.tokenCount());
    for (float f : e.embedding()) {
      out.writeFloat(f);
    }
  }
}
