package dev.switchboard.router.providers.contract;

import java.util.List;

/**
 * Turns one upstream SSE stream into OpenAI {@code chat.completion.chunk} JSON strings (the text
 * after {@code data: }, without the terminal {@code [DONE]}, which the gateway writes). Stateful,
 * one per response, used from one thread.
 */
public interface StreamTranslator {

  /**
   * Consumes one upstream event and returns the OpenAI chunks it produces (often one, possibly
   * none). Throws {@link ProviderException} for a provider error event or an unparsable event.
   */
  List<String> onEvent(SseEvent event);

  /** True once the provider's terminal event was seen ({@code [DONE]}, {@code message_stop}, ...). */
  boolean finished();

  /**
   * The chunk carrying usage (empty {@code choices}, {@code usage} set) to send when the client
   * asked for {@code stream_options.include_usage}; null when the upstream reported none.
   */
  String usageChunk();

  /** Usage reported so far (zero until the provider reports it). */
  Usage usage();
}
