package dev.switchboard.router.embedded;

import dev.switchboard.dataset.ModelPrices;
import dev.switchboard.dataset.recorded.RecordedAnswers;
import dev.switchboard.router.Gateway;
import dev.switchboard.router.files.PrivateFiles;
import dev.switchboard.router.config.ConfigParser;
import dev.switchboard.router.config.GatewayConfig;
import dev.switchboard.router.config.ServerConfig;
import dev.switchboard.router.dashboard.Dashboard;
import dev.switchboard.router.evaldriven.EvalDrivenSetup;
import dev.switchboard.router.governance.AuditPublisher;
import dev.switchboard.router.governance.GovernanceOptions;
import dev.switchboard.router.evaldriven.ReferencedFiles;
import dev.switchboard.router.kafka.EmbeddedKafka;
import dev.switchboard.router.kafka.KafkaConnection;
import dev.switchboard.router.metrics.GatewayMetrics;
import dev.switchboard.router.requestlog.KafkaRequestLog;
import dev.switchboard.router.requestlog.RequestLog;
import dev.switchboard.router.requestlog.RequestLogConfig;
import dev.switchboard.router.requestlog.RequestLogMetrics;
import dev.switchboard.router.requestlog.RequestLogObserver;
import dev.switchboard.router.upstream.LatencyProfile;
import dev.switchboard.router.upstream.RecordedUpstream;
import dev.switchboard.router.upstream.RecordedUpstreamOptions;
import dev.switchboard.router.tracing.Tracing;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The whole gateway process as {@code switchboard serve} runs it: the in-process recorded
 * upstream when the config needs it, and the gateway. Blocking start and close, for the CLI's
 * main thread and for tests (never call from an event loop).
 */
