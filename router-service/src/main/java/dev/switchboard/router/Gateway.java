package dev.switchboard.router;

import dev.switchboard.router.accesslog.AccessLog;
import dev.switchboard.router.chat.ExchangeObserver;
import dev.switchboard.router.chat.RouteResolver;
import dev.switchboard.router.config.ConfigWatcher;
import dev.switchboard.router.config.GatewayConfig;
import dev.switchboard.router.config.GatewaySnapshot;
import dev.switchboard.router.config.ServerConfig;
import dev.switchboard.router.http.GatewayVerticle;
import dev.switchboard.router.governance.Governance;
import dev.switchboard.router.governance.GovernanceOptions;
import dev.switchboard.router.metrics.GatewayMetrics;
import dev.switchboard.router.resilience.Breakers;
import dev.switchboard.router.tracing.Tracing;
import io.vertx.core.DeploymentOptions;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;
import io.vertx.ext.web.Router;
import io.vertx.micrometer.MetricsDomain;
import io.vertx.micrometer.MicrometerMetricsFactory;
import io.vertx.micrometer.MicrometerMetricsOptions;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.BooleanSupplier;
import java.util.function.Consumer;
import java.util.function.Function;
import java.util.function.UnaryOperator;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The running gateway: a Vert.x instance, the live config snapshot, breakers, metrics and the
 * HTTP server verticles. Built explicitly by {@link #start}; no container.
 */
public final class Gateway implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(Gateway.class);

  /**
   * What to start. {@code configFile} (nullable) is watched for hot reload; {@code config} is the
   * initial config (parsed from that file, or built in code for the embedded defaults).
   * {@code reloadTransform} is applied to every reloaded file before it goes live, so what the
   * launcher did to the initial config (command-line host/port, the in-process recorded
   * upstream's URL) holds after a reload too.
   */
  public record Options(GatewayConfig config, Path configFile, Function<String, String> env, RouteResolver resolver,
      ExchangeObserver observer, BooleanSupplier extraReady, Consumer<Router> extraRoutes, int instances, long reloadPeriodMs,
      UnaryOperator<GatewayConfig> reloadTransform, GovernanceOptions governance, Tracing tracing) {

    public static Options of(GatewayConfig config) {
      return new Options(config, null, System::getenv, RouteResolver.STATIC, ExchangeObserver.NONE, () -> true, r -> {},
          Math.max(1, Runtime.getRuntime().availableProcessors()), 1000, c -> c, GovernanceOptions.DEFAULTS, Tracing.OFF);
    }

    /** The data directory of the embedded governance store and the clock of keys, budgets and limits. */
    public Options withGovernance(GovernanceOptions g) {
      return new Options(config, configFile, env, resolver, observer, extraReady, extraRoutes, instances, reloadPeriodMs, reloadTransform, g, tracing);
    }

    public Options withConfigFile(Path file) {
      return new Options(config, file, env, resolver, observer, extraReady, extraRoutes, instances, reloadPeriodMs, reloadTransform, governance, tracing);
    }

    public Options withEnv(Function<String, String> e) {
      return new Options(config, configFile, e, resolver, observer, extraReady, extraRoutes, instances, reloadPeriodMs, reloadTransform, governance, tracing);
    }

    public Options withResolver(RouteResolver r) {
      return new Options(config, configFile, env, r, observer, extraReady, extraRoutes, instances, reloadPeriodMs, reloadTransform, governance, tracing);
    }

    public Options withObserver(ExchangeObserver o) {
      return new Options(config, configFile, env, resolver, o, extraReady, extraRoutes, instances, reloadPeriodMs, reloadTransform, governance, tracing);
    }

    public Options withExtraReady(BooleanSupplier r) {
      return new Options(config, configFile, env, resolver, observer, r, extraRoutes, instances, reloadPeriodMs, reloadTransform, governance, tracing);
    }

    public Options withExtraRoutes(Consumer<Router> r) {
      return new Options(config, configFile, env, resolver, observer, extraReady, r, instances, reloadPeriodMs, reloadTransform, governance, tracing);
    }

    public Options withInstances(int n) {
      return new Options(config, configFile, env, resolver, observer, extraReady, extraRoutes, n, reloadPeriodMs, reloadTransform, governance, tracing);
    }

    public Options withReloadTransform(UnaryOperator<GatewayConfig> t) {
      return new Options(config, configFile, env, resolver, observer, extraReady, extraRoutes, instances, reloadPeriodMs, t, governance, tracing);
    }

    /** Traces of chat requests (caller-owned: closed by whoever built it). Default {@link Tracing#OFF}. */
    public Options withTracing(Tracing t) {
      return new Options(config, configFile, env, resolver, observer, extraReady, extraRoutes, instances, reloadPeriodMs, reloadTransform, governance, t);
    }

    public Options withReloadPeriodMs(long ms) {
      return new Options(config, configFile, env, resolver, observer, extraReady, extraRoutes, instances, ms, reloadTransform, governance, tracing);
    }
  }

  private final Vertx vertx;
  private final AtomicReference<GatewaySnapshot> snapshot;
  private final Breakers breakers;
  private final GatewayMetrics metrics;
  private final ConfigWatcher watcher;
  private final int port;
  private final dev.switchboard.router.http.ConnectionGuard guard;
  private final Governance governance;
  /** The response cache (issue #16); set once by {@link #start}. */
  private dev.switchboard.router.cache.ResponseCache cache;
  private final dev.switchboard.router.http.HealthListener health;
  private final List<GatewayVerticle> instances;
  private final java.util.concurrent.atomic.AtomicBoolean draining;
  private final AtomicReference<Runnable> shutdownAction;
  /** The built-in embedding models ({@code local/...}), opened on first use and closed with the gateway. */
  private final dev.switchboard.router.embeddings.LocalModels localModels;

  private Gateway(Vertx vertx, AtomicReference<GatewaySnapshot> snapshot, Breakers breakers, GatewayMetrics metrics,
      ConfigWatcher watcher, int port, dev.switchboard.router.http.ConnectionGuard guard, Governance governance,
      dev.switchboard.router.http.HealthListener health, List<GatewayVerticle> instances,
      java.util.concurrent.atomic.AtomicBoolean draining, AtomicReference<Runnable> shutdownAction,
      dev.switchboard.router.embeddings.LocalModels localModels) {
    this.shutdownAction = shutdownAction;
    this.localModels = localModels;
    this.health = health;
    this.instances = instances;
    this.draining = draining;
    this.guard = guard;
    this.governance = governance;
    this.vertx = vertx;
    this.snapshot = snapshot;
    this.breakers = breakers;
    this.metrics = metrics;
    this.watcher = watcher;
    this.port = port;
  }

  /** @return the port of the separate /healthz and /readyz listener, or -1 without one ({@code server.health_port}) */
  public int healthPort() {
    return health == null ? -1 : health.port();
  }

  /** Open, refused and timed-out client connections (server.idle_timeout_ms, max_connections, ...). */
  public dev.switchboard.router.http.ConnectionGuard connectionGuard() {
    return guard;
  }

  /** A Vert.x instance whose metrics go to {@code metrics}' Prometheus registry. */
  public static Vertx newVertx(GatewayMetrics metrics) {
    MicrometerMetricsOptions mo = new MicrometerMetricsOptions().setEnabled(true).setJvmMetricsEnabled(true);
    // Our own meters cover requests by route/deployment/status; Vert.x's per-request server
    // metrics would double the work on the hot path for less useful labels.
    mo.addDisabledMetricsCategory(MetricsDomain.HTTP_SERVER).addDisabledMetricsCategory(MetricsDomain.NET_SERVER)
        .addDisabledMetricsCategory(MetricsDomain.HTTP_CLIENT).addDisabledMetricsCategory(MetricsDomain.NET_CLIENT)
        .addDisabledMetricsCategory(MetricsDomain.EVENT_BUS).addDisabledMetricsCategory(MetricsDomain.VERTICLES);
    // Native epoll when available (Linux x86-64 jar on the classpath): fewer syscalls and less CPU
    // per proxied request than NIO. Vert.x falls back to NIO by itself elsewhere.
    return Vertx.builder().with(new VertxOptions().setMetricsOptions(mo).setPreferNativeTransport(true)).withMetrics(new MicrometerMetricsFactory(metrics.registry())).build();
  }

  /**
   * Starts the gateway on {@code vertx} and completes once it listens.
   *
   * @throws dev.switchboard.router.config.ConfigException at once when auth is required without a pepper, or auth is
   *     off on a non-loopback host without {@code insecure_no_auth}
   */
  public static Future<Gateway> start(Vertx vertx, GatewayMetrics metrics, Options o) {
    Governance governance = Governance.create(vertx, o.config(), o.env(), o.governance());
    AtomicLong versions = new AtomicLong(1);
    AtomicReference<GatewaySnapshot> snapshot = new AtomicReference<>(GatewaySnapshot.resolve(o.config(), o.env(), versions.get()));
    Breakers breakers = new Breakers(o.config().resilience(), System::currentTimeMillis);
    List<GatewayVerticle> started = new java.util.concurrent.CopyOnWriteArrayList<>();
    // set by drain(): /readyz answers 503 from then on, so a load balancer stops sending before the listener closes
    java.util.concurrent.atomic.AtomicBoolean draining = new java.util.concurrent.atomic.AtomicBoolean();
    java.util.function.BooleanSupplier ready = () -> !draining.get() && o.extraReady().getAsBoolean();
    AtomicReference<Runnable> shutdownAction = new AtomicReference<>(() -> {}); // set below, once the Gateway exists
    dev.switchboard.router.config.ServerConfig sc = o.config().server();
    dev.switchboard.router.http.ConnectionGuard guard = new dev.switchboard.router.http.ConnectionGuard(vertx, sc.idleTimeoutMs(),
        sc.requestReadTimeoutMs(), sc.maxConnections(), sc.maxConnectionsPerAddress(), sc.maxInflightBodyBytes(), sc.maxBodyBytes(),
        sc.minBodyBytesPerSecond());
    ExchangeObserver observer = sc.accessLog() ? ExchangeObserver.all(List.of(new AccessLog(), o.observer())) : o.observer();
    dev.switchboard.router.cache.ResponseCache cache =
        dev.switchboard.router.cache.ResponseCache.create(vertx, o.config(), o.governance().clock(), metrics);
    dev.switchboard.router.embeddings.LocalModels localModels = new dev.switchboard.router.embeddings.LocalModels();
    // Responses API conversations for previous_response_id, shared by every verticle (bounded, per key).
    dev.switchboard.router.responses.ResponseStore responseStore = dev.switchboard.router.responses.ResponseStore.defaults();
    return governance.start().compose(x -> cache.start(vertx, o.config())).compose(x -> vertx.deployVerticle(() -> {
          GatewayVerticle v = new GatewayVerticle(snapshot::get, o.config().server(), breakers, metrics, o.resolver(), observer,
              ready, o.extraRoutes(), guard, governance, () -> shutdownAction.get().run(), o.tracing(), cache, localModels,
              responseStore);
          started.add(v);
          return v;
        }, new DeploymentOptions().setInstances(o.instances())))
        .compose(id -> sc.healthPort() < 0 ? Future.<dev.switchboard.router.http.HealthListener>succeededFuture(null)
            : dev.switchboard.router.http.HealthListener.start(vertx, sc.host(), sc.healthPort(), snapshot::get, breakers,
                ready, observer))
        .onFailure(e -> {
          governance.close();
          cache.close();
        })
        .map(health -> {
          ConfigWatcher watcher = o.configFile() == null ? null : new ConfigWatcher(vertx, o.configFile(), o.reloadPeriodMs(), parsed -> {
            GatewayConfig next = o.reloadTransform().apply(parsed);
            if (!next.server().equals(o.config().server())) {
              LOG.warn("config reload: changes to the server section (host, port, body limit) take effect after a restart");
            }
            if (!next.storage().equals(o.config().storage()) || !next.limits().equals(o.config().limits())) {
              LOG.warn("config reload: changes to the storage and limits sections take effect after a restart");
            }
            breakers.reconfigure(next.resilience());
            snapshot.set(GatewaySnapshot.resolve(next, o.env(), versions.incrementAndGet()));
          });
          int port = started.get(0).actualPort();
          LOG.info("switchboard gateway listening on http://{}:{} ({} deployments, {} routes)", o.config().server().host(), port,
              o.config().deployments().size(), o.config().routes().size());
          if (health != null) LOG.info("health checks (/healthz, /readyz) also on http://{}:{}", sc.host(), health.port());
          Gateway gateway = new Gateway(vertx, snapshot, breakers, metrics, watcher, port, guard, governance, health, started, draining,
              shutdownAction, localModels);
          gateway.cache = cache;
          ServerConfig now = o.config().server();
          shutdownAction.set(() -> gateway.drain(now.drainGraceMs(), now.drainTimeoutMs()));
          return gateway;
        });
  }

  public int port() {
    return port;
  }

  public Vertx vertx() {
    return vertx;
  }

  public GatewaySnapshot snapshot() {
    return snapshot.get();
  }

  public Breakers breakers() {
    return breakers;
  }

  public GatewayMetrics metrics() {
    return metrics;
  }

  /** The reason the last config reload was rejected, or null. */
  public String lastReloadRejection() {
    return watcher == null ? null : watcher.lastRejection();
  }

  /** Keys, budgets, limits, spend and audit (issue #14). */
  public Governance governance() {
    return governance;
  }

  /*
   * Graceful stop (issue #17). Kubernetes, systemd and docker send SIGTERM and wait; a load balancer needs a moment to
   * see /readyz fail. So: readiness fails at once, the listener keeps taking connections for the grace period, then
   * closes; connections finish their current answer (streams included) within the timeout; then close() releases the
   * rest, and the caller flushes the request log. The upstream client stays open until then (a request in flight
   * used to fail with "Client is closed").
   */
  /**
   * Drains: /readyz answers 503 at once; after {@code graceMs} the listener closes and requests in flight get up to
   * {@code timeoutMs} to finish. Completes when every connection is closed (or the timeout passed).
   */
  public Future<Void> drain(long graceMs, long timeoutMs) {
    if (!draining.compareAndSet(false, true)) return Future.succeededFuture();
    LOG.info("draining: /readyz answers 503; the listener closes in {} ms; requests in flight get up to {} ms", graceMs, timeoutMs);
    io.vertx.core.Promise<Void> done = io.vertx.core.Promise.promise();
    Runnable shut = () -> Future.join(instances.stream().map(v -> v.shutdown(timeoutMs)).toList())
        .onComplete(ar -> done.complete());
    if (graceMs > 0) vertx.setTimer(graceMs, t -> shut.run()); else shut.run();
    return done.future();
  }

  /**
   * What {@code POST /admin/shutdown} does: by default {@link #drain} with the server section's grace and timeout; a
   * process that owns more than the gateway (the request log, a broker) sets its whole graceful stop here.
   */
  public void onShutdownRequest(Runnable action) {
    shutdownAction.set(action);
  }

  @Override
  public void close() {
    if (watcher != null) watcher.close();
    if (health != null) health.close();
    guard.close();
    governance.close();
    if (cache != null) cache.close();
    localModels.close();
  }

  /** The response cache (issue #16). */
  public dev.switchboard.router.cache.ResponseCache cache() {
    return cache;
  }
}
