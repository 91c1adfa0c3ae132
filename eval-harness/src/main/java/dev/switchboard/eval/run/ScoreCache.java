package dev.switchboard.eval.run;

import java.io.BufferedInputStream;
import java.io.BufferedOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;

/**
 * A {@link PromptScorer} that remembers scores on disk, so re-running eval or tune on the same
 * dataset does not re-embed tens of thousands of prompts. One file per classifier ONNX sha256
 * ({@code scores-<sha256>.bin}), so a retrained classifier never sees stale scores. Records are
 * keyed by sha256 of (kind, text, category). Format: {@code "SBSC" int version int width}, then
 * records {@code byte[32] key, double difficulty, double[width] quality}; new records are appended
 * by {@link #save}; a torn last record is ignored.
 */
public final class ScoreCache implements PromptScorer {
  private static final int MAGIC = 0x53425343;
  private static final int VERSION = 1;

  private final PromptScorer inner;
  private final Path file;
  private final int width;
  private final Map<String, PromptScore> entries = new HashMap<>();
  private final List<Map.Entry<String, PromptScore>> pending = new ArrayList<>();
  private int hits;

  private ScoreCache(PromptScorer inner, Path file) {
    this.inner = inner;
    this.file = file;
    this.width = inner.candidates().size();
  }

  /** Opens (or starts) the cache for {@code inner} in {@code dir}; an unreadable file is ignored. */
  public static ScoreCache open(PromptScorer inner, Path dir) {
    ScoreCache c = new ScoreCache(inner, dir.resolve("scores-" + inner.sha256() + ".bin"));
    c.load();
    return c;
  }

  private void load() {
    if (!Files.isRegularFile(file)) {
      return;
    }
    try (DataInputStream in = new DataInputStream(new BufferedInputStream(Files.newInputStream(file)))) {
      if (in.readInt() != MAGIC || in.readInt() != VERSION || in.readInt() != width) {
        return;
      }
      byte[] key = new byte[32];
      while (true) {
        try {
          in.readFully(key);
          double d = in.readDouble();
          double[] q = new double[width];
          for (int i = 0; i < width; i++) {
            q[i] = in.readDouble();
          }
          entries.put(HexFormat.of().formatHex(key), new PromptScore(d, q));
        } catch (EOFException torn) {
          return;
        }
      }
    } catch (IOException e) {
      entries.clear(); // a broken cache only costs time
    }
  }

  public int hits() {
    return hits;
  }

  public Path file() {
    return file;
  }

  @Override
  public String location() {
    return inner.location();
  }

  @Override
  public String sha256() {
    return inner.sha256();
  }

  @Override
  public List<String> candidates() {
    return inner.candidates();
  }

  @Override
  public Map<String, double[]> prices() {
    return inner.prices();
  }

  @Override
  public List<PromptScore> scoreBatch(List<PromptInput> batch) {
    PromptScore[] out = new PromptScore[batch.size()];
    String[] keys = new String[batch.size()];
    List<PromptInput> todo = new ArrayList<>();
    List<Integer> where = new ArrayList<>();
    for (int i = 0; i < batch.size(); i++) {
      keys[i] = key(batch.get(i));
      PromptScore hit = entries.get(keys[i]);
      if (hit != null) {
        out[i] = hit;
        hits++;
      } else {
        todo.add(batch.get(i));
        where.add(i);
      }
    }
    if (!todo.isEmpty()) {
      List<PromptScore> fresh = inner.scoreBatch(todo);
      for (int k = 0; k < fresh.size(); k++) {
        int i = where.get(k);
        out[i] = fresh.get(k);
        entries.put(keys[i], fresh.get(k));
        pending.add(Map.entry(keys[i], fresh.get(k)));
      }
    }
    return List.of(out);
  }

  /** Appends the scores computed since the last save. */
  public void save() throws IOException {
    if (pending.isEmpty()) {
      return;
    }
    Files.createDirectories(file.toAbsolutePath().getParent());
    boolean fresh = !Files.isRegularFile(file) || Files.size(file) == 0;
    try (OutputStream os = Files.newOutputStream(file, StandardOpenOption.CREATE, StandardOpenOption.APPEND);
        DataOutputStream out = new DataOutputStream(new BufferedOutputStream(os))) {
      if (fresh) {
        out.writeInt(MAGIC);
        out.writeInt(VERSION);
        out.writeInt(width);
      }
      for (Map.Entry<String, PromptScore> e : pending) {
        out.write(HexFormat.of().parseHex(e.getKey()));
        out.writeDouble(e.getValue().difficulty());
        for (double v : e.getValue().quality()) {
          out.writeDouble(v);
        }
      }
    }
    pending.clear();
  }

  static String key(PromptInput p) {
    MessageDigest md;
    try {
      md = MessageDigest.getInstance("SHA-256");
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
    boolean conv = p.messagesJson() != null;
    md.update(conv ? (byte) 'm' : (byte) 't');
    md.update((conv ? p.messagesJson() : p.text()).getBytes(StandardCharsets.UTF_8));
    md.update((byte) 0);
    if (p.category() != null) {
      md.update(p.category().getBytes(StandardCharsets.UTF_8));
    }
    return HexFormat.of().formatHex(md.digest());
  }

  /** sha256 of a file, streamed. */
  public static String sha256(Path file) throws IOException {
    MessageDigest md;
    try {
      md = MessageDigest.getInstance("SHA-256");
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
    byte[] buf = new byte[1 << 16];
    try (InputStream in = Files.newInputStream(file)) {
      int r;
      while ((r = in.read(buf)) > 0) {
        md.update(buf, 0, r);
      }
    }
    return HexFormat.of().formatHex(md.digest());
  }
}
