package dev.switchboard.router.governance;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.switchboard.governance.audit.AuditEntry;
import dev.switchboard.governance.audit.AuditQuery;
import dev.switchboard.governance.keys.AdminRole;
import dev.switchboard.governance.keys.Authentication;
import dev.switchboard.governance.keys.CreatedKey;
import dev.switchboard.governance.keys.KeyRecord;
import dev.switchboard.governance.keys.KeyRegistry;
import dev.switchboard.governance.keys.KeySettings;
import dev.switchboard.governance.keys.Team;
import dev.switchboard.governance.spend.SpendGroupBy;
import dev.switchboard.governance.spend.SpendTotal;
import dev.switchboard.router.api.ApiError;
import dev.switchboard.router.api.ApiException;
import dev.switchboard.router.api.Responses;
import dev.switchboard.router.config.GatewaySnapshot;
import dev.switchboard.router.providers.chat.Json;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpMethod;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import io.vertx.ext.web.handler.BodyHandler;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Locale;
import java.util.NoSuchElementException;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/*
 * Design
 * ------
 * Every call: authenticate (the bootstrap SWITCHBOARD_ADMIN_KEY, or a key with a role), then on a worker thread (the
 * registry's admin methods and the store are blocking JDBC) check the role against what is asked, do it, and audit it.
 * Changes are audited by the registry in the same transaction as the change; reads and refusals get their own entry
 * (action "<what>.read" / "admin.denied"), so the audit log answers "who looked at spend" as well as "who revoked".
 * A call with no valid admin credential is not audited: anyone can send those, and they would flood the log.
 */
/**
 * The admin API of issue #14: {@code /admin/keys}, {@code /admin/teams}, {@code /admin/spend}, {@code /admin/audit}; and
 * {@code POST /admin/shutdown} (issue #17), the graceful stop that SIGTERM triggers.
 */
public final class AdminApi {
  private static final Logger LOG = LoggerFactory.getLogger(AdminApi.class);

  private final Supplier<GatewaySnapshot> snapshot;
  private final Governance governance;
  private final long maxBodyBytes;
  private final Runnable shutdown;

  /** @param shutdown what {@code POST /admin/shutdown} starts (the drain); called once per accepted call, on a worker */
  public AdminApi(Supplier<GatewaySnapshot> snapshot, Governance governance, long maxBodyBytes, Runnable shutdown) {
    this.shutdown = shutdown;
    this.snapshot = snapshot;
    this.governance = governance;
    this.maxBodyBytes = maxBodyBytes;
  }

  /** What an op needs of the HTTP request, read on the event loop before the op runs on a worker. */
  private record Request(String id, byte[] body, io.vertx.core.MultiMap query, String method, String path) {
    String param(String name) {
      return query.get(name);
    }
  }

  /** A change or read: returns the response body and its status; runs on a worker. */
  @FunctionalInterface
  private interface Op {
    Answer run(AdminCaller caller, Governance.Ready g, Request req);
  }

  private record Answer(int status, ObjectNode body) {}

  public void mount(Router router) {
    BodyHandler body = BodyHandler.create(false).setBodyLimit(maxBodyBytes);
    for (String path : List.of("/admin/keys", "/admin/keys/:id", "/admin/teams", "/admin/teams/:id")) {
      router.route(path).method(HttpMethod.POST).method(HttpMethod.PATCH).handler(body);
    }
    router.post("/admin/keys").handler(rc -> call(rc, this::createKey));
    router.get("/admin/keys").handler(rc -> call(rc, this::listKeys));
    router.get("/admin/keys/:id").handler(rc -> call(rc, this::getKey));
    router.patch("/admin/keys/:id").handler(rc -> call(rc, this::updateKey));
    router.delete("/admin/keys/:id").handler(rc -> call(rc, this::revokeKey));
    router.post("/admin/teams").handler(rc -> call(rc, this::createTeam));
    router.get("/admin/teams").handler(rc -> call(rc, this::listTeams));
    router.get("/admin/teams/:id").handler(rc -> call(rc, this::getTeam));
    router.patch("/admin/teams/:id").handler(rc -> call(rc, this::updateTeam));
    router.get("/admin/spend").handler(rc -> call(rc, this::spend));
    router.get("/admin/audit").handler(rc -> call(rc, this::audit));
    router.post("/admin/shutdown").handler(rc -> call(rc, this::shutdown));
  }

