package dev.switchboard.dataset.importer;

/** A user-facing import failure (unreadable input, nothing usable); the message says what to fix. */
public final class DatasetImportException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  public DatasetImportException(String message) {
    super(message);
  }

  public DatasetImportException(String message, Throwable cause) {
    super(message, cause);
  }
}
