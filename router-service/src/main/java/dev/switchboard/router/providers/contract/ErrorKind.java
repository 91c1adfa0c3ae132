package dev.switchboard.router.providers.contract;

/** What went wrong upstream; decides retry and fallback and the client-visible status. */
public enum ErrorKind {
  CONNECT(true), TIMEOUT(true), RATE_LIMITED(true), SERVER_ERROR(true), OVERLOADED(true),
  /** A 2xx whose body could not be understood: the next deployment may do better. */
  INVALID_RESPONSE(true),
  AUTH(false), BAD_REQUEST(false), NOT_FOUND(false), CONTEXT_LENGTH(false), CONTENT_FILTER(false);

  private final boolean retriable;

  ErrorKind(boolean retriable) {
    this.retriable = retriable;
  }

  /** Retriable errors are retried on the same deployment and then fall back to the next. */
  public boolean retriable() {
    return retriable;
  }
}
