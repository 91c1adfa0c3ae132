package dev.switchboard.router.providers.contract;

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

  /**
   * This error with each of {@code sent} (the key and header values the attempt sent) masked in
   * its message: a key of no recognisable shape (Azure's 32 hex characters, a custom header's
   * token) is found by its value. Values under 8 characters are left alone (they would mask words).
   */
  public UpstreamError masking(java.util.Collection<String> sent) {
    String m = message;
    if (m == null) {
      return this;
    }
    for (String v : sent) {
      if (v != null && v.length() >= 8 && m.contains(v)) {
        m = m.replace(v, Secrets.MASK);
      }
    }
    return m.equals(message) ? this : new UpstreamError(kind, status, m, retryAfterMs);
  }
}
