package dev.switchboard.router.providers;

/**
 * A classified upstream failure. {@code message} is the provider's own message, safe to show
 * to clients (adapters never put request headers or keys in it).
 *
 * @param retryAfterMs the provider's {@code Retry-After} in milliseconds, or -1 when absent
 */
public record UpstreamError(ErrorKind kind, int status, String message, long retryAfterMs) {
  public UpstreamError(ErrorKind kind, int status, String message) {
    this(kind, status, message, -1);
  }
}
