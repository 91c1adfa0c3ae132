package dev.switchboard.router.config;

import dev.switchboard.classifier.base.Hashing;
import io.vertx.core.Vertx;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Polls files by content on a worker thread: what the config file and the policy files share.
 * Polling by content hash rather than a WatchService works the same on every filesystem, including
 * bind mounts and editors that save by rename. {@link #start} runs {@code check} every period off
 * the event loop; {@link #changed} tells {@code check} which files differ from what it last saw.
 */
public final class FileWatch implements AutoCloseable {

  private final Vertx vertx;
  private long timerId = -1;
  /** sha256 of the content last seen, by the caller's key (a file, a route). */
  private final Map<String, byte[]> seen = new ConcurrentHashMap<>();

  /** A watch that does not poll yet: {@link #changed}/{@link #remember} bookkeeping until {@link #start}. */
  public FileWatch(Vertx vertx) {
    this.vertx = vertx;
  }

  /** Runs {@code check} on a worker thread every {@code periodMs} from now on (never when {@code periodMs <= 0}). */
  public synchronized FileWatch start(long periodMs, Runnable check) {
    if (timerId < 0 && periodMs > 0) {
      timerId = vertx.setPeriodic(periodMs, t -> vertx.executeBlocking(() -> {
        check.run();
        return null;
      }, false));
    }
    return this;
  }

  /**
   * The file's bytes if they differ from what was last seen (or remembered) under {@code key}, else
   * null; null too when the file cannot be read (a moment between an editor's delete and write).
   */
  public byte[] changed(String key, Path file) {
    byte[] bytes;
    try {
      bytes = Files.readAllBytes(file);
    } catch (IOException e) {
      return null;
    }
    byte[] h = Hashing.sha256().digest(bytes);
    byte[] before = seen.put(key, h);
    return Arrays.equals(before, h) ? null : bytes;
  }

  /** Records {@code content} as seen under {@code key} (loaded at start, or written by the gateway itself). */
  public void remember(String key, byte[] content) {
    seen.put(key, Hashing.sha256().digest(content));
  }

  @Override
  public synchronized void close() {
    if (timerId >= 0) {
      vertx.cancelTimer(timerId);
      timerId = -1;
    }
  }
}
