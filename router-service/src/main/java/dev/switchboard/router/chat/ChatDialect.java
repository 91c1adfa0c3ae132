package dev.switchboard.router.chat;

import dev.switchboard.router.api.ApiError;
import dev.switchboard.router.providers.contract.ChatResult;
import dev.switchboard.router.providers.contract.Usage;
import io.vertx.core.buffer.Buffer;
import io.vertx.ext.web.RoutingContext;

/**
 * An API other than chat completions whose requests are served by the chat pipeline ({@link ChatHandler}: routing,
 * fallback, governance, request log): it turns its request body into a chat request and the chat answer (an OpenAI
 * {@code chat.completion}, or {@code chat.completion.chunk}s) back into its own shape. Errors before a stream starts
 * keep the OpenAI error shape.
 */
public interface ChatDialect {

  /**
   * Validates the body and translates it; throws {@link dev.switchboard.router.api.ApiException} naming the field. What
   * the answer needs of the original request goes in {@code ex.dialectState}.
   */
  ParsedChat parse(RoutingContext rc, byte[] body, ChatExchange ex);

  /** The JSON body answering a non-streaming request. */
  byte[] completion(ParsedChat chat, ChatResult result, ChatExchange ex);

  /** A fresh writer for one streamed answer (used from the request's event loop only). */
  StreamWriter stream(ParsedChat chat, ChatExchange ex);

  /** Turns one stream's chat chunks into this API's server-sent events. */
  interface StreamWriter {
    /** Appends the events one {@code chat.completion.chunk} (JSON text) becomes, possibly none. */
    void chunk(String chunkJson, Buffer into);

    /** The upstream finished: appends the closing events. */
    void finish(Usage usage, Buffer into);

    /** The upstream failed mid-stream: appends the failure events. */
    void fail(ApiError error, Buffer into);
  }
}
