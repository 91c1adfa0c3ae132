package dev.switchboard.router.evaldriven;

import dev.switchboard.classifier.ClassifierOptions;
import dev.switchboard.router.Gateway;
import dev.switchboard.router.chat.ExchangeObserver;
import dev.switchboard.router.config.ClassifierConfig;
import dev.switchboard.router.config.GatewayConfig;
import dev.switchboard.router.metrics.GatewayMetrics;
import io.vertx.core.Vertx;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Function;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Wires eval-driven routing into gateway options: loads the classifier, starts the scoring
 * workers, loads and watches the policies, mounts {@code /v1/route} and the admin API.
 */
public final class EvalDrivenSetup implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(EvalDrivenSetup.class);

  private final EvalDrivenRouting routing;
  /** The running gateway, once started: the registry and handlers read the live config through it. */
  private final AtomicReference<Gateway> gateway;

  private EvalDrivenSetup(EvalDrivenRouting routing, AtomicReference<Gateway> gateway) {
    this.routing = routing;
    this.gateway = gateway;
  }

  /** Blocking (loads ONNX models): call before starting the gateway, off the event loop. No classifier uploads. */
  public static EvalDrivenSetup create(Vertx vertx, GatewayConfig config, GatewayMetrics metrics) {
    return create(vertx, config, metrics, null, null);
  }

  /**
   * Blocking (loads ONNX models): call before starting the gateway, off the event loop.
   *
   * @param dataDir the router's data directory: uploaded classifiers live in {@code dataDir/classifiers}
   *     (null: {@code PUT /admin/classifiers} is refused)
   * @param home the Switchboard home: relative classifier paths of policies are also tried there (may be null)
   */
  public static EvalDrivenSetup create(Vertx vertx, GatewayConfig config, GatewayMetrics metrics, Path dataDir, Path home) {
    ClassifierConfig cc = config.classifier();
    long t0 = System.nanoTime();
    ClassifierOptions options = new ClassifierOptions(cc.intraOpThreads(), cc.cacheSize());
    ClassifierStore store = new ClassifierStore(dataDir == null ? null : dataDir.resolve("classifiers"), home, options);
    LoadedClassifier initial = store.load(Path.of(cc.path()));
    LOG.info("classifier {} loaded in {} ms (candidates {})", cc.path(), (System.nanoTime() - t0) / 1_000_000,
        initial.classifier().card().candidateNames());
    ScoringService scoring = new ScoringService(initial.classifier(), cc.effectiveWorkers(), cc.maxBatch(), 4096);
    AtomicReference<Gateway> gateway = new AtomicReference<>();
    try {
      PolicyRegistry policies = new PolicyRegistry(vertx, initial, scoring, store, metrics.meterRegistry(),
          () -> gateway.get() == null ? config : gateway.get().snapshot().config(), 1000);
      return new EvalDrivenSetup(new EvalDrivenRouting(vertx, scoring, policies, metrics, cc.scoringDeadlineMs()), gateway);
    } catch (RuntimeException e) {
      scoring.close();
      throw e;
    }
  }

  /** Adds the resolver, the savings observer and the extra routes to {@code o}. */
  public Gateway.Options apply(Gateway.Options o, Function<String, String> env) {
    RoutingHandlers handlers = new RoutingHandlers(() -> gateway.get().snapshot(), routing, env);
    return o.withResolver(routing).withExtraRoutes(handlers::mount)
        .withObserver(ExchangeObserver.all(List.of(o.observer(), routing)));
  }

  /** Call once the gateway has started. */
  public void started(Gateway g) {
    gateway.set(g);
  }

  public EvalDrivenRouting routing() {
    return routing;
  }

  @Override
  public void close() {
    routing.scoring().close(); // queued jobs give their classifier references back
    routing.policies().close(); // then the routes' references: every classifier closes
  }
}
