package dev.switchboard.router.messages;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.switchboard.router.api.ApiException;
import dev.switchboard.router.api.Responses;
import dev.switchboard.router.chat.ChatRequestParser;
import dev.switchboard.router.chat.ParsedChat;
import dev.switchboard.router.config.GatewaySnapshot;
import dev.switchboard.router.routing.RoutePlanner;
import dev.switchboard.router.governance.TokenEstimate;
import dev.switchboard.router.providers.chat.Json;
import io.vertx.core.Handler;
import io.vertx.core.buffer.Buffer;
import io.vertx.ext.web.RoutingContext;
import java.util.function.Supplier;

/**
 * {@code POST /v1/messages/count_tokens}: the input tokens a Messages request would use, as the gateway estimates
 * them (the estimate its rate limits charge before the upstream answers: about four characters a token over the
 * system prompt, messages and tool definitions, plus {@link #IMAGE_TOKENS} per image). The request is validated as
 * {@code /v1/messages} validates it, without {@code max_tokens}, and its model must be a deployment or a route;
 * nothing is sent upstream, because the deployment
 * that would answer may be of any provider and only Anthropic has a counting endpoint.
 */
public final class CountTokensHandler implements Handler<RoutingContext> {
  /** Anthropic's documented cost of a full-size image (about 1.15 megapixels): an upper bound per image. */
  static final long IMAGE_TOKENS = 1_600;

  private final Supplier<GatewaySnapshot> snapshot;

  public CountTokensHandler(Supplier<GatewaySnapshot> snapshot) {
    this.snapshot = snapshot;
  }

  @Override
  public void handle(RoutingContext rc) {
    ObjectNode chat;
    try {
      byte[] body = rc.body().buffer() == null ? new byte[0] : rc.body().buffer().getBytes();
      chat = MessagesRequestTranslator.toChat(ChatRequestParser.readObject(body), true);
      ParsedChat parsed = ChatRequestParser.parse(chat);
      // As Anthropic's endpoint does: a model that is neither a deployment nor a route is a 404.
      RoutePlanner.plan(snapshot.get().config(), parsed.request().model(), () -> 0);
      chat = parsed.request().body();
    } catch (ApiException e) {
      MessagesErrors.write(rc.response(), e.error());
      return;
    }
    ObjectNode answer = Json.object().put("input_tokens", estimate(chat));
    rc.response().putHeader("content-type", Responses.JSON).end(Buffer.buffer(Json.writeBytes(answer)));
  }

  static long estimate(ObjectNode chat) {
    JsonNode messages = chat.get("messages");
    long tokens = TokenEstimate.prompt(messages);
    for (JsonNode m : messages) {
      JsonNode content = m.get("content");
      if (content != null && content.isArray()) for (JsonNode p : content) if ("image_url".equals(p.path("type").asText())) tokens += IMAGE_TOKENS;
      JsonNode calls = m.get("tool_calls");
      if (calls != null) tokens += (Json.write(calls).length() + 3) / 4;
    }
    JsonNode tools = chat.get("tools");
    if (tools != null) tokens += (Json.write(tools).length() + 3) / 4;
    return tokens;
  }
}
