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
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
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
 *
 * <p>Clients must authenticate: SASL/SCRAM-SHA-256 as a user generated at first start, whose
 * credentials are in {@code client.properties} in the data directory (0600); see
 * {@link BrokerCredentials}. Nobody else may read or write anything (an authorizer with that user
 * as the only super user), issue #15.
 */
public final class EmbeddedKafka implements AutoCloseable {

  private static final int NODE_ID = 1;
  private static final String CLIENT_LISTENER = "CLIENT";
  private static final String CONTROLLER_LISTENER = "CONTROLLER";
  private static final Duration SHUTDOWN_TIMEOUT = Duration.ofSeconds(20);

  private final Path dataDir;
  private final int port;
  private final KafkaRaftServer server;
  private final KafkaConnection connection;
  private volatile boolean closed;

  private EmbeddedKafka(Path dataDir, int port, KafkaRaftServer server, KafkaConnection connection) {
    this.dataDir = dataDir;
    this.port = port;
    this.server = server;
    this.connection = connection;
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
    boolean formatted = Files.exists(logDir.resolve("meta.properties"));
    Optional<BrokerCredentials> stored = BrokerCredentials.read(logDir);
    BrokerCredentials credentials = stored.orElseGet(BrokerCredentials::generate);
    // A log formatted before the broker had users (or whose credentials file was deleted) has no
    // SCRAM user for these credentials: this run also takes them over PLAIN to register one.
    boolean register = formatted && stored.isEmpty();
    Map<String, String> props = brokerProperties(logDir, clientPort, controllerPort, credentials);
    if (register) {
      props.putAll(plainForRegistration(credentials));
    }
    props.putAll(overrides);
    KafkaConfig config = new KafkaConfig(props, false);
    if (!formatted) {
      format(logDir, credentials);
    }
    String bootstrap = "127.0.0.1:" + clientPort;
    KafkaRaftServer server = new KafkaRaftServer(config, Time.SYSTEM);
    try {
      server.startup();
      if (register) {
        ScramBootstrap.register(credentials, bootstrap);
      }
      // Stored only once the broker knows the user: a crash before leaves no file that cannot log in.
      credentials.write(logDir, bootstrap);
      // What formatting and start-up created (and an older install's files) got the umask's mode;
      // files the broker creates later do too, but inside folders only we can enter.
      PrivateFiles.restrictTree(logDir);
    } catch (RuntimeException e) {
      shutdownQuietly(server);
      throw new IllegalStateException(
          "Kafka broker failed to start on " + bootstrap + " with data in " + logDir + ": " + e.getMessage(), e);
    }
    return new EmbeddedKafka(logDir, clientPort, server, credentials.connection(bootstrap));
  }

  /**
   * The client settings of the embedded broker whose data is in {@code dataDir}, as its last start
   * stored them ({@code dataDir/client.properties}), or empty if it never started there.
   */
  public static Optional<KafkaConnection> storedConnection(Path dataDir) {
    Path f = dataDir.resolve(BrokerCredentials.FILE);
    return Files.isRegularFile(f) ? Optional.of(KafkaConnection.fromFile(f, null)) : Optional.empty();
  }

  /**
   * The client settings a broker about to start on {@code dataDir} and {@code port} will take, for a
   * client made before it (a request log that starts spooling): the stored credentials, or new ones
   * stored now for the first start to format with.
   *
   * @throws IllegalStateException when the log is formatted but its credentials are lost: only a start can register new ones
   */
  public static KafkaConnection connectionFor(Path dataDir, int port) {
    Path logDir = dataDir.toAbsolutePath().normalize();
    String bootstrap = "127.0.0.1:" + port;
    Optional<BrokerCredentials> stored = BrokerCredentials.read(logDir);
    if (stored.isPresent()) {
      return stored.get().connection(bootstrap);
    }
    if (Files.exists(logDir.resolve("meta.properties"))) {
      throw new IllegalStateException(logDir + " is formatted but has no credentials; start the broker to register new ones");
    }
    PrivateFiles.directory(logDir);
    BrokerCredentials c = BrokerCredentials.generate();
    c.write(logDir, bootstrap);
    return c.connection(bootstrap);
  }

  /** The file {@link #storedConnection} reads: a Kafka client config, also for Kafka's own tools. */
  public static Path clientPropertiesFile(Path dataDir) {
    return dataDir.resolve(BrokerCredentials.FILE);
  }

