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

  /** Tells each observer in turn; one failing does not stop the others. */
  static ExchangeObserver all(java.util.List<ExchangeObserver> observers) {
    java.util.List<ExchangeObserver> list = java.util.List.copyOf(observers);
    if (list.isEmpty()) return NONE;
    if (list.size() == 1) return list.get(0);
    return (chat, ex, text) -> {
      for (ExchangeObserver o : list) {
        try {
          o.completed(chat, ex, text);
        } catch (RuntimeException e) {
          org.slf4j.LoggerFactory.getLogger(ExchangeObserver.class).warn("observer failed: {}", e.toString());
        }
      }
    };
  }
}
