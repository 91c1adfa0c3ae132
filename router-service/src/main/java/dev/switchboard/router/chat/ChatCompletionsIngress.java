package dev.switchboard.router.chat;

import io.vertx.ext.web.RoutingContext;
import dev.switchboard.router.api.ApiError;
import dev.switchboard.router.api.Responses;
import dev.switchboard.router.providers.chat.Json;
import dev.switchboard.router.providers.contract.ChatResult;
import dev.switchboard.router.providers.contract.StreamTranslator;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpServerResponse;

/** {@code /v1/chat/completions}: the internal shape, so requests, answers and chunks pass through as they are. */
final class ChatCompletionsIngress implements Ingress {
  private static final String DONE = "data: [DONE]\n\n";

  @Override
  public ParsedChat parse(RoutingContext rc, byte[] body, ChatExchange ex) {
    return ChatRequestParser.parse(body);
  }

  @Override
  public void error(HttpServerResponse out, ApiError e) {
    Responses.error(out, e);
  }

  @Override
  public Buffer completion(ChatResult result, ParsedChat chat, ChatExchange ex) {
    return Buffer.buffer(result.body() != null ? result.body() : Json.writeBytes(result.completion()));
  }

  @Override
  public StreamEncoder stream(ParsedChat chat, StreamTranslator upstream, ChatExchange ex) {
    return new Encoder(chat.request().includeUsage(), upstream);
  }

  private record Encoder(boolean includeUsage, StreamTranslator t) implements StreamEncoder {
    @Override
    public void chunk(String chunk, Buffer out) {
      out.appendString("data: ").appendString(chunk).appendString("\n\n");
    }

    @Override
    public void finish(Buffer out) {
      if (includeUsage && t.usageChunk() != null) out.appendString("data: ").appendString(t.usageChunk()).appendString("\n\n");
      out.appendString(DONE);
    }
  }
}