  // ---------------------------------------------------------------- plumbing

  private void call(RoutingContext rc, Op op) {
    String presented = Credentials.presented(rc.request());
    String source = rc.request().remoteAddress() == null ? null : rc.request().remoteAddress().hostAddress();
    GatewaySnapshot snap = snapshot.get();
    boolean bootstrap = snap.isAdminKey(presented);
    boolean looksLikeKey = presented != null && presented.startsWith("sk-sb-");
    if (!bootstrap && !looksLikeKey) {
      if (!snap.hasAdminKey()) {
        Responses.error(rc.response(), new ApiError(403, "permission_error", "The admin API is disabled: set the environment variable "
            + snap.config().server().adminKeyEnv() + " (or present a key with an admin role).", null, "admin_disabled", null));
      } else {
        Responses.error(rc.response(), invalidAdminKey());
      }
      return;
    }
    Request req = new Request(rc.pathParam("id"), rc.body() == null || rc.body().buffer() == null ? null : rc.body().buffer().getBytes(),
        io.vertx.core.MultiMap.caseInsensitiveMultiMap().addAll(rc.queryParams()), rc.request().method().name(), rc.request().path());
    governance.ready().compose(g -> governance.onWorker(() -> {
      AdminCaller caller = bootstrap ? new AdminCaller(AuditEntry.BOOTSTRAP_ADMIN, AdminRole.ADMIN, null, source) : keyCaller(g, presented, source);
      if (caller == null) throw new ApiException(invalidAdminKey());
      try {
        return op.run(caller, g, req);
      } catch (Forbidden f) {
        audit(g, caller, "admin.denied", "api", req.method() + " " + req.path());
        throw new ApiException(new ApiError(403, "permission_error", f.getMessage(), null, "forbidden", null));
      } catch (NoSuchElementException e) {
        throw new ApiException(new ApiError(404, "invalid_request_error", "No such " + (req.path().startsWith("/admin/teams") ? "team" : "key")
            + " '" + req.id() + "'.", "id", "not_found", null));
      }
    })).onComplete(ar -> {
      if (ar.succeeded()) {
        rc.response().setStatusCode(ar.result().status()).putHeader("content-type", Responses.JSON)
            .end(Buffer.buffer(Json.writeBytes(ar.result().body())));
      } else if (ar.cause() instanceof ApiException e) {
        Responses.error(rc.response(), e.error());
      } else {
        LOG.error("admin {} {} failed", req.method(), req.path(), ar.cause());
        Responses.error(rc.response(), new ApiError(503, "server_error", "The governance store is unavailable: "
            + ar.cause().getMessage(), null, "storage_unavailable", null));
      }
    });
  }

  private static ApiError invalidAdminKey() {
    return new ApiError(401, "authentication_error", "Missing or wrong admin credential (Authorization: Bearer <admin key>).", null,
        "invalid_admin_key", null);
  }

  private static AdminCaller keyCaller(Governance.Ready g, String presented, String source) {
    Authentication a = g.registry().check(presented);
    if (a.outcome() != Authentication.Outcome.ACCEPTED || a.keyOrNull().settings().role() == null) return null;
    KeyRecord k = a.keyOrNull();
    return new AdminCaller(k.id(), k.settings().role(), k.settings().teamId(), source);
  }

  /** A refused admin call: 403, and an {@code admin.denied} audit entry. */
  private static final class Forbidden extends RuntimeException {
    Forbidden(String message) {
      super(message, null, false, false);
    }
  }

  private static void requireWrite(AdminCaller c) {
    if (!c.canWrite()) throw new Forbidden("The viewer role only reads.");
  }

  private static void requireAdmin(AdminCaller c, String what) {
    if (c.role() != AdminRole.ADMIN) throw new Forbidden("Only the admin role can " + what + ".");
  }

  private void audit(Governance.Ready g, AdminCaller c, String action, String type, String id) {
    g.store().append(new AuditEntry(0, governance.clock().instant(), c.actorId(), action, type, id, null, null, c.sourceAddress()));
  }

  // ---------------------------------------------------------------- keys

