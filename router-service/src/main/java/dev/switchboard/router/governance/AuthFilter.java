package dev.switchboard.router.governance;

import dev.switchboard.governance.keys.Authentication;
import dev.switchboard.router.api.ApiError;
import dev.switchboard.router.api.ErrorShape;
import dev.switchboard.router.metrics.GatewayMetrics;
import io.micrometer.core.instrument.Counter;
import io.vertx.core.Handler;
import io.vertx.ext.web.RoutingContext;
import java.util.EnumMap;
import java.util.Locale;
import java.util.Map;

/**
 * Authenticates every {@code /v1/*} call when {@code server.auth: required}: from memory, never blocking. Missing,
 * unknown, revoked and expired keys get the same 401, so a client cannot probe which keys exist; why it was refused
 * goes only to the metric {@code switchboard_auth_total{outcome}}.
 */
public final class AuthFilter implements Handler<RoutingContext> {
  static final ApiError INVALID_KEY = new ApiError(401, "invalid_request_error",
      "Missing or invalid API key. Send a Switchboard key as 'Authorization: Bearer sk-sb-...' or 'x-api-key'.", null,
      "invalid_api_key", null);

  private final Governance governance;
  private final Map<Authentication.Outcome, Counter> outcomes = new EnumMap<>(Authentication.Outcome.class);

  public AuthFilter(Governance governance, GatewayMetrics metrics) {
    this.governance = governance;
    for (Authentication.Outcome o : Authentication.Outcome.values()) {
      outcomes.put(o, metrics.counter("switchboard_auth_total", "Authentication of /v1 calls by outcome",
          "outcome", o.name().toLowerCase(Locale.ROOT)));
    }
  }

  @Override
  public void handle(RoutingContext rc) {
    if (!governance.authRequired()) {
      rc.next();
      return;
    }
    Governance.Ready ready = governance.readyOrNull(); // opened before the gateway listened
    Authentication a = ready.registry().check(Credentials.presented(rc.request()));
    outcomes.get(a.outcome()).increment();
    if (a.outcome() != Authentication.Outcome.ACCEPTED) {
      rc.response().putHeader("www-authenticate", "Bearer");
      ErrorShape.write(rc, INVALID_KEY);
      return;
    }
    String teamId = a.keyOrNull().settings().teamId();
    rc.put(Caller.CONTEXT_KEY, new Caller(a.keyOrNull(), teamId == null ? null : ready.registry().team(teamId).orElse(null)));
    rc.next();
  }
}
