package dev.switchboard.router.evaldriven;

import dev.switchboard.classifier.base.Jackson;
import com.fasterxml.jackson.databind.JsonNode;
import dev.switchboard.classifier.Classifier;
import dev.switchboard.classifier.ClassifierCard;
import dev.switchboard.classifier.base.ClassifierException;
import dev.switchboard.classifier.ClassifierOptions;
import dev.switchboard.classifier.base.Hashing;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Instant;
import java.util.Comparator;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Classifiers uploaded through {@code PUT /admin/classifiers/{sha256}}, one directory per sha256
 * ({@code card.json} + {@code classifier.onnx}) under {@code DATA_DIR/classifiers/}. The encoder is
 * not uploaded: it comes from the jar, and the card must name that very encoder.
 *
 * <p>Retention: after an upload and after a classifier swap, {@link #prune} deletes the uploads that
 * no route uses and that are not among the {@link #KEEP_UPLOADS} most recently uploaded. Recency is the
 * directory's modification time, set on every upload (re-uploading a stored classifier counts).
 */
final class ClassifierStore {
  private static final Logger LOG = LoggerFactory.getLogger(ClassifierStore.class);
  private static final Pattern SHA256 = Pattern.compile("[0-9a-f]{64}");
  /**
   * Unused uploads kept besides the ones in use. Each is small (the heads, tens of kB), so the limit is
   * about an ever-growing directory, not space; five keeps the last few retrains around, so going back
   * to a recent pair is publishing its policy again without re-uploading its classifier.
   */
  public static final int KEEP_UPLOADS = 5;

  private final Path root;
  private final Path home;
  private final ClassifierOptions options;
  /** Folders a policy's classifier.path may name (besides the policy's own folder): see {@link #resolve}. */
  private final java.util.List<Path> trusted = new java.util.concurrent.CopyOnWriteArrayList<>();

  /**
   * @param root {@code DATA_DIR/classifiers}, or null when the router has no data directory (uploads refused)
   * @param home the Switchboard home, a last base for relative classifier paths ({@code models/default}), or null
   */
  public ClassifierStore(Path root, Path home, ClassifierOptions options) {
    this.root = root;
    this.home = home;
    this.options = options;
    if (root != null) trust(root);
    if (home != null) trust(home.resolve("models"));
  }

  /** Lets policies load classifiers from under {@code folder} (e.g. the folder of the configured classifier). */
  public void trust(Path folder) {
    trusted.add(folder.toAbsolutePath().normalize());
  }

  /** A policy's classifier.path outside every folder a policy may load from. */
  public static final class PathNotAllowed extends RuntimeException {
    PathNotAllowed(String message) {
      super(message);
    }
  }

  /**
   * The model directory a policy's {@code classifier.path} names: as written (relative to the working
   * directory), else relative to the policy file's directory, else to the Switchboard home; null if none
   * holds a classifier. Only folders under the models folder, the upload store, the configured
   * classifier's folder or the policy's own folder count (symbolic links and {@code ..} resolved):
   * a policy cannot load a model from anywhere else, and for a path outside them the answer does not
   * say whether anything is there.
   *
   * @throws PathNotAllowed when every reading of {@code path} is outside those folders
   */
  public Path resolve(String path, Path policyFile) {
    if (path == null || path.isBlank()) return null;
    Path given = Path.of(path);
    Path policyDir = policyFile == null ? null : policyFile.toAbsolutePath().normalize().getParent();
    java.util.List<Path> tries = new java.util.ArrayList<>(java.util.List.of(given));
    if (!given.isAbsolute()) {
      if (policyDir != null) tries.add(policyDir.resolve(given));
      if (home != null) tries.add(home.resolve(given));
    }
    java.util.List<Path> roots = new java.util.ArrayList<>(trusted);
    if (policyDir != null) roots.add(policyDir);
    java.util.List<Path> allowed = tries.stream().filter(d -> inside(d, roots)).toList();
    if (allowed.isEmpty()) {
      throw new PathNotAllowed("classifier.path '" + path + "' is outside the folders a policy may load a classifier from"
          + " (the models folder, the policy's own folder, the configured classifier's folder and uploads: PUT /admin/classifiers)");
    }
    return allowed.stream().filter(d -> Files.isRegularFile(d.resolve(ClassifierCard.ONNX_FILE))).findFirst().orElse(null);
  }

  private static boolean inside(Path dir, java.util.List<Path> roots) {
    Path real = realOrNormal(dir);
    return roots.stream().map(ClassifierStore::realOrNormal).anyMatch(real::startsWith);
  }

  /** The real path (links resolved) when it exists, else the normalised absolute one. */
  private static Path realOrNormal(Path p) {
    try {
      return p.toRealPath();
    } catch (java.io.IOException e) {
      return p.toAbsolutePath().normalize();
    }
  }

  public static boolean isSha256(String s) {
    return s != null && SHA256.matcher(s).matches();
  }

  /** The directory of an uploaded classifier, or null when none with that sha256 was uploaded. */
  public Path find(String sha256) {
    if (root == null || !isSha256(sha256)) return null;
    Path d = root.resolve(sha256);
    return Files.isRegularFile(d.resolve(ClassifierCard.ONNX_FILE)) ? d : null;
  }

  /** What an upload stored. */
  public record Stored(String sha256, Path dir, ClassifierCard card, boolean alreadyThere) {}

  /** Why an upload was refused; {@code status} 400 for a malformed request, 422 for a classifier that cannot serve. */
  public static final class UploadRejected extends RuntimeException {
    private final int status;

    UploadRejected(int status, String message) {
      super(message, null, false, false);
      this.status = status;
    }

    public int status() {
      return status;
    }
  }

  /**
   * Checks and stores an upload: the ONNX bytes must hash to {@code sha256}, the card must say the
   * same, and the pair must load (encoder of this build, output width = candidates). Blocking.
   */
  public Stored put(String sha256, JsonNode card, byte[] onnx) {
    if (root == null) throw new UploadRejected(422, "this router has no data directory to store classifiers in");
    if (!isSha256(sha256)) throw new UploadRejected(400, "the URL must end in the classifier's sha256 (64 lowercase hex digits), got '" + sha256 + "'");
    String actual = Hashing.sha256Hex(onnx);
    if (!actual.equals(sha256)) {
      throw new UploadRejected(422, "classifier hash mismatch: the uploaded classifier.onnx has sha256 " + actual + ", the URL says " + sha256);
    }
    ClassifierCard parsed;
    try {
      parsed = ClassifierCard.parse(card, "card");
    } catch (ClassifierException e) {
      throw new UploadRejected(422, e.getMessage());
    }
    if (!sha256.equals(parsed.onnxSha256())) {
      throw new UploadRejected(422, "classifier hash mismatch: card field 'onnx.sha256' is " + parsed.onnxSha256() + ", the uploaded classifier.onnx has " + sha256);
    }
    Path dir = root.resolve(sha256);
    synchronized (this) {
      if (Files.isRegularFile(dir.resolve(ClassifierCard.ONNX_FILE))) {
        touch(dir);
        return new Stored(sha256, dir, parsed, true);
      }
    }
    Path tmp = null;
    try {
      Files.createDirectories(root);
      tmp = Files.createTempDirectory(root, ".upload-");
      Files.write(tmp.resolve(ClassifierCard.FILE), Jackson.PRETTY.writer().writeValueAsBytes(card));
      Files.write(tmp.resolve(ClassifierCard.ONNX_FILE), onnx);
      try (Classifier c = Classifier.load(tmp, new ClassifierOptions(1, 0))) {
        c.score(dev.switchboard.classifier.base.ScoringInput.ofText("A test prompt for the uploaded classifier."));
      } catch (ClassifierException e) {
        throw new UploadRejected(422, "the classifier cannot be loaded: " + e.getMessage().replace(tmp.toString(), "upload"));
      } catch (RuntimeException e) {
        throw new UploadRejected(422, "the classifier cannot be loaded: " + e.getClass().getSimpleName());
      }
      synchronized (this) { // not while prune() decides what to delete
        try {
          Files.move(tmp, dir, StandardCopyOption.ATOMIC_MOVE);
        } catch (java.nio.file.FileAlreadyExistsException | java.nio.file.DirectoryNotEmptyException e) {
          touch(dir);
          return new Stored(sha256, dir, parsed, true); // a concurrent upload of the same classifier won
        }
        touch(dir);
      }
      tmp = null;
      LOG.info("classifier {} stored in {} (candidates {})", sha256.substring(0, 12), dir, parsed.candidateNames());
      return new Stored(sha256, dir, parsed, false);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot store the classifier in " + root, e);
    } finally {
      if (tmp != null) deleteTree(tmp);
    }
  }

  /**
   * Deletes every uploaded classifier whose sha256 is not in {@code inUse} and that is not among the
   * {@link #KEEP_UPLOADS} most recently uploaded. {@code inUse} is asked while the store is locked, so a
   * caller that marks a classifier as in use and then finds and loads it under the same lock
   * ({@code synchronized (store)}) never has it deleted underneath. Blocking; returns the deleted sha256s.
   */
  public synchronized java.util.List<String> prune(java.util.function.Supplier<java.util.Set<String>> inUse) {
    if (root == null || !Files.isDirectory(root)) return java.util.List.of();
    java.util.List<Path> uploads;
    try (Stream<Path> s = Files.list(root)) {
      // newest first; equal times by name, so the choice is stable
      uploads = s.filter(d -> isSha256(d.getFileName().toString()) && Files.isDirectory(d))
          .sorted(Comparator.comparing(ClassifierStore::uploadedAt).reversed().thenComparing(d -> d.getFileName().toString()))
          .toList();
    } catch (IOException e) {
      LOG.warn("cannot list uploaded classifiers in {}: {}", root, e.getMessage());
      return java.util.List.of();
    }
    java.util.Set<String> used = inUse.get();
    java.util.List<String> deleted = new java.util.ArrayList<>();
    for (Path d : uploads.subList(Math.min(KEEP_UPLOADS, uploads.size()), uploads.size())) {
      String sha = d.getFileName().toString();
      if (used.contains(sha)) continue;
      deleteTree(d);
      deleted.add(sha);
    }
    if (!deleted.isEmpty()) {
      LOG.info("deleted {} uploaded classifier(s) no route uses, keeping the {} most recent: {}", deleted.size(), KEEP_UPLOADS,
          deleted.stream().map(x -> x.substring(0, 12)).toList());
    }
    return deleted;
  }

  private static java.time.Instant uploadedAt(Path dir) {
    try {
      return Files.getLastModifiedTime(dir).toInstant();
    } catch (IOException e) {
      return Instant.EPOCH;
    }
  }

  /** Marks an upload as the most recent (set explicitly: the kernel's own timestamps are coarser than back-to-back uploads). */
  private static void touch(Path dir) {
    try {
      Files.setLastModifiedTime(dir, java.nio.file.attribute.FileTime.from(Instant.now()));
    } catch (IOException e) {
      LOG.warn("cannot mark {} as recently uploaded: {}", dir, e.getMessage());
    }
  }

  /** Loads a model directory as a (not yet warmed) classifier. */
  public LoadedClassifier load(Path dir) {
    return new LoadedClassifier(Classifier.load(dir, options), dir.toString(), Instant.now());
  }

  private static void deleteTree(Path p) {
    try (Stream<Path> s = Files.walk(p)) {
      s.sorted(Comparator.reverseOrder()).forEach(f -> f.toFile().delete());
    } catch (IOException e) {
      LOG.warn("cannot delete {}: {}", p, e.getMessage());
    }
  }
}
