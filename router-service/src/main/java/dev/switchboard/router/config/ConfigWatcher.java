package dev.switchboard.router.config;

import io.vertx.core.Vertx;
import java.nio.file.Path;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Polls the config file ({@link FileWatch}) and hands every valid new version to {@code onValid}.
 * An invalid new file is rejected with its reasons in the log; the old config keeps serving.
 */
public final class ConfigWatcher implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(ConfigWatcher.class);

  private final Path file;
  private final Consumer<GatewayConfig> onValid;
  private final FileWatch watch;
  private volatile String lastRejection;

  public ConfigWatcher(Vertx vertx, Path file, long periodMs, Consumer<GatewayConfig> onValid) {
    this.file = file;
    this.onValid = onValid;
    this.watch = new FileWatch(vertx);
    watch.changed(file.toString(), file); // the version the gateway started with
    watch.start(periodMs, this::check);
  }

  private synchronized void check() {
    byte[] bytes = watch.changed(file.toString(), file);
    if (bytes == null) return;
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
  }

  /** The reason the last changed file was rejected, or null if it was accepted. */
  public String lastRejection() {
    return lastRejection;
  }

  @Override
  public void close() {
    watch.close();
  }
}
