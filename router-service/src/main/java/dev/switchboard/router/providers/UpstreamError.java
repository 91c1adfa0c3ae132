package dev.switchboard.router.providers;

/**
 * A classified upstream failure. {@code message} is the provider's own message with every API key
 * and bearer token masked ({@link Secrets#scrub}): providers quote the key they rejected ("Incorrect
 * API key provided: sk-…"), and this message reaches clients ({@code upstream_rejected},
 * {@code all_upstreams_failed}), logs and the request log.
 *
 * @param retryAfterMs the provider's {@code Retry-After} in milliseconds, or -1 when absent
 */
public record UpstreamError(ErrorKind kind, int status, String message, long retryAfterMs) {
  public UpstreamError {
    message = Secrets.scrub(message);
  }

  public UpstreamError(ErrorKind kind, int status, String message) {
    this(kind, status, message, -1);
  }
}
