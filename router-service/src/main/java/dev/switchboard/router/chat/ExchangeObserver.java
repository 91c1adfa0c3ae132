package dev.switchboard.router.chat;

/**
 * Told about every finished chat request (success or failure), on the request's event loop:
 * implementations must not block (the request log enqueues and returns).
 *
 * @see dev.switchboard.router.chat.ChatExchange
 */
@FunctionalInterface
public interface ExchangeObserver {
  ExchangeObserver NONE = new ExchangeObserver() {
    @Override
    public void completed(ParsedChat chat, ChatExchange ex, String responseText) {}

    @Override
    public boolean needsResponseText() {
      return false;
    }
  };

  /**
   * @param chat the parsed request (null when the body could not be parsed)
   * @param responseText the assistant's text, or null on failure
   */
  void completed(ParsedChat chat, ChatExchange ex, String responseText);

  /**
   * Whether {@code responseText} is wanted. Collecting it from a stream means reading every
   * chunk's JSON on the event loop, so the gateway skips that when no observer uses the text.
   */
  default boolean needsResponseText() {
    return true;
  }

  /**
   * What this observer wants {@code /readyz} to show (e.g. the request log's state), by name; empty
   * for none. Called off the request path, must not block.
   */
  default java.util.Map<String, Object> status() {
    return java.util.Map.of();
  }

  /** Tells each observer in turn; one failing does not stop the others. */
  static ExchangeObserver all(java.util.List<ExchangeObserver> observers) {
    java.util.List<ExchangeObserver> list = java.util.List.copyOf(observers);
    if (list.isEmpty()) return NONE;
    if (list.size() == 1) return list.get(0);
    boolean text = list.stream().anyMatch(ExchangeObserver::needsResponseText);
    return new ExchangeObserver() {
      @Override
      public void completed(ParsedChat chat, ChatExchange ex, String responseText) {
        for (ExchangeObserver o : list) {
          try {
            o.completed(chat, ex, responseText);
          } catch (RuntimeException e) {
            org.slf4j.LoggerFactory.getLogger(ExchangeObserver.class).warn("observer failed: {}", e.toString());
          }
        }
      }

      @Override
      public boolean needsResponseText() {
        return text;
      }

      @Override
      public java.util.Map<String, Object> status() {
        java.util.Map<String, Object> all = new java.util.LinkedHashMap<>();
        list.forEach(o -> all.putAll(o.status()));
        return all;
      }
    };
  }
}