  /** How a client reaches and authenticates to this broker (SASL_PLAINTEXT, SCRAM-SHA-256, the generated user). */
  public KafkaConnection connection() {
    return connection;
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

  static Map<String, String> brokerProperties(Path logDir, int clientPort, int controllerPort, BrokerCredentials c) {
    Map<String, String> p = new HashMap<>();
    p.put("process.roles", "broker,controller");
    p.put("node.id", Integer.toString(NODE_ID));
    p.put("controller.quorum.voters", NODE_ID + "@127.0.0.1:" + controllerPort);
    p.put("listeners",
        CLIENT_LISTENER + "://127.0.0.1:" + clientPort + "," + CONTROLLER_LISTENER + "://127.0.0.1:" + controllerPort);
    p.put("advertised.listeners", CLIENT_LISTENER + "://127.0.0.1:" + clientPort);
    p.put("controller.listener.names", CONTROLLER_LISTENER);
    p.put("inter.broker.listener.name", CLIENT_LISTENER);
    // Every listener authenticates: loopback alone lets any local user in (issue #15). Clients and
    // the broker itself use SCRAM-SHA-256 with the generated user, bootstrapped into the metadata log
    // at format time. The controller cannot use SCRAM: it checks SCRAM users against metadata that it
    // serves itself, so the broker's first call to it (registration) could never log in. It takes
    // PLAIN instead, with the same user and password held statically in its JAAS line; over loopback
    // nobody else can see the cleartext. SASL_PLAINTEXT, not SSL: loopback only, and no key store to manage.
    p.put("listener.security.protocol.map",
        CLIENT_LISTENER + ":SASL_PLAINTEXT," + CONTROLLER_LISTENER + ":SASL_PLAINTEXT");
    p.put("sasl.mechanism.inter.broker.protocol", BrokerCredentials.MECHANISM);
    p.put("sasl.mechanism.controller.protocol", "PLAIN");
    String client = "listener.name." + CLIENT_LISTENER.toLowerCase(Locale.ROOT) + ".";
    String controller = "listener.name." + CONTROLLER_LISTENER.toLowerCase(Locale.ROOT) + ".";
    p.put(client + "sasl.enabled.mechanisms", BrokerCredentials.MECHANISM);
    p.put(client + BrokerCredentials.MECHANISM.toLowerCase(Locale.ROOT) + ".sasl.jaas.config", c.scramJaas());
    p.put(controller + "sasl.enabled.mechanisms", "PLAIN");
    p.put(controller + "plain.sasl.jaas.config", c.plainJaas());
    // Authenticated is not enough: only the generated user may do anything, so a user added later
    // (or one left by an older credentials file) reads and writes nothing without an ACL.
    p.put("authorizer.class.name", "org.apache.kafka.metadata.authorizer.StandardAuthorizer");
    p.put("super.users", "User:" + c.user());
    p.put("allow.everyone.if.no.acl.found", "false");
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

  /**
   * For one run: the client listener also takes the generated user over PLAIN (its static JAAS
   * line), the same secret, so {@link ScramBootstrap} can log in and create the SCRAM user; the
   * broker's calls to itself use PLAIN meanwhile. The next start is SCRAM only.
   */
  private static Map<String, String> plainForRegistration(BrokerCredentials c) {
    String client = "listener.name." + CLIENT_LISTENER.toLowerCase(Locale.ROOT) + ".";
    return Map.of(
        client + "sasl.enabled.mechanisms", BrokerCredentials.MECHANISM + ",PLAIN",
        client + "plain.sasl.jaas.config", c.plainJaas(),
        "sasl.mechanism.inter.broker.protocol", "PLAIN");
  }

  private static void format(Path logDir, BrokerCredentials credentials) {
    try {
      new Formatter()
          .setPrintStream(new PrintStream(OutputStream.nullOutputStream()))
          .setNodeId(NODE_ID)
          .setClusterId(Uuid.randomUuid().toString())
          .setDirectories(List.of(logDir.toString()))
          .setMetadataLogDirectory(logDir.toString())
          .setReleaseVersion(MetadataVersion.latestProduction())
          .setControllerListenerName(CONTROLLER_LISTENER)
          .setScramArguments(List.of(credentials.scramArgument()))
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
