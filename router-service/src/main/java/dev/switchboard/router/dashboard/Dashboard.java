package dev.switchboard.router.dashboard;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.switchboard.router.api.ApiError;
import dev.switchboard.router.api.Responses;
import dev.switchboard.router.chat.ExchangeObserver;
import dev.switchboard.router.config.GatewaySnapshot;
import dev.switchboard.router.governance.BudgetUseReader;
import dev.switchboard.router.governance.Governance;
import dev.switchboard.router.governance.ViewerAccess;
import dev.switchboard.router.metrics.GatewayMetrics;
import dev.switchboard.router.providers.chat.Json;
import dev.switchboard.router.requestlog.CaptureMode;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpServerResponse;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.time.Clock;
import java.util.Map;
import java.util.function.Supplier;

/*
 * Design
 * ------
 * One timer (on one event loop) samples once a second and keeps the snapshot as bytes; each open event stream has its
 * own timer on its own connection's event loop that sends whatever the latest bytes are. So N viewers cost one
 * sample a second, not N, and no response is written from another thread. The page, script and style are read from
 * this jar once at construction: no build step, no network, nothing fetched from a CDN.
 *
 * An event stream never finishes by itself, which would hold a graceful drain for its whole timeout; the connection's
 * shutdown handler ends it as soon as the drain begins, and the browser's EventSource reconnects (to a new instance).
 */
/** The live dashboard: {@code GET /dashboard}, {@code /dashboard/events} (SSE), {@code /dashboard/snapshot}; {@code GET /} leads there. */
public final class Dashboard implements AutoCloseable {
  static final long SAMPLE_PERIOD_MS = 1_000;
  static final long BUDGET_PERIOD_MS = 2_000;
  private static final String RESOURCES = "/dev/switchboard/router/dashboard/";
  private static final Map<String, String> ASSETS = Map.of("dashboard.js", "text/javascript; charset=utf-8",
      "dashboard.css", "text/css; charset=utf-8");

  private final GatewayMetrics metrics;
  private final DecisionFeed feed;
  private final CaptureMode capture;
  private final Clock clock;
  private final Map<String, Buffer> assets;
  private final Buffer page;
  private volatile Buffer latest;
  private volatile Started started;

  private record Started(Vertx vertx, Supplier<GatewaySnapshot> snapshot, ViewerAccess access, long sampleTimer, long budgetTimer) {}

  /**
   * @param metrics the gateway's meters (read, never written)
   * @param capture the request log's capture mode: what the decision table may show of a prompt
   * @param clock the wall clock for rates and sample times
   */
  public Dashboard(GatewayMetrics metrics, CaptureMode capture, Clock clock) {
    this.metrics = metrics;
    this.capture = capture;
    this.clock = clock;
    this.feed = new DecisionFeed(capture, clock::millis);
    this.page = resource("index.html");
    this.assets = Map.of("dashboard.js", resource("dashboard.js"), "dashboard.css", resource("dashboard.css"));
  }

  /** The observer that feeds the decision table and the overhead percentiles; add it to the gateway's observers. */
  public ExchangeObserver observer() {
    return feed;
  }

  /** Mounts the routes; pass as the gateway's extra routes. Until {@link #started} they answer 503. */
  public void mount(Router router) {
    router.get("/").handler(rc -> rc.response().setStatusCode(302).putHeader("location", "/dashboard").end());
    router.get("/dashboard").handler(rc -> guarded(rc, () -> rc.response().putHeader("content-type", "text/html; charset=utf-8")
        .putHeader("cache-control", "no-cache").end(page)));
    router.get("/dashboard/events").handler(rc -> guarded(rc, () -> events(rc)));
    router.get("/dashboard/snapshot").handler(rc -> guarded(rc, () -> rc.response().putHeader("content-type", Responses.JSON)
        .putHeader("cache-control", "no-store").end(current())));
    router.get("/dashboard/:asset").handler(rc -> guarded(rc, () -> {
      String name = rc.pathParam("asset");
      Buffer b = assets.get(name);
      if (b == null) {
        rc.next();
        return;
      }
      rc.response().putHeader("content-type", ASSETS.get(name)).putHeader("cache-control", "no-cache").end(b);
    }));
  }

  /** Starts sampling; call once the gateway has started. */
  public void started(Vertx vertx, Supplier<GatewaySnapshot> snapshot, Governance governance) {
    BudgetUseReader budgets = new BudgetUseReader(governance, clock);
    DashboardSampler sampler = new DashboardSampler(metrics.meterRegistry(), feed, budgets::latest, clock::millis, capture.wireName());
    latest = bytes(sampler.sample());
    long sampleTimer = vertx.setPeriodic(SAMPLE_PERIOD_MS, t -> latest = bytes(sampler.sample()));
    long budgetTimer = vertx.setPeriodic(0, BUDGET_PERIOD_MS, t -> budgets.refresh());
    started = new Started(vertx, snapshot, new ViewerAccess(governance), sampleTimer, budgetTimer);
  }

  private Buffer current() {
    Buffer b = latest;
    return b == null ? Buffer.buffer("{}") : b;
  }

  private void guarded(RoutingContext rc, Runnable serve) {
    Started s = started;
    if (s == null) {
      Responses.error(rc.response(), new ApiError(503, "server_error", "The dashboard is starting.", null, "starting", null));
      return;
    }
    if (!s.access().allows(rc.request(), s.snapshot().get())) {
      rc.response().putHeader("www-authenticate", "Basic realm=\"Switchboard dashboard\", charset=\"UTF-8\"");
      Responses.error(rc.response(), new ApiError(401, "authentication_error",
          "The dashboard needs the admin key, or a key with the admin or viewer role (as the password of HTTP Basic, or"
              + " Authorization: Bearer).", null, "invalid_admin_key", null));
      return;
    }
    serve.run();
  }

  /** Server-sent events: the latest snapshot now and then once a second, as {@code event: snapshot}. */
  private void events(RoutingContext rc) {
    Vertx vertx = started.vertx();
    HttpServerResponse out = rc.response().setChunked(true).putHeader("content-type", "text/event-stream; charset=utf-8")
        .putHeader("cache-control", "no-store").putHeader("x-accel-buffering", "no");
    out.write("retry: 2000\n\n");
    send(out);
    long timer = vertx.setPeriodic(SAMPLE_PERIOD_MS, t -> {
      if (!out.writeQueueFull()) send(out); // a viewer that does not read misses frames rather than buffering them
    });
    out.closeHandler(v -> vertx.cancelTimer(timer));
    rc.request().connection().shutdownHandler(v -> {
      vertx.cancelTimer(timer);
      if (!out.ended() && !out.closed()) out.end();
    });
  }

  private void send(HttpServerResponse out) {
    if (out.ended() || out.closed()) return;
    out.write(Buffer.buffer("event: snapshot\ndata: ").appendBuffer(current()).appendString("\n\n"));
  }

  private static Buffer bytes(ObjectNode snapshot) {
    return Buffer.buffer(Json.writeBytes(snapshot));
  }

  private static Buffer resource(String name) {
    try (InputStream in = Dashboard.class.getResourceAsStream(RESOURCES + name)) {
      if (in == null) throw new IllegalStateException("missing resource " + RESOURCES + name);
      return Buffer.buffer(in.readAllBytes());
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  @Override
  public void close() {
    Started s = started;
    if (s == null) return;
    s.vertx().cancelTimer(s.sampleTimer());
    s.vertx().cancelTimer(s.budgetTimer());
  }
}
