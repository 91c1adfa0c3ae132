package dev.switchboard.router.providers.chat;

import dev.switchboard.router.providers.contract.ErrorKind;
import dev.switchboard.router.providers.contract.ProviderException;
import dev.switchboard.router.providers.contract.UpstreamError;

/** A client request an adapter cannot translate: a 400 naming the offending field. */
public final class BadRequests {
  private BadRequests() {}

  public static ProviderException of(String message) {
    return new ProviderException(new UpstreamError(ErrorKind.BAD_REQUEST, 400, message));
  }

  public static ProviderException invalidResponse(String message) {
    return new ProviderException(new UpstreamError(ErrorKind.INVALID_RESPONSE, 200, message));
  }
}
