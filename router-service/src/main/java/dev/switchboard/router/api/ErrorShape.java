package dev.switchboard.router.api;

import io.vertx.core.http.HttpServerResponse;
import io.vertx.ext.web.RoutingContext;

/**
 * How an {@link ApiError} is written for the API the client called: OpenAI's shape by default, another API's where
 * a route says so (set on the routing context before authentication, so even a 401 or a 413 comes in that shape).
 */
@FunctionalInterface
public interface ErrorShape {
  /** Routing-context key of the shape for the current request. */
  String CONTEXT_KEY = "switchboard.errorShape";
  ErrorShape OPENAI = Responses::error;

  void write(HttpServerResponse out, ApiError e);

  /** Writes {@code e} in the shape the request's route chose. */
  static void write(RoutingContext rc, ApiError e) {
    ErrorShape s = rc.get(CONTEXT_KEY);
    (s == null ? OPENAI : s).write(rc.response(), e);
  }
}
