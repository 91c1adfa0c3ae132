package dev.switchboard.router.chat;

import dev.switchboard.router.api.ApiError;
import dev.switchboard.router.providers.contract.ChatResult;
import dev.switchboard.router.providers.contract.StreamTranslator;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpServerResponse;
import io.vertx.ext.web.RoutingContext;

/**
 * The API a client called (OpenAI chat completions, Anthropic Messages, ...): how its body becomes the gateway's
 * chat request, and how answers, streams and errors go back in that API's shape. Everything between (auth, limits,
 * routing, fallback, the upstream call, the request log) is the {@link ChatHandler}'s and the same for every API.
 * Implementations are stateless and thread-safe; the {@link StreamEncoder}s they make are per stream.
 */
public interface Ingress {

  /** OpenAI's chat completions: the shape the gateway speaks internally, so everything passes through. */
  Ingress CHAT_COMPLETIONS = new ChatCompletionsIngress();

  /**
   * Validates a request body and translates it into a chat request.
   *
   * @param rc the request (its caller, for APIs that keep state per key)
   * @param body the raw request body (possibly empty)
   * @param ex the exchange; what the answer needs of the original request goes in {@code ex.dialectState}
   * @return the chat request to route
   * @throws dev.switchboard.router.api.ApiException naming the offending field
   */
  ParsedChat parse(RoutingContext rc, byte[] body, ChatExchange ex);

  /** Writes {@code e} to the client in this API's shape: a response, or a final event when a stream has started. */
  void error(HttpServerResponse out, ApiError e);

  /**
   * The body of a non-streaming answer.
   *
   * @param result the OpenAI-shaped completion the executor produced
   * @param chat the request it answers
   * @return the bytes to send as {@code application/json}
   */
  Buffer completion(ChatResult result, ParsedChat chat, ChatExchange ex);

  /**
   * A fresh encoder for one streamed answer.
   *
   * @param upstream the stream's translator, whose usage grows as the upstream reports it
   */
  StreamEncoder stream(ParsedChat chat, StreamTranslator upstream, ChatExchange ex);

  /** Turns one stream's OpenAI chunks into this API's SSE bytes. Used from the request's event loop only. */
  interface StreamEncoder {
    /** Appends the SSE bytes for one OpenAI {@code chat.completion.chunk} (JSON text) to {@code out}. */
    void chunk(String chunk, Buffer out);

    /** Appends the bytes that end a complete stream (usage, terminator). */
    void finish(Buffer out);

    /**
     * The upstream failed mid-stream: appends this API's failure events and returns true, or returns false to let
     * {@link Ingress#error} end the stream.
     */
    default boolean fail(ApiError error, Buffer out) {
      return false;
    }
  }
}
