package dev.switchboard.router.evaldriven;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.switchboard.router.chat.ChatExchange;
import dev.switchboard.router.chat.ChatRequestParser;
import dev.switchboard.router.chat.ParsedChat;
import dev.switchboard.router.chat.RouteResolver;
import dev.switchboard.router.config.GatewaySnapshot;
import dev.switchboard.router.config.RouteConfig;
import dev.switchboard.router.config.RouteType;
import dev.switchboard.router.api.ApiError;
import dev.switchboard.router.api.ApiException;
import dev.switchboard.router.api.Responses;
import dev.switchboard.router.providers.chat.Json;
import dev.switchboard.routing.Policy;
import dev.switchboard.routing.Selection;
import dev.switchboard.routing.SelectionOverrides;
import io.vertx.core.buffer.Buffer;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.Map;
import java.util.function.Function;
import java.util.function.Supplier;

/**
 * {@code POST /v1/route} (the decision without calling any upstream), {@code GET /admin/policies},
 * {@code PUT /admin/policies/{route}} and {@code PUT /admin/classifiers/{sha256}}.
 */
final class RoutingHandlers {
  private final Supplier<GatewaySnapshot> snapshot;
  private final EvalDrivenRouting routing;
  private final Function<String, String> env;

  public RoutingHandlers(Supplier<GatewaySnapshot> snapshot, EvalDrivenRouting routing, Function<String, String> env) {
    this.snapshot = snapshot;
    this.routing = routing;
    this.env = env;
  }

  public void mount(Router router) {
    router.post("/v1/route").handler(this::route);
    router.get("/admin/policies").handler(this::listPolicies);
    // Before the body handler (order -1), which would fail on a form body with an opaque 400.
    router.put("/admin/policies/:route").order(-1).handler(this::refuseForms);
    router.put("/admin/policies/:route").handler(this::putPolicy);
    router.put("/admin/classifiers/:sha256").handler(this::putClassifier);
  }

  // ---------------------------------------------------------------- /v1/route

  private void route(RoutingContext rc) {
    GatewaySnapshot snap = snapshot.get();
    ParsedChat chat;
    try {
      chat = ChatRequestParser.parse(rc.body().buffer() == null ? new byte[0] : rc.body().buffer().getBytes());
      RouteConfig route = snap.config().routes().get(chat.request().model());
      ChatExchange ex = new ChatExchange("route", System.nanoTime(), Long.MAX_VALUE);
      if (route == null || route.type() != RouteType.EVAL_DRIVEN) {
        var plan = RouteResolver.STATIC.resolve(snap, chat, ex, rc.request().headers()).result();
        ObjectNode o = Json.MAPPER.createObjectNode();
        o.put("route", plan.route());
        o.put("type", route == null ? "deployment" : route.type().wireName());
        o.put("model", plan.deployments().get(0).name());
        o.put("category", ex.category);
        ArrayNode fb = o.putArray("fallbacks");
        for (int i = 1; i < plan.deployments().size(); i++) fb.add(plan.deployments().get(i).name());
        json(rc, o);
        return;
      }
      routing.decide(snap, route, chat, rc.request().headers(), ex).onComplete(ar -> {
        if (ar.failed()) {
          Responses.error(rc.response(), ar.cause() instanceof ApiException ae ? ae.error()
              : new ApiError(500, "server_error", "Routing failed.", null, "internal_error", null));
        } else {
          ObjectNode o = decisionJson(ar.result());
          o.put("scoring_deadline_ms", routing.deadlineMs());
          json(rc, o);
        }
      });
    } catch (ApiException e) {
      Responses.error(rc.response(), e.error());
    }
  }

  /** The decision as JSON; the same fields the response headers carry, and more. */
  static ObjectNode decisionJson(RoutedDecision d) {
    ObjectNode o = Json.MAPPER.createObjectNode();
    o.put("route", d.route());
    o.put("type", "eval-driven");
    o.put("model", d.chosen());
    o.put("policy_version", d.policy().version());
    o.put("policy_kind", d.policy().kind().yamlName());
    o.put("category", d.category());
    if (d.decision() != null) o.put("reason", d.decision().reason().name().toLowerCase(java.util.Locale.ROOT));
    if (d.fallbackReason() != null) o.put("routing_fallback", d.fallbackReason());
    if (d.scores() != null) {
      o.put("difficulty", d.scores().difficulty());
      ObjectNode pq = o.putObject("predicted_quality");
      EvalDrivenRouting.predictedQuality(d).forEach(pq::put);
    }
    thresholds(o, d.policy(), d.overrides());
    o.put("expected_cost_usd", d.expectedCostUsd());
    ArrayNode fb = o.putArray("fallbacks");
    for (int i = 1; i < d.plan().size(); i++) fb.add(d.plan().get(i).name());
    o.put("scoring_ms", d.scoringNanos() / 1e6);
    return o;
  }

