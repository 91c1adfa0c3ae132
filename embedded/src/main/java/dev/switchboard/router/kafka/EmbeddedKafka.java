package dev.switchboard.router.kafka;

import dev.switchboard.router.files.PrivateFiles;
import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import kafka.server.KafkaConfig;
import kafka.server.KafkaRaftServer;
import org.apache.kafka.common.Uuid;
import org.apache.kafka.common.utils.Time;
import org.apache.kafka.metadata.storage.Formatter;
import org.apache.kafka.server.common.MetadataVersion;

/**
 * A real single-node Kafka (KRaft, combined broker + controller) running inside this JVM.
 *
 * <p>The log directory is formatted once ({@code meta.properties} present means formatted) and
 * reused on every later start, so topics and records survive restarts. The client listener binds
 * to 127.0.0.1 only; the controller listener takes a fresh free port on each start (static quorum
 * with one voter: the controller endpoint is read from the config, not stored in the log).
 */
public final class EmbeddedKafka implements AutoCloseable {

  private static final int NODE_ID = 1;
  private static final String CONTROLLER_LISTENER = "CONTROLLER";
  private static final Duration SHUTDOWN_TIMEOUT = Duration.ofSeconds(20);

  private final Path dataDir;
  private final int port;
  private final KafkaRaftServer server;
  private volatile boolean closed;

  private EmbeddedKafka(Path dataDir, int port, KafkaRaftServer server) {
    this.dataDir = dataDir;
    this.port = port;
    this.server = server;
  }

  /**
   * Formats {@code dataDir} if needed and starts a broker listening on 127.0.0.1:{@code port}
   * ({@code port} 0 picks a free one). Returns once the broker accepts clients.
   */
  public static EmbeddedKafka start(Path dataDir, int port) {
    return start(dataDir, port, Map.of());
  }

  /** As {@link #start(Path, int)}, with extra broker properties that override the defaults. */
  public static EmbeddedKafka start(Path dataDir, int port, Map<String, String> overrides) {
    Path logDir = dataDir.toAbsolutePath().normalize();
    int clientPort = port == 0 ? freePort() : port;
    int controllerPort = freePort();
    // The log holds every captured prompt and answer: 0700 folders and 0600 files (issue #15).
    PrivateFiles.directory(logDir);
    Map<String, String> props = brokerProperties(logDir, clientPort, controllerPort);
    props.putAll(overrides);
    KafkaConfig config = new KafkaConfig(props, false);
    formatIfNeeded(logDir);
    KafkaRaftServer server = new KafkaRaftServer(config, Time.SYSTEM);
    try {
      server.startup();
      // What formatting and start-up created (and an older install's files) got the umask's mode;
      // files the broker creates later do too, but inside folders only we can enter.
      PrivateFiles.restrictTree(logDir);
    } catch (RuntimeException e) {
      shutdownQuietly(server);
      throw new IllegalStateException(
          "Kafka broker failed to start on 127.0.0.1:" + clientPort + " with data in " + logDir
              + ": " + e.getMessage(), e);
    }
    return new EmbeddedKafka(logDir, clientPort, server);
  }

  /** {@code 127.0.0.1:port}, for {@code bootstrap.servers}. */
  public String bootstrapServers() {
    return "127.0.0.1:" + port;
  }

  public int port() {
    return port;
  }

  public Path dataDir() {
    return dataDir;
  }

  /** Clean shutdown, bounded in time: after {@value #SHUTDOWN_TIMEOUT} s the broker is abandoned. */
  @Override
  public void close() {
    if (closed) {
      return;
    }
    closed = true;
    ExecutorService exec = Executors.newSingleThreadExecutor(r -> {
      Thread t = new Thread(r, "embedded-kafka-shutdown");
      t.setDaemon(true);
      return t;
    });
    try {
      Future<?> done = exec.submit(() -> {
        server.shutdown();
        server.awaitShutdown();
      });
      done.get(SHUTDOWN_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    } catch (ExecutionException | TimeoutException e) {
      // The broker's files are consistent after an unclean stop (KRaft recovers); a hung
      // shutdown must not hang the gateway or a test.
    } finally {
      exec.shutdownNow();
    }
  }

  static Map<String, String> brokerProperties(Path logDir, int clientPort, int controllerPort) {
    Map<String, String> p = new HashMap<>();
    p.put("process.roles", "broker,controller");
    p.put("node.id", Integer.toString(NODE_ID));
    p.put("controller.quorum.voters", NODE_ID + "@127.0.0.1:" + controllerPort);
    p.put("listeners",
        "PLAINTEXT://127.0.0.1:" + clientPort + "," + CONTROLLER_LISTENER + "://127.0.0.1:" + controllerPort);
    p.put("advertised.listeners", "PLAINTEXT://127.0.0.1:" + clientPort);
    p.put("listener.security.protocol.map", "PLAINTEXT:PLAINTEXT," + CONTROLLER_LISTENER + ":PLAINTEXT");
    p.put("controller.listener.names", CONTROLLER_LISTENER);
    p.put("inter.broker.listener.name", "PLAINTEXT");
    p.put("log.dirs", logDir.toString());
    p.put("metadata.log.dir", logDir.toString());
    // One node: every internal topic must fit on it, and small is quick to create.
    p.put("num.partitions", "1");
    p.put("default.replication.factor", "1");
    p.put("min.insync.replicas", "1");
    p.put("offsets.topic.num.partitions", "1");
    p.put("offsets.topic.replication.factor", "1");
    p.put("transaction.state.log.num.partitions", "1");
    p.put("transaction.state.log.replication.factor", "1");
    p.put("transaction.state.log.min.isr", "1");
    p.put("share.coordinator.state.topic.num.partitions", "1");
    p.put("share.coordinator.state.topic.replication.factor", "1");
    p.put("share.coordinator.state.topic.min.isr", "1");
    p.put("group.initial.rebalance.delay.ms", "0");
    // A gateway-side broker: keep memory small (the cleaner's dedupe buffer is 128 MB by default).
    p.put("log.cleaner.dedupe.buffer.size", "2097152");
    p.put("num.network.threads", "2");
    p.put("num.io.threads", "2");
    p.put("num.recovery.threads.per.data.dir", "1");
    p.put("controlled.shutdown.enable", "true");
    return p;
  }

  private static void formatIfNeeded(Path logDir) {
    if (Files.exists(logDir.resolve("meta.properties"))) {
      return;
    }
    try {
      new Formatter()
          .setPrintStream(new PrintStream(OutputStream.nullOutputStream()))
          .setNodeId(NODE_ID)
          .setClusterId(Uuid.randomUuid().toString())
          .setDirectories(List.of(logDir.toString()))
          .setMetadataLogDirectory(logDir.toString())
          .setReleaseVersion(MetadataVersion.latestProduction())
          .setControllerListenerName(CONTROLLER_LISTENER)
          .setIgnoreFormatted(true)
          .run();
    } catch (Exception e) {
      throw new IllegalStateException("cannot format Kafka data directory " + logDir + ": " + e.getMessage(), e);
    }
  }

  /** A currently free port on 127.0.0.1 (a small race with other processes is accepted). */
  public static int freePort() {
    try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      s.setReuseAddress(true);
      return s.getLocalPort();
    } catch (IOException e) {
      throw new UncheckedIOException("no free port on 127.0.0.1", e);
    }
  }

  private static void shutdownQuietly(KafkaRaftServer server) {
    try {
      server.shutdown();
    } catch (RuntimeException ignored) {
      // startup already failed; the original error is what matters
    }
  }
}
