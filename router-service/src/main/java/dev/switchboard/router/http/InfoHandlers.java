package dev.switchboard.router.http;

import dev.switchboard.router.api.Responses;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.switchboard.router.config.Deployment;
import dev.switchboard.router.config.GatewayConfig;
import dev.switchboard.router.config.GatewaySnapshot;
import dev.switchboard.router.config.RouteConfig;
import dev.switchboard.router.providers.chat.Json;
import dev.switchboard.router.resilience.Breakers;
import dev.switchboard.router.resilience.CircuitBreaker;
import io.vertx.core.buffer.Buffer;
import io.vertx.ext.web.RoutingContext;
import java.util.function.BooleanSupplier;
import java.util.function.Supplier;

/** {@code GET /v1/models}, {@code /healthz}, {@code /readyz}. */
final class InfoHandlers {
  private final Supplier<GatewaySnapshot> snapshot;
  private final Breakers breakers;
  private final BooleanSupplier extraReady;
  private final dev.switchboard.router.chat.ExchangeObserver observer;

  public InfoHandlers(Supplier<GatewaySnapshot> snapshot, Breakers breakers, BooleanSupplier extraReady,
      dev.switchboard.router.chat.ExchangeObserver observer) {
    this.snapshot = snapshot;
    this.breakers = breakers;
    this.extraReady = extraReady;
    this.observer = observer;
  }

  /** OpenAI's model list, with our deployments and route aliases and their prices. */
  public void models(RoutingContext rc) {
    GatewayConfig c = snapshot.get().config();
    ObjectNode root = Json.MAPPER.createObjectNode();
    root.put("object", "list");
    ArrayNode data = root.putArray("data");
    for (Deployment d : c.deployments().values()) {
      ObjectNode m = model(data, d.name());
      ObjectNode sb = m.putObject("switchboard");
      sb.put("kind", "deployment");
      sb.put("provider", d.provider().wireName());
      sb.put("upstream_model", d.model());
      sb.put("input_price_per_mtok", d.inputPricePerMTok());
      sb.put("output_price_per_mtok", d.outputPricePerMTok());
    }
    for (RouteConfig r : c.routes().values()) {
      ObjectNode m = model(data, r.alias());
      ObjectNode sb = m.putObject("switchboard");
      sb.put("kind", "route");
      sb.put("type", r.type().wireName());
      ArrayNode ds = sb.putArray("deployments");
      for (String name : r.deployments()) {
        Deployment d = c.deployments().get(name);
        ObjectNode o = ds.addObject();
        o.put("name", name);
        o.put("input_price_per_mtok", d.inputPricePerMTok());
        o.put("output_price_per_mtok", d.outputPricePerMTok());
      }
    }
    rc.response().putHeader("content-type", Responses.JSON).end(Buffer.buffer(Json.writeBytes(root)));
  }

  private static ObjectNode model(ArrayNode data, String id) {
    ObjectNode m = data.addObject();
    m.put("id", id);
    m.put("object", "model");
    m.put("created", 0);
    m.put("owned_by", "switchboard");
    return m;
  }

  public void healthz(RoutingContext rc) {
    rc.response().putHeader("content-type", Responses.JSON).end("{\"status\":\"ok\"}");
  }

  /**
   * Ready when a config is loaded, at least one deployment is not behind an open breaker, and
   * the other components (classifier, request log) say they are ready.
   */
  public void readyz(RoutingContext rc) {
    GatewaySnapshot snap = snapshot.get();
    ObjectNode root = Json.MAPPER.createObjectNode();
    ObjectNode ds = root.putObject("deployments");
    int available = 0;
    for (Deployment d : snap.config().deployments().values()) {
      CircuitBreaker.State st = breakers.get(d.name()).state();
      ds.put(d.name(), snap.keyMissing(d) ? "missing_api_key" : st.name().toLowerCase());
      if (st != CircuitBreaker.State.OPEN && !snap.keyMissing(d)) available++;
    }
    boolean ready = available > 0 && extraReady.getAsBoolean();
    root.put("status", ready ? "ready" : "not_ready");
    root.put("config_version", snap.version());
    // Still ready while the request log spools (nothing is lost), but said: the topic lags.
    observer.status().forEach((k, v) -> root.set(k, Json.MAPPER.valueToTree(v)));
    rc.response().setStatusCode(ready ? 200 : 503).putHeader("content-type", Responses.JSON).end(Buffer.buffer(Json.writeBytes(root)));
  }
}
