package dev.switchboard.classifier.encoder;

import dev.switchboard.classifier.onnx.StaticEncoderOnnx;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.switchboard.classifier.base.ClassifierException;
import dev.switchboard.classifier.base.Hashing;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.Consumer;

/**
 * Where distilled static encoders live: one folder per encoder, {@code <id>-<sha12>/} holding
 * {@code encoder.onnx} and {@code encoder.json}. Distilled once by {@code switchboard distill} or,
 * when a model needs one that is not here, on first load; never committed (the table is derived
 * from MiniLM's weights, which come from a Maven jar).
 *
 * <p>The folder is {@code -Dswitchboard.encoders}, else {@code $SWITCHBOARD_ENCODERS}, else
 * {@code .switchboard/encoders} under {@code -Dswitchboard.home} (the launcher sets it to the
 * checkout), else under the working directory. Two processes that need the same encoder at once
 * distil it once: the second waits on a file lock and finds it done.
 */
public final class EncoderStore {

  /** Text whose embedding's first components a card records, so a model notices a different table. */
  public static final String PROBE_TEXT = "Route this prompt to the cheapest model that answers it well: explain B-tree splits.";
  static final int PROBE_DIMS = 8;

  private final Path dir;

  public EncoderStore(Path dir) {
    this.dir = dir;
  }

  /** The store at the default location (see class doc). */
  public static EncoderStore defaults() {
    String p = System.getProperty("switchboard.encoders");
    if (p == null || p.isBlank()) {
      p = System.getenv("SWITCHBOARD_ENCODERS");
    }
    if (p != null && !p.isBlank()) {
      return new EncoderStore(Path.of(p));
    }
    String home = System.getProperty("switchboard.home");
    Path base = home == null || home.isBlank() ? Path.of("") : Path.of(home);
    return new EncoderStore(base.resolve(".switchboard").resolve("encoders"));
  }

  public Path dir() {
    return dir;
  }

  /** The identity (sha256) of the static encoder of width {@code dim} distilled from the MiniLM on the classpath. */
  public static String identity(int dim) {
    return Hashing.sha256Hex(sourceSha256() + "\n" + StaticDistiller.RECIPE + "\ndim=" + dim);
  }

  private static String sourceSha256() {
    return Hashing.sha256Hex(MiniLmEncoder.resource(EncoderVariant.FP32, EncoderVariant.FP32.onnxResource()),
        MiniLmEncoder.resource(EncoderVariant.FP32, EncoderVariant.FP32.tokenizerResource()));
  }

  Path folder(String id, String sha) {
    return dir.resolve(id + "-" + sha.substring(0, 12));
  }

  /**
   * Opens the static encoder {@code id} with identity {@code sha256}, distilling it first when it
   * is not in the store and {@code distillIfMissing}.
   *
   * @throws ClassifierException when it is missing and may not be distilled, or when distilling
   *     here gives another identity (another MiniLM on the classpath)
   */
  public StaticEncoder open(String id, String sha256, boolean distillIfMissing, int threads, Consumer<String> log) {
    return open(id, sha256, distillIfMissing, threads, log, false);
  }

  /** As {@link #open(String, String, boolean, int, Consumer)}, with the graph in ONNX Runtime when {@code onnxRuntime}. */
  public StaticEncoder open(String id, String sha256, boolean distillIfMissing, int threads, Consumer<String> log,
      boolean onnxRuntime) {
    String tableId = StaticManifest.tableId(id);
    Path f = folder(tableId, sha256);
    if (!Files.isRegularFile(f.resolve(StaticManifest.FILE))) {
      if (!distillIfMissing) {
        throw new ClassifierException("static encoder " + tableId + " (sha256 " + sha256.substring(0, 12) + ") is not in "
            + dir.toAbsolutePath() + "; run `./switchboard distill --dims " + StaticManifest.dimOf(id) + "` once");
      }
      StaticManifest m = distill(StaticManifest.dimOf(id), threads, log);
      if (!m.sha256().equals(sha256)) {
        throw new ClassifierException("static encoder " + id + ": the model was trained on encoder sha256 " + sha256
            + " but distilling here gives " + m.sha256() + " (another MiniLM jar or recipe on the classpath)");
      }
    }
    StaticManifest m = StaticManifest.read(f);
    try {
      if (!StaticEncoderOnnx.GRAPH.equals(m.json().path("graph").asText())) {
        m = upgradeGraph(f, log);
      }
      return StaticEncoder.load(m, Files.readAllBytes(f.resolve(StaticManifest.ONNX_FILE)), threads, onnxRuntime,
          StaticManifest.maxTokensOf(id));
    } catch (IOException e) {
      throw new ClassifierException("cannot read " + f.resolve(StaticManifest.ONNX_FILE) + ": " + e.getMessage(), e);
    }
  }

