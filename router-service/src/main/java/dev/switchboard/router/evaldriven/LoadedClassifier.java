package dev.switchboard.router.evaldriven;

import dev.switchboard.classifier.Classifier;
import java.time.Instant;
import java.util.concurrent.atomic.AtomicInteger;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A classifier in the router's memory, reference-counted: the routes whose live policy uses it hold
 * one reference each, and every scoring job holds one until it is scored. A hot swap drops the
 * route's reference after the new pair is live, so requests already being scored finish on the old
 * classifier, which is closed when its last reference goes.
 */
final class LoadedClassifier {
  private static final Logger LOG = LoggerFactory.getLogger(LoadedClassifier.class);

  private final Classifier classifier;
  private final String path;
  private final Instant loadedAt;
  /** Starts at 1: the creator's reference, released once the routes that use it took theirs. */
  private final AtomicInteger refs = new AtomicInteger(1);

  public LoadedClassifier(Classifier classifier, String path, Instant loadedAt) {
    this.classifier = classifier;
    this.path = path;
    this.loadedAt = loadedAt;
  }

  public Classifier classifier() {
    return classifier;
  }

  public String sha256() {
    return classifier.card().onnxSha256();
  }

  /** The model directory it was loaded from. */
  public String path() {
    return path;
  }

  public Instant loadedAt() {
    return loadedAt;
  }

  /** Takes a reference unless the classifier is already closed (its last reference went). */
  public boolean tryAcquire() {
    while (true) {
      int r = refs.get();
      if (r <= 0) return false;
      if (refs.compareAndSet(r, r + 1)) return true;
    }
  }

  /** Drops a reference; the last one closes the classifier. */
  public void release() {
    int r = refs.decrementAndGet();
    if (r == 0) {
      classifier.close();
      LOG.info("classifier {} ({}) closed: no route or scoring uses it any more", sha256().substring(0, 12), path);
    } else if (r < 0) {
      LOG.error("classifier {} released more often than acquired", sha256().substring(0, 12));
    }
  }

  /** Whether it was closed (for tests and the admin API). */
  public boolean closed() {
    return refs.get() <= 0;
  }
}
