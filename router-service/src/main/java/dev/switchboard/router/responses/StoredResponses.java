package dev.switchboard.router.responses;

import dev.switchboard.router.api.ApiError;
import dev.switchboard.router.api.Responses;
import dev.switchboard.router.providers.chat.Json;
import io.vertx.core.buffer.Buffer;
import io.vertx.ext.web.RoutingContext;

/** {@code GET} and {@code DELETE /v1/responses/{id}}: only the key that created a response sees it. */
public final class StoredResponses {
  private final ResponseStore store;

  public StoredResponses(ResponseStore store) {
    this.store = store;
  }

  public void get(RoutingContext rc) {
    String id = rc.pathParam("id");
    ResponseStore.Stored s = store.get(id, ResponsesDialect.partition(rc));
    if (s == null) {
      notFound(rc, id);
      return;
    }
    rc.response().putHeader("content-type", Responses.JSON).end(Buffer.buffer(Json.writeBytes(s.response())));
  }

  public void delete(RoutingContext rc) {
    String id = rc.pathParam("id");
    if (!store.delete(id, ResponsesDialect.partition(rc))) {
      notFound(rc, id);
      return;
    }
    rc.response().putHeader("content-type", Responses.JSON)
        .end(Buffer.buffer(Json.writeBytes(Json.object().put("id", id).put("object", "response.deleted").put("deleted", true))));
  }

  private static void notFound(RoutingContext rc, String id) {
    Responses.error(rc.response(), new ApiError(404, "invalid_request_error", "Response with id '" + id + "' not found.", "response_id",
        "response_not_found", null));
  }
}