  /**
   * Rewrites an encoder written with an older graph layout in the current one, from its own table
   * (the table and the identity do not change, so no distillation and no retraining).
   */
  private StaticManifest upgradeGraph(Path f, Consumer<String> log) throws IOException {
    try (FileChannel ch = FileChannel.open(dir.resolve(".lock"), StandardOpenOption.CREATE, StandardOpenOption.WRITE);
         FileLock ignored = ch.lock()) {
      StaticManifest m = StaticManifest.read(f);
      if (StaticEncoderOnnx.GRAPH.equals(m.json().path("graph").asText())) {
        return m; // another process did it while we waited
      }
      StaticTable table = StaticTable.of(StaticEncoderOnnx.readTable(Files.readAllBytes(f.resolve(StaticManifest.ONNX_FILE))));
      byte[] onnx = StaticEncoderOnnx.export(table.asOnnx(), graphMetadata(m.id(), m.sha256()));
      Path tmp = Files.createTempFile(f, ".encoder-", ".onnx");
      Files.write(tmp, onnx);
      Files.move(tmp, f.resolve(StaticManifest.ONNX_FILE), StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
      ObjectNode j = ((ObjectNode) m.json()).deepCopy();
      j.put("graph", StaticEncoderOnnx.GRAPH);
      j.put("onnx_sha256", Hashing.sha256Hex(onnx));
      StaticManifest up = new StaticManifest(m.id(), m.sha256(), m.dim(), m.sourceSha256(), Hashing.sha256Hex(onnx), j);
      up.write(f);
      log.accept("static encoder " + m.id() + ": graph rewritten as " + StaticEncoderOnnx.GRAPH + " in " + f);
      return up;
    }
  }

  private static Map<String, String> graphMetadata(String id, String sha) {
    Map<String, String> meta = new LinkedHashMap<>();
    meta.put("switchboard.encoder_id", id);
    meta.put("switchboard.encoder_sha256", sha);
    return meta;
  }

  /**
   * Distils the encoder of width {@code dim} into the store unless it is there already; returns
   * its manifest. Safe against a concurrent distillation by another process.
   */
  public StaticManifest distill(int dim, int threads, Consumer<String> log) {
    String id = StaticManifest.idFor(dim);
    String sha = identity(dim);
    Path f = folder(id, sha);
    try {
      Files.createDirectories(dir);
      try (FileChannel ch = FileChannel.open(dir.resolve(".lock"), StandardOpenOption.CREATE, StandardOpenOption.WRITE);
           FileLock ignored = ch.lock()) {
        if (Files.isRegularFile(f.resolve(StaticManifest.FILE))) {
          return StaticManifest.read(f);
        }
        log.accept("distilling static encoder " + id + " from MiniLM into " + f.toAbsolutePath() + " (once; ~30 s)");
        StaticDistiller.Result r = StaticDistiller.distill(dim, threads, log);
        byte[] onnx = StaticEncoderOnnx.export(r.table().asOnnx(), graphMetadata(id, sha));
        Path tmp = Files.createTempDirectory(dir, ".distill-");
        Files.write(tmp.resolve(StaticManifest.ONNX_FILE), onnx);
        ObjectNode j = StaticManifest.node();
        j.put("format", StaticManifest.FORMAT);
        j.put("id", id);
        j.put("sha256", sha);
        j.put("dim", dim);
        j.put("vocabulary", r.table().rows());
        ObjectNode src = j.putObject("source");
        src.put("id", EncoderVariant.FP32.id());
        src.put("artifact", EncoderVariant.FP32.artifact());
        src.put("sha256", sourceSha256());
        j.put("recipe", StaticDistiller.RECIPE);
        j.put("pca_variance_kept", Math.round(r.varianceKept() * 1e6) / 1e6);
        j.put("dropped_rows", r.droppedRows());
        j.put("graph", StaticEncoderOnnx.GRAPH);
        j.put("onnx_sha256", Hashing.sha256Hex(onnx));
        j.put("distilled_at", Instant.now().truncatedTo(ChronoUnit.SECONDS).toString());
        j.put("distill_seconds", Math.round(r.seconds() * 10) / 10.0);
        j.put("cpu", cpu());
        ObjectNode probe = j.putObject("probe");
        probe.put("text", PROBE_TEXT);
        ArrayNode pe = probe.putArray("embedding");
        float[] e = r.table().embed(probeIds(), probeIds().length);
        for (int i = 0; i < PROBE_DIMS; i++) {
          pe.add(e[i]);
        }
        StaticManifest m = new StaticManifest(id, sha, dim, src.path("sha256").asText(), j.path("onnx_sha256").asText(), j);
        m.write(tmp);
        try {
          Files.move(tmp, f, StandardCopyOption.ATOMIC_MOVE);
        } catch (AtomicMoveNotSupportedException e2) {
          Files.move(tmp, f);
        }
        log.accept(String.format("distilled %s in %.1f s (PCA keeps %.1f %% of the variance)", id, r.seconds(),
            r.varianceKept() * 100));
        return m;
      }
    } catch (IOException e) {
      throw new UncheckedIOException("cannot write static encoder to " + dir, e);
    }
  }

  /** Content ids of {@link #PROBE_TEXT}. */
  static int[] probeIds() {
    int[] ids = StaticEncoder.tokenizer().encode(PROBE_TEXT);
    return java.util.Arrays.copyOf(ids, StaticEncoder.contentIds(ids));
  }

  /** The first {@link #PROBE_DIMS} components of the probe's embedding under {@code table}. */
  public static float[] probe(StaticTable table) {
    int[] ids = probeIds();
    return java.util.Arrays.copyOf(table.embed(ids, ids.length), PROBE_DIMS);
  }

  private static String cpu() {
    try {
      for (String line : Files.readAllLines(Path.of("/proc/cpuinfo"))) {
        if (line.startsWith("model name")) {
          return line.substring(line.indexOf(':') + 1).trim();
        }
      }
    } catch (IOException | RuntimeException e) {
      // not Linux: fall through
    }
    return System.getProperty("os.arch");
  }

  /** Removes every encoder in the store (tests). */
  void clear() throws IOException {
    if (Files.isDirectory(dir)) {
      try (var s = Files.walk(dir)) {
        s.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
      }
    }
  }
}