  private Answer createKey(AdminCaller c, Governance.Ready g, Request req) {
    requireWrite(c);
    KeySettings s = AdminJson.keySettings(AdminJson.body(req.body()), null);
    if (c.role() == AdminRole.TEAM_ADMIN) {
      if (s.teamId() == null) s = s.toBuilder().team(c.teamId()).build(); // a team-admin's keys are its team's
      checkTeamAdminMay(c, s);
    }
    CreatedKey created;
    try {
      created = g.registry().createKey(s, c.actor());
    } catch (IllegalArgumentException e) {
      throw ApiException.badRequest("'team_id': no team '" + s.teamId() + "'.", "team_id");
    }
    ObjectNode o = AdminJson.key(created.key());
    o.put("secret", created.secret()); // the only time it is shown
    return new Answer(201, o);
  }

  /** A team-admin manages plain keys and team-admins of its own team, nothing else. */
  private static void checkTeamAdminMay(AdminCaller c, KeySettings s) {
    if (!c.coversTeam(s.teamId())) throw new Forbidden("A team-admin manages only the keys of its own team (" + c.teamId() + ").");
    if (s.role() != null && s.role() != AdminRole.TEAM_ADMIN) throw new Forbidden("A team-admin cannot grant the role " + s.role().wireName() + ".");
  }

  private Answer listKeys(AdminCaller c, Governance.Ready g, Request req) {
    ArrayNode data = Json.MAPPER.createArrayNode();
    String team = req.param("team_id");
    for (KeyRecord k : g.registry().keys()) {
      if (c.coversTeam(k.settings().teamId()) && (team == null || team.equals(k.settings().teamId()))) data.add(AdminJson.key(k));
    }
    audit(g, c, "key.list", KeyRegistry.KEY, team == null ? "*" : "team:" + team);
    return list(data);
  }

  private Answer getKey(AdminCaller c, Governance.Ready g, Request req) {
    KeyRecord k = g.registry().key(req.id()).orElseThrow();
    if (!c.coversTeam(k.settings().teamId())) throw new Forbidden("A team-admin sees only the keys of its own team.");
    audit(g, c, "key.read", KeyRegistry.KEY, k.id());
    return new Answer(200, AdminJson.key(k));
  }

  private Answer updateKey(AdminCaller c, Governance.Ready g, Request req) {
    requireWrite(c);
    KeyRecord old = g.registry().key(req.id()).orElseThrow();
    if (!c.coversTeam(old.settings().teamId())) throw new Forbidden("A team-admin manages only the keys of its own team.");
    KeySettings s = AdminJson.keySettings(AdminJson.body(req.body()), old.settings());
    if (c.role() == AdminRole.TEAM_ADMIN) checkTeamAdminMay(c, s);
    try {
      return new Answer(200, AdminJson.key(g.registry().updateKey(old.id(), s, c.actor())));
    } catch (IllegalArgumentException e) {
      throw ApiException.badRequest("'team_id': no team '" + s.teamId() + "'.", "team_id");
    }
  }

  private Answer revokeKey(AdminCaller c, Governance.Ready g, Request req) {
    requireWrite(c);
    KeyRecord old = g.registry().key(req.id()).orElseThrow();
    if (!c.coversTeam(old.settings().teamId())) throw new Forbidden("A team-admin manages only the keys of its own team.");
    return new Answer(200, AdminJson.key(g.registry().revokeKey(old.id(), c.actor())));
  }

  // ---------------------------------------------------------------- teams

  private Answer createTeam(AdminCaller c, Governance.Ready g, Request req) {
    requireAdmin(c, "create teams");
    return new Answer(201, AdminJson.team(g.registry().createTeam(AdminJson.teamSettings(AdminJson.body(req.body()), null), c.actor())));
  }

  private Answer listTeams(AdminCaller c, Governance.Ready g, Request req) {
    ArrayNode data = Json.MAPPER.createArrayNode();
    for (Team t : g.registry().teams()) if (c.coversTeam(t.id())) data.add(AdminJson.team(t));
    audit(g, c, "team.list", KeyRegistry.TEAM, "*");
    return list(data);
  }

  private Answer getTeam(AdminCaller c, Governance.Ready g, Request req) {
    Team t = g.registry().team(req.id()).orElseThrow();
    if (!c.coversTeam(t.id())) throw new Forbidden("A team-admin sees only its own team.");
    audit(g, c, "team.read", KeyRegistry.TEAM, t.id());
    return new Answer(200, AdminJson.team(t));
  }

