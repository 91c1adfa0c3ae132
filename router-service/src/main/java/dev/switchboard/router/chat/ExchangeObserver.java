package dev.switchboard.router.chat;

/**
 * Told about every finished chat request (success or failure), on the request's event loop:
 * implementations must not block (the request log enqueues and returns).
 *
 * @see dev.switchboard.router.chat.ChatExchange
 */
@FunctionalInterface
public interface ExchangeObserver {
  ExchangeObserver NONE = (chat, ex, responseText) -> {};

  /**
   * @param chat the parsed request (null when the body could not be parsed)
   * @param responseText the assistant's text, or null on failure
   */
  void completed(ParsedChat chat, ChatExchange ex, String responseText);
}
