package dev.switchboard.router.embedded;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.switchboard.dataset.ModelPrices;
import dev.switchboard.dataset.recorded.RecordedAnswers;
import dev.switchboard.router.Gateway;
import dev.switchboard.router.chat.ChatExchange;
import dev.switchboard.router.chat.ChatExecutor;
import dev.switchboard.router.chat.ChatRequestParser;
import dev.switchboard.router.chat.ParsedChat;
import dev.switchboard.router.config.ConfigParser;
import dev.switchboard.router.config.Deployment;
import dev.switchboard.router.config.GatewayConfig;
import dev.switchboard.router.config.GatewaySnapshot;
import dev.switchboard.router.config.RouteConfig;
import dev.switchboard.router.config.RouteType;
import dev.switchboard.router.config.ServerConfig;
import dev.switchboard.router.api.ApiError;
import dev.switchboard.router.api.ApiException;
import dev.switchboard.router.metrics.GatewayMetrics;
import dev.switchboard.router.providers.contract.ChatResult;
import dev.switchboard.router.providers.chat.Json;
import dev.switchboard.router.resilience.Breakers;
import dev.switchboard.router.routing.RoutePlanner;
import dev.switchboard.router.upstream.LatencyProfile;
import dev.switchboard.router.upstream.RecordedUpstream;
import dev.switchboard.router.upstream.RecordedUpstreamOptions;
import dev.switchboard.router.upstream.UpstreamClient;
import io.vertx.core.Context;
import io.vertx.core.DeploymentOptions;
import io.vertx.core.Future;
import io.vertx.core.VerticleBase;
import io.vertx.core.Vertx;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Function;
import java.util.function.Supplier;

/**
 * The gateway's upstream side without its HTTP server: a chat request for a deployment or a
 * static route is planned by {@link RoutePlanner} and run by the gateway's own {@link ChatExecutor}
 * (provider adapters, per-attempt timeouts, retries with backoff honouring {@code Retry-After},
 * fallbacks, circuit breakers, the request deadline). For callers inside the JVM that want what the
 * gateway does to a request but not an HTTP hop through it, e.g. {@code switchboard replay}.
 * Nothing here writes the request log: these calls are not client traffic.
 *
 * <p>Either standalone ({@link #start}: its own Vert.x, breakers and, when the config has recorded
 * deployments without {@code base_url}, its own in-process recorded upstream) or attached to a
 * running {@link Gateway} ({@link #attach}: that gateway's Vert.x, live config and breakers, so a
 * deployment the gateway found down is down here too). Thread-safe; {@link #complete} may be
 * called from any thread.
 */
public final class InProcessGateway implements AutoCloseable {

  /** What answered: the OpenAI {@code chat.completion}, usage, the deployment and every attempt. */
  public record Answer(ChatResult result, Deployment deployment, List<ApiError.AttemptView> attempts) {
    /** USD cost at the answering deployment's prices. */
    public double costUsd() {
      return result.usage().costUsd(deployment.inputPricePerMTok(), deployment.outputPricePerMTok());
    }
  }

  private final Vertx vertx;
  private final boolean ownsVertx;
  private final Supplier<GatewaySnapshot> snapshot;
  private final List<Lane> lanes;
  private final AtomicInteger next = new AtomicInteger();

  private InProcessGateway(Vertx vertx, boolean ownsVertx, Supplier<GatewaySnapshot> snapshot, List<Lane> lanes) {
    this.vertx = vertx;
    this.ownsVertx = ownsVertx;
    this.snapshot = snapshot;
    this.lanes = lanes;
  }

