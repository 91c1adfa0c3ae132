package dev.switchboard.router.embeddings;

import dev.switchboard.classifier.encoder.Encoded;
import dev.switchboard.classifier.encoder.Encoder;
import dev.switchboard.classifier.encoder.EncoderVariant;
import dev.switchboard.classifier.encoder.Encoders;
import dev.switchboard.classifier.encoder.StaticManifest;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.ReentrantReadWriteLock;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The built-in embedding models, served in-process by the encoders the classifier ships: no provider, no key, no
 * cost. Each encoder is opened on first use (MiniLM loads in about a second; the static one is read from the encoder
 * store, distilled there first when missing, ~30 s once) and shared by every worker thread: the encoders keep a DJL
 * predictor per calling thread, as they are not thread-safe. Calls block: run them on a worker pool.
 */
public final class LocalModels implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(LocalModels.class);

  /** The prefix of every local model id: a deployment may not be named so. */
  public static final String PREFIX = "local/";

  /**
   * One local model.
   *
   * @param id what clients put in {@code model}
   * @param encoderId the encoder ({@link Encoders#open})
   * @param dim the embedding width
   * @param truncatable whether a prefix of the vector, renormalised, is a meaningful smaller embedding: true for the
   *     static encoder, whose components are PCA axes in order of variance; false for MiniLM
   */
  public record Model(String id, String encoderId, int dim, boolean truncatable) {}

  /** MiniLM itself (fp32, the sentence-transformers recipe: mean pooling, L2 norm; 256 tokens, head and tail). */
  public static final Model MINILM = new Model(PREFIX + EncoderVariant.FP32.id(), EncoderVariant.FP32.id(), 384, false);
  /** The static encoder distilled from MiniLM, reading every token: microseconds per text. */
  public static final Model STATIC = new Model(PREFIX + StaticManifest.idFor(Encoders.STATIC_DIM), StaticManifest.idFor(Encoders.STATIC_DIM),
      Encoders.STATIC_DIM, true);
  public static final List<Model> ALL = List.of(MINILM, STATIC);

  /** How long {@link #close} waits for embeddings in progress before it leaves the native sessions to the process exit. */
  static final long CLOSE_WAIT_MS = 30_000;

  private final Map<String, Encoder> open = new ConcurrentHashMap<>();
  /**
   * Calls hold the read side while they run; {@link #close} takes the write side, so an ONNX Runtime session is never
   * freed under a running call (that crashed the JVM with SIGSEGV when a stop came during a batch a client had left).
   */
  private final ReentrantReadWriteLock inUse = new ReentrantReadWriteLock();
  private volatile boolean closed;

  /** The local model {@code id}, or null. */
  public static Model find(String id) {
    for (Model m : ALL) if (m.id().equals(id)) return m;
    return null;
  }

  /** Embeds {@code texts} in order with {@code model}; blocking (opens the encoder on first use). */
  public List<Encoded> embed(Model model, List<String> texts) {
    inUse.readLock().lock();
    try {
      return encoder(model).encodeBatch(texts);
    } finally {
      inUse.readLock().unlock();
    }
  }

  /** The encoder behind {@code model}, opened once. */
  Encoder encoder(Model model) {
    if (closed) throw new IllegalStateException("local models are closed");
    return open.computeIfAbsent(model.id(), id -> {
      long t0 = System.nanoTime();
      Encoder e = Encoders.open(model.encoderId(), null, 1, LOG::info);
      LOG.info("local embedding model {} ready in {} ms", id, (System.nanoTime() - t0) / 1_000_000);
      return e;
    });
  }

  /** Calls running now (tests). */
  int busy() {
    return inUse.getReadLockCount();
  }

  /** Refuses new calls, waits for running ones (up to {@link #CLOSE_WAIT_MS}), then closes the encoders. */
  @Override
  public void close() {
    closed = true;
    try {
      if (!inUse.writeLock().tryLock(CLOSE_WAIT_MS, TimeUnit.MILLISECONDS)) {
        LOG.warn("local embedding models still busy after {} ms; leaving them to the process exit", CLOSE_WAIT_MS);
        return;
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return;
    }
    try {
      open.values().forEach(Encoder::close);
      open.clear();
    } finally {
      inUse.writeLock().unlock();
    }
  }
}
