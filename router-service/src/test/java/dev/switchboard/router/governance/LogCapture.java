package dev.switchboard.router.governance;

import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.classic.spi.ThrowableProxyUtil;
import ch.qos.logback.core.read.ListAppender;
import java.util.List;
import org.slf4j.LoggerFactory;

/** Every log event of the process while open (root logger), formatted with its stack trace, to search for secrets. */
final class LogCapture implements AutoCloseable {
  private final ListAppender<ILoggingEvent> appender = new ListAppender<>();
  private final Logger root = (Logger) LoggerFactory.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME);

  LogCapture() {
    appender.start();
    root.addAppender(appender);
  }

  /** Each event as message + stack trace. */
  List<String> lines() {
    synchronized (appender.list) {
      return appender.list.stream().map(e -> e.getFormattedMessage()
          + (e.getThrowableProxy() == null ? "" : "\n" + ThrowableProxyUtil.asString(e.getThrowableProxy()))).toList();
    }
  }

  @Override
  public void close() {
    root.detachAppender(appender);
  }
}