  /**
   * The thresholds this request was decided by ({@code thresholds} or {@code difficulty_thresholds}),
   * from {@link Selection#effectiveThresholds} itself, and the policy's own beside them: a per-request
   * quality target scales the policy's numbers, so printing those alone would show a bar the
   * decision did not use.
   */
  private static void thresholds(ObjectNode o, Policy policy, SelectionOverrides overrides) {
    double[] effective = Selection.effectiveThresholds(policy, overrides);
    o.put("threshold_scale", Selection.thresholdScale(policy, overrides));
    if (policy.kind() == Policy.Kind.QUALITY_THRESHOLD) {
      ObjectNode th = o.putObject("thresholds");
      ObjectNode pt = o.putObject("policy_thresholds");
      for (int i = 0; i < effective.length; i++) {
        Policy.Candidate c = policy.candidates().get(i);
        th.put(c.model(), effective[i]);
        pt.put(c.model(), c.threshold());
      }
    } else {
      ArrayNode th = o.putArray("difficulty_thresholds");
      for (double v : effective) th.add(v);
      ArrayNode pt = o.putArray("policy_difficulty_thresholds");
      policy.difficultyThresholds().forEach(pt::add);
    }
  }

  // ---------------------------------------------------------------- admin

  private boolean authorized(RoutingContext rc) {
    String var = snapshot.get().config().server().adminKeyEnv();
    String key = var == null ? null : env.apply(var);
    if (key == null || key.isBlank()) {
      Responses.error(rc.response(), new ApiError(403, "permission_error",
          "The admin API is disabled: set the environment variable " + (var == null ? "named by server.admin_key_env" : var) + " to enable it.",
          null, "admin_disabled", null));
      return false;
    }
    String auth = rc.request().getHeader("authorization");
    String given = auth != null && auth.startsWith("Bearer ") ? auth.substring(7) : "";
    if (!MessageDigest.isEqual(given.getBytes(StandardCharsets.UTF_8), key.getBytes(StandardCharsets.UTF_8))) {
      Responses.error(rc.response(), new ApiError(401, "authentication_error", "Missing or wrong admin key (Authorization: Bearer ...).",
          null, "invalid_admin_key", null));
      return false;
    }
    return true;
  }

  private void listPolicies(RoutingContext rc) {
    if (!authorized(rc)) return;
    ObjectNode root = Json.MAPPER.createObjectNode();
    ObjectNode routes = root.putObject("routes");
    for (Map.Entry<String, PolicyRegistry.Live> e : routing.policies().all().entrySet()) {
      PolicyRegistry.Live l = e.getValue();
      ObjectNode r = routes.putObject(e.getKey());
      r.put("version", l.policy().version());
      r.put("kind", l.policy().kind().yamlName());
      r.put("file", l.file());
      r.put("source", l.source());
      r.put("loaded_at", l.loadedAt().toString());
      if (l.policy().target() != null) r.put("target", l.policy().target().toString());
      if (l.policy().classifier() != null) r.put("classifier_sha256", l.policy().classifier().sha256());
      ObjectNode lc = r.putObject("classifier");
      lc.put("sha256", l.classifier().sha256());
      lc.put("path", l.classifier().path());
      lc.put("loaded_at", l.classifier().loadedAt().toString());
      l.classifier().classifier().card().candidateNames().forEach(lc.putArray("candidates")::add);
      ArrayNode cs = r.putArray("candidates");
      for (Policy.Candidate c : l.policy().candidates()) {
        ObjectNode co = cs.addObject();
        co.put("model", c.model());
        co.put("threshold", c.threshold());
        co.put("input_price_per_mtok", c.inputPricePerMtok());
        co.put("output_price_per_mtok", c.outputPricePerMtok());
      }
      String rej = routing.policies().lastRejection(e.getKey());
      if (rej == null) r.putNull("last_rejection"); else r.put("last_rejection", rej);
    }
    json(rc, root);
  }

