package dev.switchboard.router.chat;

import dev.switchboard.router.config.GatewaySnapshot;
import dev.switchboard.router.api.ApiException;
import dev.switchboard.router.routing.RoutePlanner;
import dev.switchboard.router.routing.RoutePlanner.Plan;
import io.vertx.core.Future;
import io.vertx.core.MultiMap;
import java.util.concurrent.ThreadLocalRandom;

/**
 * Turns a request into a plan of deployments. Static routes resolve at once; eval-driven routes
 * score the prompt first (off the event loop), hence the future.
 */
@FunctionalInterface
public interface RouteResolver {
  RouteResolver STATIC = (snap, chat, ex, headers) -> {
    if (!chat.options().isEmpty()) {
      // Routing control the gateway cannot honour must not be dropped silently.
      throw ApiException.badRequest("'switchboard' routing options apply only to eval-driven routes; '"
          + chat.request().model() + "' is not one.", "switchboard");
    }
    ex.category = RequestCategory.of(chat.options(), headers, snap.config().routes().get(chat.request().model()));
    return Future.succeededFuture(RoutePlanner.plan(snap.config(), chat.request().model(), () -> ThreadLocalRandom.current().nextDouble()));
  };

  /** Fails with an {@link dev.switchboard.router.api.ApiException} for unknown models or bad options. */
  Future<Plan> resolve(GatewaySnapshot snap, ParsedChat chat, ChatExchange ex, MultiMap headers);
}
