package dev.switchboard.router.config;

import io.vertx.core.Vertx;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Arrays;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Polls the config file and hands every valid new version to {@code onValid}. Polling (by
 * content hash, on a worker thread) rather than a WatchService: it works the same on every
 * filesystem, including bind mounts and editors that replace files by rename.
 * An invalid new file is rejected with its reasons in the log; the old config keeps serving.
 */
public final class ConfigWatcher implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(ConfigWatcher.class);

  private final Vertx vertx;
  private final Path file;
  private final Consumer<GatewayConfig> onValid;
  private final long timerId;
  private byte[] lastHash;
  private volatile String lastRejection;

  public ConfigWatcher(Vertx vertx, Path file, long periodMs, Consumer<GatewayConfig> onValid) {
    this.vertx = vertx;
    this.file = file;
    this.onValid = onValid;
    this.lastHash = hash(read());
    this.timerId = vertx.setPeriodic(periodMs, t -> vertx.executeBlocking(this::check, false));
  }

  private Void check() {
    byte[] bytes = read();
    if (bytes == null) return null;
    byte[] h = hash(bytes);
    synchronized (this) {
      if (Arrays.equals(h, lastHash)) return null;
      lastHash = h;
    }
    try {
      // Relative paths (policy, classifier) resolve against the file's folder, as on the first load.
      GatewayConfig next = ConfigParser.parse(new String(bytes, java.nio.charset.StandardCharsets.UTF_8), file.toString(),
          file.toAbsolutePath().getParent());
      lastRejection = null;
      onValid.accept(next);
      LOG.info("config reloaded from {}: {} deployments, {} routes", file, next.deployments().size(), next.routes().size());
    } catch (ConfigException e) {
      lastRejection = e.getMessage();
      LOG.error("config reload rejected, the previous config keeps serving. {}", e.getMessage());
    } catch (RuntimeException e) {
      lastRejection = e.toString();
      LOG.error("config reload rejected, the previous config keeps serving: {}", e.toString());
    }
    return null;
  }

  /** The reason the last changed file was rejected, or null if it was accepted. */
  public String lastRejection() {
    return lastRejection;
  }

  private byte[] read() {
    try {
      return Files.readAllBytes(file);
    } catch (IOException e) {
      return null;
    }
  }

  private static byte[] hash(byte[] bytes) {
    if (bytes == null) return null;
    try {
      return MessageDigest.getInstance("SHA-256").digest(bytes);
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }

  @Override
  public void close() {
    vertx.cancelTimer(timerId);
  }
}
