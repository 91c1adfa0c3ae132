package dev.switchboard.router.evaldriven;

import dev.switchboard.classifier.ClassifierOptions;
import dev.switchboard.router.Gateway;
import dev.switchboard.router.chat.ExchangeObserver;
import dev.switchboard.router.config.ClassifierConfig;
import dev.switchboard.router.config.GatewayConfig;
import dev.switchboard.router.config.RouteConfig;
import dev.switchboard.router.config.RouteType;
import dev.switchboard.router.metrics.GatewayMetrics;
import io.micrometer.core.instrument.Gauge;
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
    // The configured classifier's folder holds its siblings (models/default beside models/mine).
    Path configured = Path.of(cc.path()).toAbsolutePath().normalize();
    store.trust(configured.getParent() == null ? configured : configured.getParent());
    LOG.info("classifier {} loaded in {} ms (candidates {})", cc.path(), (System.nanoTime() - t0) / 1_000_000,
        initial.classifier().card().candidateNames());
    warnUnknownCategories(config, initial.classifier().card().features().categories());
    ScoringService scoring = new ScoringService(initial.classifier(), cc.effectiveWorkers(), cc.maxBatch(), 4096);
    reportLongPromptSpeed(scoring, cc, metrics);
    AtomicReference<Gateway> gateway = new AtomicReference<>();
    try {
      PolicyRegistry policies = new PolicyRegistry(vertx, initial, scoring, store, metrics.meterRegistry(),
          () -> gateway.get() == null ? config : gateway.get().snapshot().config(), 1000, java.time.InstantSource.system());
      return new EvalDrivenSetup(new EvalDrivenRouting(vertx, scoring, policies, metrics, cc.scoringDeadlineMs(), cc.inlineMaxTokens()), gateway);
    } catch (RuntimeException e) {
      scoring.close();
      throw e;
    }
  }

  /**
   * A route's default category the classifier never saw scores like no category at all (an all-zero
   * one-hot), which is legal but most likely a typo or a classifier trained on other labels.
   */
  private static void warnUnknownCategories(GatewayConfig config, List<String> known) {
    for (RouteConfig r : config.routes().values()) {
      if (r.type() == RouteType.EVAL_DRIVEN && r.category() != null && !known.contains(r.category())) {
        LOG.warn("route {}: category '{}' is not one the classifier {} was trained with {}; its requests score as if they had no category",
            r.alias(), r.category(), config.classifier().path(), known);
      }
    }
  }

  /**
   * Says at startup what the slowest prompt costs on this CPU, and warns when it does not fit the
   * scoring deadline: the encoder's cost differs ~5x between CPUs (60 ms for 256 tokens on a
   * 2.4 GHz AVX2 core, 15 ms with AVX-512 VNNI), and past the deadline every long prompt quietly
   * goes to its route's default. Also exported as a gauge (re-measured when a classifier is warmed).
   */
  private static void reportLongPromptSpeed(ScoringService scoring, ClassifierConfig cc, GatewayMetrics metrics) {
    double ms = scoring.longPromptNanos() / 1e6;
    if (ms > cc.scoringDeadlineMs()) {
      LOG.warn("classifier: scoring the longest prompt it embeds takes {} ms on this CPU ({} intra-op thread(s)), "
              + "more than classifier.scoring_deadline_ms {}: long prompts will go to their route's default "
              + "(x-switchboard-routing-fallback: timeout). Raise classifier.scoring_deadline_ms (serve --scoring-deadline-ms) above {} or give the classifier a faster CPU.",
          String.format("%.1f", ms), cc.intraOpThreads(), cc.scoringDeadlineMs(), (long) Math.ceil(ms * 1.5));
    } else {
      LOG.info("classifier: the longest prompt it embeds scores in {} ms on this CPU (scoring deadline {} ms)",
          String.format("%.1f", ms), cc.scoringDeadlineMs());
    }
    Gauge.builder("switchboard_classifier_long_prompt_score", scoring, s -> s.longPromptNanos() / 1e9).baseUnit("seconds")
        .description("Time a scoring worker took for the longest prompt the classifier embeds, measured when the classifier "
            + "was warmed; above classifier.scoring_deadline_ms long prompts go to the route default")
        .register(metrics.meterRegistry());
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
