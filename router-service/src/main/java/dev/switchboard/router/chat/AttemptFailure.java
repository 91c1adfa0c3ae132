package dev.switchboard.router.chat;

import dev.switchboard.router.providers.contract.ErrorKind;
import dev.switchboard.router.providers.contract.UpstreamError;

/** Why one upstream attempt failed, and what that means for the next step. */
record AttemptFailure(UpstreamError error) {

  /** Retry the same deployment (after backoff) if retries remain. */
  boolean retrySame() {
    return error.kind().retriable();
  }

  /**
   * Move on to the next deployment. A misconfigured deployment (auth, unknown model) or one
   * whose context is too small says nothing about the others; a request the provider rejected
   * as malformed or filtered would be rejected everywhere, so it goes back to the client.
   */
  boolean tryNext() {
    return error.kind() != ErrorKind.BAD_REQUEST && error.kind() != ErrorKind.CONTENT_FILTER;
  }

  /** Whether this failure counts against the deployment's circuit breaker. */
  boolean countsForBreaker() {
    return error.kind().retriable();
  }

  String outcome() {
    return error.kind().name().toLowerCase(java.util.Locale.ROOT);
  }
}
