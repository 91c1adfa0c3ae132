package dev.switchboard.router.api;

/** Thrown inside the gateway to answer the client with an {@link ApiError}; no stack trace kept. */
public final class ApiException extends RuntimeException {
  private final ApiError error;

  public ApiException(ApiError error) {
    super(error.message(), null, false, false);
    this.error = error;
  }

  public static ApiException badRequest(String message, String param) {
    return new ApiException(ApiError.invalidRequest(message, param, "invalid_value"));
  }

  public ApiError error() {
    return error;
  }
}