  /** A policy sent as a form (curl -d) is refused with how to send it; anything else goes on. */
  private void refuseForms(RoutingContext rc) {
    String type = rc.request().getHeader("content-type");
    if (type != null && (type.toLowerCase(java.util.Locale.ROOT).startsWith("application/x-www-form-urlencoded")
        || type.toLowerCase(java.util.Locale.ROOT).startsWith("multipart/form-data"))) {
      // curl -d sends a form, and strips the file's newlines: the YAML would fail to parse with a
      // message about line 1 that says nothing of the real mistake.
      Responses.error(rc.response(), new ApiError(415, "invalid_request_error",
          "Send the policy file as the raw body, not a form: curl -X PUT --data-binary @policy.yaml -H 'content-type: application/yaml' ..."
              + " (curl -d sends a form and strips the file's newlines).", null, "unsupported_media_type", null));
      return;
    }
    rc.next();
  }

  private void putPolicy(RoutingContext rc) {
    if (!authorized(rc)) return;
    String route = rc.pathParam("route");
    String yaml = rc.body().asString("UTF-8");
    if (yaml == null || yaml.isBlank()) {
      Responses.error(rc.response(), ApiError.invalidRequest("The body must be a policy file (YAML) from 'switchboard tune'.", null, "missing_policy"));
      return;
    }
    rc.vertx().executeBlocking(() -> routing.policies().replace(route, yaml), false).onComplete(ar -> {
      if (ar.succeeded()) {
        ObjectNode o = Json.MAPPER.createObjectNode();
        o.put("route", route);
        o.put("version", ar.result().policy().version());
        o.put("status", "live");
        json(rc, o);
      } else if (ar.cause() instanceof PolicyRegistry.PolicyRejected pr) {
        int status = routing.policies().get(route) == null ? 404 : 422;
        Responses.error(rc.response(), new ApiError(status, "invalid_request_error",
            "Policy rejected; the previous policy keeps serving. " + pr.getMessage(), null, status == 404 ? "unknown_route" : "policy_rejected", null));
      } else {
        Responses.error(rc.response(), new ApiError(500, "server_error", "Could not install the policy.", null, "internal_error", null));
      }
    });
  }

  /**
   * Stores a classifier for a later policy to name by sha256. Body: {@code {"card": <card.json>,
   * "onnx_base64": "<classifier.onnx, base64>"}}. Checked (hashes, loads with this build's encoder)
   * before it is stored; nothing serves with it until a policy names it.
   */
  private void putClassifier(RoutingContext rc) {
    if (!authorized(rc)) return;
    String sha = rc.pathParam("sha256");
    com.fasterxml.jackson.databind.JsonNode body;
    byte[] onnx;
    try {
      body = rc.body().buffer() == null || rc.body().length() == 0 ? null : Json.MAPPER.readTree(rc.body().buffer().getBytes());
      if (body == null || !body.isObject() || !body.path("card").isObject() || !body.path("onnx_base64").isTextual()) {
        throw new IllegalArgumentException("missing fields");
      }
      onnx = java.util.Base64.getDecoder().decode(body.path("onnx_base64").asText());
    } catch (java.io.IOException | IllegalArgumentException e) {
      Responses.error(rc.response(), ApiError.invalidRequest("The body must be JSON {\"card\": <card.json>, \"onnx_base64\": "
          + "\"<classifier.onnx in base64>\"} (what 'switchboard train' wrote).", null, "missing_classifier"));
      return;
    }
    com.fasterxml.jackson.databind.JsonNode card = body.get("card");
    rc.vertx().executeBlocking(() -> {
      ClassifierStore.Stored stored = routing.policies().store().put(sha, card, onnx);
      routing.policies().pruneUploads(); // the new upload is the most recent, so it stays
      return stored;
    }, false).onComplete(ar -> {
      if (ar.succeeded()) {
        ObjectNode o = Json.MAPPER.createObjectNode();
        o.put("sha256", ar.result().sha256());
        ar.result().card().candidateNames().forEach(o.putArray("candidates")::add);
        o.put("status", ar.result().alreadyThere() ? "already_stored" : "stored");
        json(rc, o);
      } else if (ar.cause() instanceof ClassifierStore.UploadRejected ur) {
        Responses.error(rc.response(), new ApiError(ur.status(), "invalid_request_error", "Classifier rejected; nothing changed. "
            + ur.getMessage(), null, ur.status() == 400 ? "missing_classifier" : "classifier_rejected", null));
      } else {
        Responses.error(rc.response(), new ApiError(500, "server_error", "Could not store the classifier.", null, "internal_error", null));
      }
    });
  }

  private static void json(RoutingContext rc, ObjectNode o) {
    rc.response().putHeader("content-type", Responses.JSON).end(Buffer.buffer(Json.writeBytes(o)));
  }
}
