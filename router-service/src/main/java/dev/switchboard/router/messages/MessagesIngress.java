package dev.switchboard.router.messages;

import dev.switchboard.router.chat.ChatExchange;
import io.vertx.ext.web.RoutingContext;
import dev.switchboard.router.api.ApiError;
import dev.switchboard.router.chat.ChatRequestParser;
import dev.switchboard.router.chat.Ingress;
import dev.switchboard.router.chat.ParsedChat;
import dev.switchboard.router.providers.chat.Json;
import dev.switchboard.router.providers.contract.ChatResult;
import dev.switchboard.router.providers.contract.StreamTranslator;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpServerResponse;

/**
 * {@code POST /v1/messages}: Anthropic's Messages API in front of the gateway's chat pipeline. The request is
 * translated into an OpenAI chat request and routed like any other (deployments, fallback, eval-driven routes, keys,
 * limits, the request log); the answer, stream and errors are translated back, whatever the provider behind.
 */
public final class MessagesIngress implements Ingress {
  public static final MessagesIngress INSTANCE = new MessagesIngress();

  private MessagesIngress() {}

  @Override
  public ParsedChat parse(RoutingContext rc, byte[] body, ChatExchange ex) {
    return ChatRequestParser.parse(MessagesRequestTranslator.toChat(ChatRequestParser.readObject(body), false));
  }

  @Override
  public void error(HttpServerResponse out, ApiError e) {
    MessagesErrors.write(out, e);
  }

  @Override
  public Buffer completion(ChatResult result, ParsedChat chat, ChatExchange ex) {
    return Buffer.buffer(Json.writeBytes(MessageRenderer.message(result.completion(), result.usage(), chat.request().model())));
  }

  @Override
  public Ingress.StreamEncoder stream(ParsedChat chat, StreamTranslator upstream, ChatExchange ex) {
    return new MessagesStreamEncoder(upstream, chat.request().model());
  }
}
