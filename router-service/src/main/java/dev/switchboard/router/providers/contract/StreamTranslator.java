package dev.switchboard.router.providers.contract;

import java.util.List;

/**
 * Turns one upstream SSE stream into OpenAI {@code chat.completion.chunk} JSON strings (the text
 * after {@code data: }, without the terminal {@code [DONE]}, which the gateway writes). Stateful,
 * one per response, used from one thread.
 *
 * <p>The gateway calls {@link #onEvent} per event, then {@link #onEnd} once when the upstream
 * body ends (after the SSE parser was flushed). It commits the client response to this upstream
 * only once {@link #started()} or {@link #finished()}: chunks before that (the role chunk) are
 * held back, so an error event right after the role chunk still falls back to the next deployment.
 */
public interface StreamTranslator {

  /**
   * Consumes one upstream event and returns the OpenAI chunks it produces (often one, possibly
   * none). Throws {@link ProviderException} for a provider error event or an unparsable event.
   */
  List<String> onEvent(SseEvent event);

  /**
   * The upstream body ended. Returns the chunks the end produces (Gemini's finish reasons, which
   * only the end makes final); may set {@link #finished()}. Default: none.
   */
  default List<String> onEnd() {
    return List.of();
  }

  /** True once the provider's terminal event was seen ({@code [DONE]}, {@code message_stop}, ...). */
  boolean finished();

  /**
   * True once a chunk carrying output was produced: text, reasoning, a tool call, a refusal or a
   * finish reason. The role-only first chunk does not count.
   */
  boolean started();

  /**
   * The chunk carrying usage (empty {@code choices}, {@code usage} set) to send when the client
   * asked for {@code stream_options.include_usage}; null when the upstream reported none.
   */
  String usageChunk();

  /** Usage reported so far (zero until the provider reports it). */
  Usage usage();
}