public final class SwitchboardServer implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(SwitchboardServer.class);

  private final Vertx vertx;
  private final Gateway gateway;
  private final RecordedUpstream recorded;
  private final EmbeddedKafka kafka;
  private final RequestLog requestLog;
  private final KafkaConnection kafkaConnection;
  private final EvalDrivenSetup evalDriven;
  private final AuditPublisher audit;
  private final Dashboard dashboard;
  private final Tracing tracing;

  private SwitchboardServer(Vertx vertx, Gateway gateway, RecordedUpstream recorded, EmbeddedKafka kafka, RequestLog requestLog,
      KafkaConnection kafkaConnection, EvalDrivenSetup evalDriven, AuditPublisher audit, Dashboard dashboard, Tracing tracing) {
    this.dashboard = dashboard;
    this.tracing = tracing;
    this.evalDriven = evalDriven;
    this.audit = audit;
    this.vertx = vertx;
    this.gateway = gateway;
    this.recorded = recorded;
    this.kafka = kafka;
    this.requestLog = requestLog;
    this.kafkaConnection = kafkaConnection;
  }

  public static SwitchboardServer start(ServerOptions o) throws Exception {
    GatewayConfig config;
    RecordedAnswers answers = null;
    if (o.configFile() == null) {
      answers = loadAnswers(o.home());
      ModelPrices prices = ModelPrices.load(o.home().resolve("datasets").resolve("models.json"));
      config = EmbeddedDefaults.config(ServerConfig.DEFAULTS, prices, answers.models(), o.home());
    } else {
      config = ConfigParser.parseFile(o.configFile());
    }
    ReferencedFiles.check(config, o.configFile() != null); // before anything starts: a missing policy or model is the user's to fix
    config = overridden(config, o);
    // Read once at startup (the classifier section needs a restart), so no reload has to redo it.
    if (o.scoringDeadlineMs() != null && config.classifier() != null) {
      config = config.withClassifier(config.classifier().withScoringDeadlineMs(o.scoringDeadlineMs()));
    }

    // Runtime state (broker log, spool, key store) is private to this user: 0700 (issue #15).
    PrivateFiles.directory(o.dataDir());
    GatewayMetrics metrics = new GatewayMetrics();
    Vertx vertx = Gateway.newVertx(metrics);
    EmbeddedKafka kafka = null;
    RequestLog log = null;
    EvalDrivenSetup evalDriven = null;
    AuditPublisher audit = null;
    Dashboard dashboard = null;
    Tracing tracing = Tracing.OFF;
    try {
      tracing = Tracing.fromEnvironment(o.env()); // OTEL_* variables; off when none asks for traces
      String bootstrap = o.kafkaBootstrap();
      // One set of client settings for every Kafka client here (request log, its admin and reconciler,
      // audit feed): the embedded broker's generated credentials, or the external cluster's settings.
      KafkaConnection connection = bootstrap == null ? null : new KafkaConnection(bootstrap, o.kafkaSettings());
      if (o.requestLog()) {
        if (connection == null) {
          kafka = EmbeddedKafka.start(o.dataDir().resolve("kafka"), freeOr(o.kafkaPort()));
          connection = kafka.connection();
          bootstrap = kafka.bootstrapServers();
          LOG.info("embedded Kafka broker (KRaft, SASL/SCRAM) at {}, data in {}, client settings in {}", bootstrap,
              o.dataDir().resolve("kafka"), EmbeddedKafka.clientPropertiesFile(kafka.dataDir()));
        }
        log = new KafkaRequestLog(RequestLogConfig.defaults(connection, o.dataDir().resolve("spool"))
            .withTopic(o.topic()).withCapture(o.capture()));
        RequestLogMetrics.bind(metrics.meterRegistry(), log);
      }
      RecordedUpstream recorded = null;
      if (config.usesInProcessRecorded()) {
        if (answers == null) answers = loadAnswers(o.home());
        RecordedUpstreamOptions ro = new RecordedUpstreamOptions("127.0.0.1", 0,
            o.realisticLatency() ? new LatencyProfile(250, 60) : LatencyProfile.NONE, Map.of());
        recorded = new RecordedUpstream(answers, ro);
        await(vertx.deployVerticle(recorded));
        config = config.withRecordedBaseUrl(recorded.baseUrl());
      }
      GovernanceOptions governance = new GovernanceOptions(o.dataDir(), java.time.Clock.systemUTC()); // the H2 store lives beside Kafka's log
      if (bootstrap != null && o.requestLog()) {
        // The audit feed rides on the request log's Kafka; without one the audit table alone is the record.
        audit = AuditPublisher.kafka(connection, config.storage().auditTopic());
        audit.bind(metrics.meterRegistry());
        governance = governance.withAuditPublisher(audit);
      }
      Gateway.Options go = Gateway.Options.of(config).withEnv(o.env()).withGovernance(governance).withTracing(tracing);
      if (o.configFile() != null) go = go.withConfigFile(o.configFile()).withReloadTransform(reloaded(o, recorded));
      if (log != null) go = go.withObserver(new RequestLogObserver(log));
      if (config.hasEvalDrivenRoutes()) {
        evalDriven = EvalDrivenSetup.create(vertx, config, metrics, o.dataDir(), o.home());
        go = evalDriven.apply(go, o.env());
      }
      dashboard = new Dashboard(metrics, o.capture(), java.time.Clock.systemUTC());
      go = withDashboard(go, dashboard);
      Gateway gateway = await(Gateway.start(vertx, metrics, go));
      restrictGovernanceFiles(o.dataDir());
      if (evalDriven != null) evalDriven.started(gateway);
      dashboard.started(vertx, gateway::snapshot, gateway.governance());
      SwitchboardServer server = new SwitchboardServer(vertx, gateway, recorded, kafka, log, connection, evalDriven, audit, dashboard, tracing);
      server.onShutdownRequest(server::closeInBackground);
      return server;
    } catch (Exception e) {
      if (dashboard != null) dashboard.close();
      if (evalDriven != null) evalDriven.close();
      if (audit != null) audit.close();
      if (log != null) log.close();
      if (kafka != null) kafka.close();
      tracing.close();
      vertx.close();
      throw e;
    }
  }

  /** The live dashboard's observer and routes on top of what {@code go} already has (issue #17). */
  private static Gateway.Options withDashboard(Gateway.Options go, Dashboard dashboard) {
    java.util.function.Consumer<io.vertx.ext.web.Router> routes = go.extraRoutes();
    return go.withObserver(dev.switchboard.router.chat.ExchangeObserver.all(List.of(go.observer(), dashboard.observer())))
        .withExtraRoutes(r -> {
          routes.accept(r);
          dashboard.mount(r);
        });
  }

  /** {@code port} if it can be bound on loopback, else any free port (a second gateway on one machine). */
  static int freeOr(int port) {
    if (port == 0) return 0;
    try (java.net.ServerSocket s = new java.net.ServerSocket()) {
      s.setReuseAddress(true);
      s.bind(new java.net.InetSocketAddress("127.0.0.1", port));
      return port;
    } catch (java.io.IOException e) {
      LOG.warn("port {} is taken; the embedded Kafka broker takes a free port instead", port);
      return 0;
    }
  }

  /**
   * What start() did to the file's config, redone on every reload: the command line's host and
   * port win, and recorded deployments without base_url point at the running recorded upstream
   * (one added by a reload when none was started stays unreachable until a restart).
   */
  private static java.util.function.UnaryOperator<GatewayConfig> reloaded(ServerOptions o, RecordedUpstream recorded) {
    return next -> {
      GatewayConfig c = overridden(next, o);
      return recorded == null ? c : c.withRecordedBaseUrl(recorded.baseUrl());
    };
  }

  /** The command line over the file: host, port and --insecure-no-auth. */
  private static GatewayConfig overridden(GatewayConfig config, ServerOptions o) {
    ServerConfig s = config.server();
    s = s.withHostPort(o.host() != null ? o.host() : s.host(), o.port() != null ? o.port() : s.port());
    if (o.insecureNoAuth()) s = s.withAuth(s.auth(), true);
    return config.withServer(s);
  }

  static RecordedAnswers loadAnswers(Path home) {
    long t0 = System.nanoTime();
    RecordedAnswers a = RecordedAnswers.load(home.resolve("datasets").resolve("recorded").resolve("answers.parquet"));
    LOG.info("recorded answers of {} models loaded in {} ms", a.models().size(), (System.nanoTime() - t0) / 1_000_000);
    return a;
  }

  static <T> T await(Future<T> f) throws Exception {
    return f.toCompletionStage().toCompletableFuture().get(60, TimeUnit.SECONDS);
  }

  public int port() {
    return gateway.port();
  }

  public String baseUrl() {
    return "http://127.0.0.1:" + gateway.port();
  }

  /** Eval-driven routing (classifier, policies), or null when no route is eval-driven. */
  public EvalDrivenSetup evalDriven() {
    return evalDriven;
  }

  public Gateway gateway() {
    return gateway;
  }

  /** The in-process recorded upstream's base URL (…/v1), or null when the config does not use it. */
  public String recordedBaseUrl() {
    return recorded == null ? null : recorded.baseUrl();
  }

  /** Kafka bootstrap servers of the request log (embedded or external), or null when logging is off. */
  public String kafkaBootstrap() {
    return kafkaConnection == null ? null : kafkaConnection.bootstrapServers();
  }

  /** The request log's Kafka with its client security settings, or null when logging is off. */
  public KafkaConnection kafkaConnection() {
    return kafkaConnection;
  }

  public RequestLog requestLog() {
    return requestLog;
  }

  private final java.util.concurrent.atomic.AtomicBoolean closed = new java.util.concurrent.atomic.AtomicBoolean();
  private final java.util.concurrent.CountDownLatch stopped = new java.util.concurrent.CountDownLatch(1);

  /**
   * What {@code POST /admin/shutdown} does. By default {@link #close} on a thread of its own (the call comes from a
   * worker of the gateway being drained); {@code switchboard serve} sets its own stop, as for SIGTERM.
   */
  public void onShutdownRequest(Runnable action) {
    gateway.onShutdownRequest(action);
  }

  private void closeInBackground() {
    Thread t = new Thread(() -> {
      try {
        close();
      } catch (Exception e) {
        LOG.warn("graceful stop failed: {}", e.toString());
      }
    }, "switchboard-stop");
    t.start();
  }

  /** Waits until {@link #close} has finished (by a signal, a shutdown request or a caller); false on timeout. */
  public boolean awaitStopped(long timeout, TimeUnit unit) throws InterruptedException {
    return stopped.await(timeout, unit);
  }

  /**
   * Graceful: /readyz fails, the listener closes after {@code server.drain_grace_ms}, requests and streams in flight
   * finish within {@code server.drain_timeout_ms}, then the request log is flushed (to Kafka or the spool) and the
   * broker stops. Closing twice (a signal, then the JVM's shutdown hook) does it once.
   */
  @Override
  public void close() throws Exception {
    if (!closed.compareAndSet(false, true)) return;
    try {
      stop();
    } finally {
      stopped.countDown();
    }
  }

  private void stop() throws Exception {
    ServerConfig s = gateway.snapshot().config().server();
    try {
      gateway.drain(s.drainGraceMs(), s.drainTimeoutMs()).toCompletionStage().toCompletableFuture()
          .get(s.drainGraceMs() + s.drainTimeoutMs() + 5_000, TimeUnit.MILLISECONDS);
    } catch (java.util.concurrent.TimeoutException e) {
      LOG.warn("draining took longer than drain_grace_ms + drain_timeout_ms; closing what is left");
    }
    dashboard.close();
    gateway.close();
    await(vertx.close());
    if (evalDriven != null) evalDriven.close();
    if (audit != null) audit.close(); // after the gateway: its last admin calls' entries are queued by now
    if (requestLog != null) requestLog.close();
    if (kafka != null) kafka.close();
    tracing.close(); // after the drain: the last requests' spans are exported
  }

  /** The embedded H2 key store's files (governance.*) in the data directory: 0600 like the rest of its state. */
  private static void restrictGovernanceFiles(java.nio.file.Path dataDir) {
    try (java.util.stream.Stream<java.nio.file.Path> files = java.nio.file.Files.list(dataDir)) {
      files.filter(f -> f.getFileName().toString().startsWith("governance.")).forEach(PrivateFiles::restrictFile);
    } catch (java.io.IOException e) {
      LOG.warn("cannot list {}: {}", dataDir, e.getMessage());
    }
  }
}
