package dev.switchboard.router.chat;

import dev.switchboard.router.config.GatewaySnapshot;
import dev.switchboard.router.routing.RoutePlanner.Plan;
import io.vertx.core.Future;
import io.vertx.ext.web.RoutingContext;

/**
 * What a chat request passes on its way to the upstream besides routing: the caller's permissions, caps, rate
 * limits and budget (issue #14, {@code router.governance.KeyGate}). {@link #OPEN} lets everything through.
 * Both methods run on the request's event loop and must not block.
 */
public interface RequestGate {
  RequestGate OPEN = new RequestGate() {
    @Override
    public ParsedChat authorize(RoutingContext rc, GatewaySnapshot snap, ParsedChat chat, ChatExchange ex) {
      return chat;
    }

    @Override
    public Future<Plan> admit(GatewaySnapshot snap, Plan plan, ParsedChat chat, ChatExchange ex) {
      return Future.succeededFuture(plan);
    }
  };

  /**
   * Before routing: may refuse (throws {@link dev.switchboard.router.api.ApiException}) or return the request with
   * its routing options capped.
   */
  ParsedChat authorize(RoutingContext rc, GatewaySnapshot snap, ParsedChat chat, ChatExchange ex);

  /**
   * After planning, before the first upstream attempt: may refuse (a failed future with an ApiException), narrow
   * the plan, add response headers to {@code ex.extraHeaders} and set {@code ex.settlement}, which the handler calls
   * once the request finished whatever its outcome.
   */
  Future<Plan> admit(GatewaySnapshot snap, Plan plan, ParsedChat chat, ChatExchange ex);

  /** Told once when a request that {@link #admit} let through has finished (answered, failed, or cut). */
  @FunctionalInterface
  interface Settlement {
    void settle(ChatExchange ex);
  }
}
