package dev.switchboard.routing;

/** A policy file that cannot be read or fails validation; the message names the file and field. */
public final class PolicyFileException extends RuntimeException {
  public PolicyFileException(String message) {
    super(message);
  }

  public PolicyFileException(String message, Throwable cause) {
    super(message, cause);
  }
}
