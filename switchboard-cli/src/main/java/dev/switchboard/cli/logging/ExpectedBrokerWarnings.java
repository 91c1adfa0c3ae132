package dev.switchboard.cli.logging;

import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.filter.Filter;
import ch.qos.logback.core.spi.FilterReply;
import java.util.List;

/**
 * Keeps the embedded Kafka broker's expected warnings out of the user's log: messages that a healthy broker prints at
 * WARN on every fresh start (issue #17: "The metadata log appears to be empty" on each first start), which tell a
 * Switchboard user nothing to act on. Matched by logger and message text, one by one, so any other broker warning
 * still shows; at DEBUG ({@code SWITCHBOARD_LOG_LEVEL=DEBUG}) nothing is hidden.
 */
public final class ExpectedBrokerWarnings extends Filter<ILoggingEvent> {
  /** Logger-name prefix and a piece of the message, of each expected warning. */
  private record Expected(String logger, String text) {}

  private static final List<Expected> EXPECTED = List.of(
      // KRaft's first start formats an empty metadata log and then bootstraps it: the normal path
      new Expected("org.apache.kafka.controller", "The metadata log appears to be empty"));

  @Override
  public FilterReply decide(ILoggingEvent event) {
    if (!event.getLevel().isGreaterOrEqual(ch.qos.logback.classic.Level.WARN)) return FilterReply.NEUTRAL;
    if (event.getLoggerContextVO() != null && rootAtDebug(event)) return FilterReply.NEUTRAL;
    String logger = event.getLoggerName();
    String message = event.getMessage();
    if (logger == null || message == null) return FilterReply.NEUTRAL;
    for (Expected e : EXPECTED) {
      if (logger.startsWith(e.logger()) && message.contains(e.text())) return FilterReply.DENY;
    }
    return FilterReply.NEUTRAL;
  }

  private boolean rootAtDebug(ILoggingEvent event) {
    return getContext() instanceof ch.qos.logback.classic.LoggerContext lc
        && lc.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME).isDebugEnabled();
  }
}
