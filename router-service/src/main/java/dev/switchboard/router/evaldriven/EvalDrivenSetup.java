package dev.switchboard.router.evaldriven;

import dev.switchboard.classifier.Classifier;
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

  /** Blocking (loads ONNX models): call before starting the gateway, off the event loop. */
  public static EvalDrivenSetup create(Vertx vertx, GatewayConfig config, GatewayMetrics metrics) {
    ClassifierConfig cc = config.classifier();
    long t0 = System.nanoTime();
    Classifier classifier = Classifier.load(Path.of(cc.path()), new ClassifierOptions(1, cc.cacheSize()));
    LOG.info("classifier {} loaded in {} ms (candidates {})", cc.path(), (System.nanoTime() - t0) / 1_000_000, classifier.card().candidateNames());
    ScoringService scoring = new ScoringService(classifier, cc.effectiveWorkers(), cc.maxBatch(), 4096);
    AtomicReference<Gateway> gateway = new AtomicReference<>();
    try {
      PolicyRegistry policies = new PolicyRegistry(vertx, classifier.card(),
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
    routing.policies().close();
    routing.scoring().close();
  }
}
