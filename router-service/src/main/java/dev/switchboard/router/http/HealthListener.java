package dev.switchboard.router.http;

import dev.switchboard.router.api.ApiError;
import dev.switchboard.router.api.Responses;
import dev.switchboard.router.chat.ExchangeObserver;
import dev.switchboard.router.config.GatewaySnapshot;
import dev.switchboard.router.resilience.Breakers;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerOptions;
import io.vertx.ext.web.Router;
import java.util.List;
import java.util.function.BooleanSupplier;
import java.util.function.Supplier;

/**
 * {@code /healthz} and {@code /readyz} on a port of their own ({@code server.health_port}), with
 * their own connection cap, so a supervisor or load balancer still gets an answer while client
 * connections fill {@code server.max_connections} (issue #15: 20,000 idle connections made
 * {@code /healthz} time out). Nothing else is served here, and no request here has a body.
 */
public final class HealthListener {
  /** Enough for a few checkers polling in parallel; a flood of this port cannot reach the main one's. */
  private static final int MAX_CONNECTIONS = 64;
  private static final long TIMEOUT_MS = 5_000;

  private final HttpServer server;
  private final ConnectionGuard guard;

  private HealthListener(HttpServer server, ConnectionGuard guard) {
    this.server = server;
    this.guard = guard;
  }

  /** Listens on {@code host:port} (0: any free port); completes once it does. */
  public static Future<HealthListener> start(Vertx vertx, String host, int port, Supplier<GatewaySnapshot> snapshot, Breakers breakers,
      BooleanSupplier extraReady, ExchangeObserver observer) {
    InfoHandlers info = new InfoHandlers(snapshot, breakers, extraReady, observer);
    Router router = Router.router(vertx);
    router.get("/healthz").handler(info::healthz);
    router.get("/readyz").handler(info::readyz);
    router.route().last().handler(rc -> Responses.error(rc.response(), new ApiError(404, "invalid_request_error",
        "Only GET /healthz and GET /readyz are served on the health port.", null, "unknown_url", List.of())));
    ConnectionGuard guard = new ConnectionGuard(vertx, TIMEOUT_MS, TIMEOUT_MS, MAX_CONNECTIONS, 0);
    HttpServer server = vertx.createHttpServer(new HttpServerOptions().setHost(host).setPort(port).setIdleTimeout(0)
        .setHttp2ClearTextEnabled(false).setMaxInitialLineLength(1024));
    server.connectionHandler(guard::accepted);
    server.requestHandler(req -> {
      if (guard.requestStarted(req)) router.handle(req);
    });
    return server.listen().map(s -> new HealthListener(s, guard)).onFailure(e -> guard.close());
  }

  public int port() {
    return server.actualPort();
  }

  public Future<Void> close() {
    guard.close();
    return server.close();
  }
}
