package dev.switchboard.router.http;

import dev.switchboard.router.api.Responses;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.switchboard.router.config.Deployment;
import dev.switchboard.router.config.GatewayConfig;
import dev.switchboard.router.config.GatewaySnapshot;
import dev.switchboard.router.config.RouteConfig;
import dev.switchboard.router.embeddings.LocalModels;
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

  /** OpenAI's model list, with our deployments and route aliases and their prices, and the local embedding models. */
  public void models(RoutingContext rc) {
    ObjectNode root = Json.MAPPER.createObjectNode();
    root.put("object", "list");
    root.set("data", entries(snapshot.get().config()));
    rc.response().putHeader("content-type", Responses.JSON).end(Buffer.buffer(Json.writeBytes(root)));
  }

  /** {@code GET /v1/models/{id}}: one entry of the list (ids may hold a slash: {@code local/...}), or OpenAI's 404. */
  public void model(RoutingContext rc) {
    String path = rc.request().path();
    String id = java.net.URLDecoder.decode(path.substring(path.indexOf("/models/") + "/models/".length()), java.nio.charset.StandardCharsets.UTF_8);
    for (var m : entries(snapshot.get().config())) {
      if (m.path("id").asText().equals(id)) {
        rc.response().putHeader("content-type", Responses.JSON).end(Buffer.buffer(Json.writeBytes(m)));
        return;
      }
    }
    Responses.error(rc.response(), new dev.switchboard.router.api.ApiError(404, "invalid_request_error",
        "The model '" + id + "' does not exist. GET /v1/models lists the deployments, route aliases and local models of this gateway.",
        "model", "model_not_found", null));
  }

  private static ArrayNode entries(GatewayConfig c) {
    ArrayNode data = Json.MAPPER.createArrayNode();
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
    for (LocalModels.Model l : LocalModels.ALL) {
      ObjectNode sb = model(data, l.id()).putObject("switchboard");
      sb.put("kind", "local_embedding");
      sb.put("encoder", l.encoderId());
      sb.put("dimensions", l.dim());
      sb.put("input_price_per_mtok", 0);
    }
    return data;
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
