package dev.switchboard.router.http;

import dev.switchboard.router.api.ApiError;
import dev.switchboard.router.api.ApiException;
import dev.switchboard.router.api.ErrorShape;
import dev.switchboard.router.chat.Ingress;
import dev.switchboard.router.chat.RequestGate;
import dev.switchboard.router.messages.CountTokensHandler;
import dev.switchboard.router.messages.MessagesErrors;
import dev.switchboard.router.messages.MessagesIngress;
import io.vertx.core.http.HttpServerOptions;
import io.vertx.ext.web.handler.BodyHandler;
import io.vertx.micrometer.PrometheusScrapingHandler;
import dev.switchboard.router.chat.ChatExecutor;
import dev.switchboard.router.chat.ChatHandler;
import dev.switchboard.router.chat.ExchangeEnd;
import dev.switchboard.router.chat.RequestGate;
import dev.switchboard.router.embeddings.EmbeddingsHandler;
import dev.switchboard.router.responses.ResponseStore;
import dev.switchboard.router.responses.ResponsesDialect;
import dev.switchboard.router.responses.StoredResponses;
import dev.switchboard.router.chat.ExchangeObserver;
import dev.switchboard.router.chat.RouteResolver;
import dev.switchboard.router.config.GatewaySnapshot;
import dev.switchboard.router.config.ServerConfig;
import dev.switchboard.router.governance.AdminApi;
import dev.switchboard.router.governance.AuthFilter;
import dev.switchboard.router.governance.Governance;
import dev.switchboard.router.governance.KeyGate;
import dev.switchboard.router.metrics.GatewayMetrics;
import dev.switchboard.router.resilience.Breakers;
import dev.switchboard.router.upstream.UpstreamClient;
import io.vertx.core.Future;
import io.vertx.core.VerticleBase;
import io.vertx.core.http.HttpServer;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import java.util.function.BooleanSupplier;
import java.util.function.Consumer;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One HTTP server instance of the gateway. Several are deployed (one per event loop) sharing
 * the port; each has its own upstream client so connections stay on their event loop.
 */
public final class GatewayVerticle extends VerticleBase {
  private static final Logger LOG = LoggerFactory.getLogger(GatewayVerticle.class);

  private final Supplier<GatewaySnapshot> snapshot;
  private final ServerConfig server;
  private final Breakers breakers;
  private final GatewayMetrics metrics;
  private final RouteResolver resolver;
  private final ExchangeObserver observer;
  private final BooleanSupplier extraReady;
  private final Consumer<Router> extraRoutes;
  private UpstreamClient upstream;
  private HttpServer httpServer;

  private final ConnectionGuard guard;
  private final Governance governance;
  private final Runnable shutdownRequest;
  private final dev.switchboard.router.chat.RequestTrace.Starter tracer;
  private final dev.switchboard.router.cache.ResponseCache cache;
  private final dev.switchboard.router.embeddings.LocalModels localModels;
  private final ResponseStore responseStore;

  /**
   * @param cache the gateway's response cache (shared by every instance), or null for none
   */
  public GatewayVerticle(Supplier<GatewaySnapshot> snapshot, ServerConfig server, Breakers breakers, GatewayMetrics metrics,
      RouteResolver resolver, ExchangeObserver observer, BooleanSupplier extraReady, Consumer<Router> extraRoutes, ConnectionGuard guard,
      Governance governance, Runnable shutdownRequest, dev.switchboard.router.chat.RequestTrace.Starter tracer,
      dev.switchboard.router.cache.ResponseCache cache, dev.switchboard.router.embeddings.LocalModels localModels,
      ResponseStore responseStore) {
    this.tracer = tracer;
    this.shutdownRequest = shutdownRequest;
    this.cache = cache;
    this.localModels = localModels;
    this.responseStore = responseStore;
    this.guard = guard;
    this.governance = governance;
    this.snapshot = snapshot;
    this.server = server;
    this.breakers = breakers;
    this.metrics = metrics;
    this.resolver = resolver;
    this.observer = observer;
    this.extraReady = extraReady;
    this.extraRoutes = extraRoutes;
  }