  private Answer updateTeam(AdminCaller c, Governance.Ready g, Request req) {
    requireAdmin(c, "change teams");
    Team old = g.registry().team(req.id()).orElseThrow();
    return new Answer(200, AdminJson.team(g.registry().updateTeam(old.id(), AdminJson.teamSettings(AdminJson.body(req.body()), old.settings()),
        c.actor())));
  }

  // ---------------------------------------------------------------- spend and audit

  private Answer spend(AdminCaller c, Governance.Ready g, Request req) {
    String by = req.param("group_by") == null ? "key" : req.param("group_by");
    SpendGroupBy groupBy;
    try {
      groupBy = SpendGroupBy.valueOf(by.toUpperCase(Locale.ROOT));
    } catch (IllegalArgumentException e) {
      throw ApiException.badRequest("'group_by' must be key, team, model or day.", "group_by");
    }
    Instant to = AdminJson.queryInstant(req.param("to"), "to");
    Instant from = AdminJson.queryInstant(req.param("from"), "from");
    if (to == null) to = governance.clock().instant().plusSeconds(1);
    if (from == null) from = to.minus(Duration.ofDays(30));
    if (!from.isBefore(to)) throw ApiException.badRequest("'from' must be before 'to'.", "from");
    if (c.role() == AdminRole.TEAM_ADMIN && (groupBy == SpendGroupBy.MODEL || groupBy == SpendGroupBy.DAY)) {
      throw new Forbidden("A team-admin sees spend by key or team only (its own).");
    }
    ArrayNode data = Json.MAPPER.createArrayNode();
    g.spend().flush(); // the sums still in memory first, so the answer includes the last requests
    for (SpendTotal t : g.store().spend(groupBy, from, to)) {
      if (c.role() == AdminRole.TEAM_ADMIN && !ownSpend(c, g, groupBy, t.group())) continue;
      data.add(AdminJson.spend(t));
    }
    audit(g, c, "spend.read", "spend", by);
    ObjectNode o = list(data).body();
    o.put("group_by", by.toLowerCase(Locale.ROOT));
    o.put("from", from.toString());
    o.put("to", to.toString());
    return new Answer(200, o);
  }

  private static boolean ownSpend(AdminCaller c, Governance.Ready g, SpendGroupBy by, String group) {
    if (group == null) return false;
    if (by == SpendGroupBy.TEAM) return c.coversTeam(group);
    return g.registry().key(group).map(k -> c.coversTeam(k.settings().teamId())).orElse(false);
  }

  private Answer audit(AdminCaller c, Governance.Ready g, Request req) {
    if (c.role() == AdminRole.TEAM_ADMIN) throw new Forbidden("A team-admin cannot read the audit log.");
    int limit;
    try {
      limit = req.param("limit") == null ? 0 : Integer.parseInt(req.param("limit"));
      if (limit < 0 || limit > 10_000) throw new NumberFormatException();
    } catch (NumberFormatException e) {
      throw ApiException.badRequest("'limit' must be a whole number from 0 to 10000.", "limit");
    }
    AuditQuery q = new AuditQuery(AdminJson.queryInstant(req.param("from"), "from"), AdminJson.queryInstant(req.param("to"), "to"),
        req.param("actor"), req.param("target_type"), req.param("target_id"), limit);
    ArrayNode data = Json.MAPPER.createArrayNode();
    // read before this read's own entry is appended, so the answer shows what was there
    for (AuditEntry e : g.store().query(q)) data.add(AdminJson.audit(e));
    audit(g, c, "audit.read", "audit", "*");
    return list(data);
  }

  // ---------------------------------------------------------------- lifecycle

  /**
   * Starts the same graceful drain as SIGTERM. Answered 202 at once: the drain lets this answer (like every request in
   * flight) finish, so the caller learns that the stop began, not that it ended (watch /readyz, then the process).
   */
  private Answer shutdown(AdminCaller c, Governance.Ready g, Request req) {
    requireAdmin(c, "stop the gateway");
    audit(g, c, "gateway.shutdown", "gateway", "*");
    LOG.info("POST /admin/shutdown by {}: stopping gracefully", c.actorId());
    shutdown.run();
    ObjectNode o = Json.MAPPER.createObjectNode();
    o.put("object", "shutdown");
    o.put("status", "draining");
    return new Answer(202, o);
  }

  private static Answer list(ArrayNode data) {
    ObjectNode o = Json.MAPPER.createObjectNode();
    o.put("object", "list");
    o.set("data", data);
    return new Answer(200, o);
  }
}