  /**
   * Starts standalone on a new Vert.x instance: keys resolved through {@code env}; recorded
   * deployments without {@code base_url} are served by a recorded upstream on a loopback port of
   * this process (answers from {@code answers}, loaded only if needed, with {@code latency}).
   * Blocking; never call from an event loop.
   */
  public static InProcessGateway start(GatewayConfig config, Function<String, String> env, Supplier<RecordedAnswers> answers,
      LatencyProfile latency) throws Exception {
    GatewayMetrics metrics = new GatewayMetrics();
    Vertx vertx = Gateway.newVertx(metrics);
    try {
      if (config.usesInProcessRecorded()) {
        RecordedUpstream recorded = new RecordedUpstream(answers.get(), new RecordedUpstreamOptions("127.0.0.1", 0, latency, Map.of()));
        SwitchboardServer.await(vertx.deployVerticle(recorded));
        config = config.withRecordedBaseUrl(recorded.baseUrl());
      }
      GatewaySnapshot snap = GatewaySnapshot.resolve(config, env, 1);
      Breakers breakers = new Breakers(config.resilience(), System::currentTimeMillis);
      List<Lane> lanes = SwitchboardServer.await(deployLanes(vertx, breakers, metrics));
      return new InProcessGateway(vertx, true, () -> snap, lanes);
    } catch (Exception e) {
      vertx.close();
      throw e;
    }
  }

  /** {@link #start} on the embedded defaults of {@code switchboard serve}: every priced recorded model of {@code home}. */
  public static InProcessGateway startEmbeddedDefaults(Path home, LatencyProfile latency) throws Exception {
    RecordedAnswers answers = SwitchboardServer.loadAnswers(home);
    ModelPrices prices = ModelPrices.load(home.resolve("datasets").resolve("models.json"));
    GatewayConfig config = EmbeddedDefaults.config(ServerConfig.DEFAULTS, prices, answers.models(), home);
    return start(config, System::getenv, () -> answers, latency);
  }

  /**
   * {@link #start} on a gateway config file (validated as {@code serve --config} validates it;
   * a {@link dev.switchboard.router.config.ConfigException} names the line and field).
   */
  public static InProcessGateway startConfigFile(Path file, Function<String, String> env, Path home, LatencyProfile latency)
      throws Exception {
    return start(ConfigParser.parseFile(file), env, () -> SwitchboardServer.loadAnswers(home), latency);
  }

  /** Shares a running gateway's Vert.x, live config (hot reloads included) and breakers. Blocking. */
  public static InProcessGateway attach(Gateway gateway) throws Exception {
    List<Lane> lanes = SwitchboardServer.await(deployLanes(gateway.vertx(), gateway.breakers(), gateway.metrics()));
    return new InProcessGateway(gateway.vertx(), false, gateway::snapshot, lanes);
  }

  /** One executor and upstream client per event loop, like the gateway's verticles. */
  private static Future<List<Lane>> deployLanes(Vertx vertx, Breakers breakers, GatewayMetrics metrics) {
    List<Lane> lanes = new CopyOnWriteArrayList<>();
    int n = Math.max(1, Runtime.getRuntime().availableProcessors());
    return vertx.deployVerticle(() -> {
      Lane l = new Lane(breakers, metrics);
      lanes.add(l);
      return l;
    }, new DeploymentOptions().setInstances(n)).map(id -> List.copyOf(lanes));
  }

  /**
   * Checks that {@code model} can be called here: a deployment or a fallback/weighted route whose
   * deployments have their API keys. Returns the deployments it may use, in order.
   *
   * @throws IllegalArgumentException naming the problem (unknown name, eval-driven route, key variable unset)
   */
  public List<Deployment> check(String model) {
    GatewaySnapshot snap = snapshot.get();
    RouteConfig route = snap.config().routes().get(model);
    if (route != null && route.type() == RouteType.EVAL_DRIVEN) {
      throw new IllegalArgumentException("'" + model + "' is an eval-driven route; name one of its deployments instead ("
          + String.join(", ", route.deployments()) + ")");
    }
    List<Deployment> plan;
    try {
      plan = RoutePlanner.plan(snap.config(), model, () -> 0.0).deployments();
    } catch (ApiException e) {
      throw new IllegalArgumentException("'" + model + "' is neither a deployment nor a route of " + snap.config().source()
          + " (deployments: " + abbreviate(snap.config().deployments().keySet()) + "; routes: "
          + abbreviate(snap.config().routes().keySet()) + ")");
    }
    List<Deployment> usable = new ArrayList<>();
    List<String> missing = new ArrayList<>();
    for (Deployment d : plan) {
      if (snap.keyMissing(d)) missing.add(d.name() + " needs $" + d.apiKeyEnv()); else usable.add(d);
    }
    if (usable.isEmpty()) {
      throw new IllegalArgumentException("'" + model + "' cannot be called: " + String.join(", ", missing) + ", which is not set");
    }
    return plan;
  }