  @Override
  public Future<?> start() {
    upstream = new UpstreamClient(vertx, 256);
    ChatExecutor executor = new ChatExecutor(vertx, upstream, breakers, metrics);
    // server.auth needs a restart, so with auth off the request path carries no filter and no gate at
    // all: a filter route that only calls next() and a gate per request are CPU every request pays.
    boolean auth = governance.authRequired();
    RequestGate gate = auth ? new KeyGate(governance) : RequestGate.OPEN;
    ChatHandler chat = new ChatHandler(snapshot, resolver, executor, metrics, observer, gate, Ingress.CHAT_COMPLETIONS, tracer, cache);
    ChatHandler messages = new ChatHandler(snapshot, resolver, executor, metrics, observer, gate, MessagesIngress.INSTANCE, tracer, cache);
    InfoHandlers info = new InfoHandlers(snapshot, breakers, extraReady, observer);
    ExchangeEnd end = new ExchangeEnd(metrics, observer);
    // Local embedding models block (ONNX Runtime, tokenizer): a named pool shared by every verticle, a thread per core.
    EmbeddingsHandler embeddings = new EmbeddingsHandler(snapshot, executor, gate, end, localModels,
        vertx.createSharedWorkerExecutor("switchboard-embeddings", Math.max(1, Runtime.getRuntime().availableProcessors()), 60,
            java.util.concurrent.TimeUnit.SECONDS));

    Router router = Router.router(vertx);
    // First, so that every error on these paths (a refused key, a body too large, an unknown sub-path) is Anthropic's.
    router.route("/v1/messages*").handler(rc -> {
      rc.put(ErrorShape.CONTEXT_KEY, MessagesErrors.SHAPE);
      rc.next();
    });
    if (auth) {
      // Authentication first: a caller without a key is refused before its body is read.
      AuthFilter filter = new AuthFilter(governance, metrics);
      router.route("/v1/*").handler(filter);
      router.route("/chat/completions").handler(filter);
    }
    router.post("/v1/*").handler(BodyHandler.create(false).setBodyLimit(server.maxBodyBytes()));
    router.put("/admin/*").handler(BodyHandler.create(false).setBodyLimit(server.maxBodyBytes()));
    router.post("/v1/chat/completions").handler(chat);
    router.post("/chat/completions").handler(chat);
    router.post("/v1/messages").handler(messages);
    router.post("/v1/messages/count_tokens").handler(new CountTokensHandler(snapshot));
    router.get("/v1/models").handler(info::models);
    router.getWithRegex("/v1/models/.+").handler(info::model); // ids may hold a slash (local/...)
    router.post("/v1/embeddings").handler(embeddings);
    router.post("/v1/completions").handler(new dev.switchboard.router.completions.CompletionsHandler(snapshot, executor, gate, end));
    router.post("/v1/responses").handler(new ChatHandler(snapshot, resolver, executor, metrics, observer, gate, new ResponsesDialect(responseStore), tracer, cache));
    StoredResponses stored = new StoredResponses(responseStore);
    router.get("/v1/responses/:id").handler(stored::get);
    router.delete("/v1/responses/:id").handler(stored::delete);
    router.get("/healthz").handler(info::healthz);
    router.get("/readyz").handler(info::readyz);
    router.get("/metrics").handler(PrometheusScrapingHandler.create(metrics.registry()));
    new AdminApi(snapshot, governance, server.maxBodyBytes(), shutdownRequest).mount(router);
    extraRoutes.accept(router);
    router.route().last().handler(this::notFound);
    router.route().failureHandler(this::failure);

    httpServer = vertx.createHttpServer(new HttpServerOptions()
        .setHost(server.host()).setPort(server.port()).setTcpNoDelay(true).setCompressionSupported(false)
        .setMaxInitialLineLength(8192).setIdleTimeout(0) // idle and slow clients: ConnectionGuard, which spares long answers
        // HTTP/1.1 only: with h2c detection on, a connection reaches the guard only once it sends bytes
        .setHttp2ClearTextEnabled(false));
    httpServer.connectionHandler(guard::accepted);
    return httpServer.requestHandler(req -> {
      if (guard.requestStarted(req)) router.handle(req);
    }).listen();
  }

  @Override
  public Future<?> stop() {
    return upstream.close();
  }

  /**
   * Stops taking connections and lets this instance's connections finish what they are doing: an HTTP/1.1 connection
   * closes after its current answer (a stream included), an idle one at once; after {@code timeoutMs} the rest close.
   */
  public Future<Void> shutdown(long timeoutMs) {
    return httpServer == null ? Future.succeededFuture() : httpServer.shutdown(timeoutMs, java.util.concurrent.TimeUnit.MILLISECONDS);
  }

  public int actualPort() {
    return httpServer.actualPort();
  }

  private void notFound(RoutingContext rc) {
    ErrorShape.write(rc, new ApiError(404, "invalid_request_error",
        "Unknown request URL: " + rc.request().method() + " " + rc.request().path() + ".", null, "unknown_url", null));
  }

  /** Every failure becomes an OpenAI-shaped error; stack traces go to our log only. */
  private void failure(RoutingContext rc) {
    Throwable t = rc.failure();
    if (t instanceof io.vertx.core.http.HttpClosedException || rc.response().closed()) {
      // The client went away (mid-body, or before the answer): nobody to answer and nothing wrong
      // here. Under load this is routine; a stack trace at ERROR for each would bury real failures.
      LOG.debug("client closed the connection during {} {}", rc.request().method(), rc.request().path());
      return;
    }
    ApiError e;
    if (t instanceof ApiException ae) {
      e = ae.error();
    } else if (rc.statusCode() == 413) {
      e = new ApiError(413, "invalid_request_error", "The request body is larger than the limit of " + server.maxBodyBytes() + " bytes.",
          null, "request_too_large", null);
    } else if (rc.statusCode() == 405) {
      e = new ApiError(405, "invalid_request_error", "Method " + rc.request().method() + " is not allowed on " + rc.request().path() + ".",
          null, "method_not_allowed", null);
    } else if (rc.statusCode() >= 400 && rc.statusCode() < 500) {
      e = new ApiError(rc.statusCode(), "invalid_request_error", "The request could not be processed.", null, "bad_request", null);
    } else {
      LOG.error("unhandled failure on {} {}", rc.request().method(), rc.request().path(), t);
      e = new ApiError(500, "server_error", "The gateway failed to process the request.", null, "internal_error", null);
    }
    ErrorShape.write(rc, e);
  }
}
