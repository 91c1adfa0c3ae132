package dev.switchboard.router.providers.contract;

/** An upstream failure found while translating a body or a stream event. */
public final class ProviderException extends RuntimeException {
  private final UpstreamError error;

  public ProviderException(UpstreamError error) {
    super(error.message(), null, false, false);
    this.error = error;
  }

  public UpstreamError error() {
    return error;
  }
}
