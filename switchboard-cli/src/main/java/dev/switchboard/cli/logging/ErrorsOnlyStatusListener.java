package dev.switchboard.cli.logging;

import ch.qos.logback.core.status.Status;
import ch.qos.logback.core.status.StatusListener;

/**
 * Prints Logback's own configuration errors to stderr, and nothing else. Without a listener Logback dumps its whole
 * configuration trace whenever it has a warning, and the shipped config always has one: of the text and JSON appenders
 * only the one {@code SWITCHBOARD_LOG_FORMAT} names is referenced.
 */
public final class ErrorsOnlyStatusListener implements StatusListener {
  @Override
  public void addStatusEvent(Status status) {
    if (status.getEffectiveLevel() >= Status.ERROR) System.err.println("logging configuration: " + status);
  }

  @Override
  public boolean isResetResistant() {
    return false;
  }
}