  /** The deployment named {@code name}, or null. */
  public Deployment deployment(String name) {
    return snapshot.get().config().deployments().get(name);
  }

  /** The live config. */
  public GatewayConfig config() {
    return snapshot.get().config();
  }

  /**
   * A non-streaming completion of {@code body} (an OpenAI chat request; its {@code model} is a
   * deployment or route alias), validated like a client request and run as the gateway runs it.
   * Fails (never throws) with an {@link ApiException} carrying the gateway's error: unknown model
   * 404, invalid body 400, every upstream failed 502 (with the attempts), deadline 504.
   */
  public CompletableFuture<Answer> complete(ObjectNode body) {
    CompletableFuture<Answer> out = new CompletableFuture<>();
    ParsedChat chat;
    try {
      chat = ChatRequestParser.parse(Json.writeBytes(body));
      if (chat.request().stream()) throw ApiException.badRequest("stream is not supported in-process", "stream");
    } catch (ApiException e) {
      out.completeExceptionally(e);
      return out;
    }
    Lane lane = lanes.get(Math.floorMod(next.getAndIncrement(), lanes.size()));
    lane.ctx().runOnContext(v -> {
      try {
        GatewaySnapshot snap = snapshot.get();
        RoutePlanner.Plan plan = RoutePlanner.plan(snap.config(), chat.request().model(), () -> ThreadLocalRandom.current().nextDouble());
        long start = System.nanoTime();
        ChatExchange ex = new ChatExchange("in-process", start, start + snap.config().server().requestDeadlineMs() * 1_000_000);
        ex.route = plan.route();
        lane.executor.complete(snap, plan.deployments(), chat.request(), ex).onComplete(ar -> {
          if (ar.succeeded()) out.complete(new Answer(ar.result(), ex.answered, List.copyOf(ex.attempts)));
          else out.completeExceptionally(ar.cause());
        });
      } catch (RuntimeException e) {
        out.completeExceptionally(e);
      }
    });
    return out;
  }

  /** Stops a standalone instance's Vert.x (and recorded upstream); an attached one leaves the gateway running. */
  @Override
  public void close() throws Exception {
    if (ownsVertx) {
      SwitchboardServer.await(vertx.close());
    } else {
      SwitchboardServer.await(vertx.undeploy(lanes.get(0).ctx().deploymentID()));
    }
  }

  private static String abbreviate(java.util.Collection<String> names) {
    if (names.isEmpty()) return "none";
    List<String> l = new ArrayList<>(names);
    return l.size() <= 8 ? String.join(", ", l) : String.join(", ", l.subList(0, 8)) + ", ... (" + l.size() + " in all)";
  }

  /** An event loop with its own upstream client and executor (the client must stay on its loop). */
  private static final class Lane extends VerticleBase {
    private final Breakers breakers;
    private final GatewayMetrics metrics;
    private UpstreamClient upstream;
    private ChatExecutor executor;

    Lane(Breakers breakers, GatewayMetrics metrics) {
      this.breakers = breakers;
      this.metrics = metrics;
    }

    @Override
    public Future<?> start() {
      upstream = new UpstreamClient(vertx, 256);
      executor = new ChatExecutor(vertx, upstream, breakers, metrics);
      return Future.succeededFuture();
    }

    @Override
    public Future<?> stop() {
      return upstream.close();
    }

    Context ctx() {
      return context;
    }
  }
}
