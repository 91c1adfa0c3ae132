package dev.switchboard.router.providers.chat;

import dev.switchboard.router.providers.contract.ErrorKind;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.Map;

/** Status- and header-level error helpers every adapter's {@code classifyError} shares. */
public final class HttpErrors {
  private HttpErrors() {}

  /** Header lookup ignoring case: HTTP header names are case-insensitive, our maps are not. */
  public static String header(Map<String, String> headers, String name) {
    if (headers == null) return null;
    String v = headers.get(name);
    if (v != null) return v;
    for (Map.Entry<String, String> e : headers.entrySet()) {
      if (e.getKey() != null && e.getKey().equalsIgnoreCase(name)) return e.getValue();
    }
    return null;
  }

  /**
   * Milliseconds to wait from {@code retry-after-ms} (OpenAI), else {@code Retry-After} as seconds
   * or an HTTP-date; -1 when absent or unreadable.
   */
  public static long retryAfterMs(Map<String, String> headers, long nowMillis) {
    String ms = header(headers, "retry-after-ms");
    if (ms != null) {
      try {
        return Math.max(0, Math.round(Double.parseDouble(ms.trim())));
      } catch (NumberFormatException ignored) {
        // fall through to Retry-After
      }
    }
    String ra = header(headers, "retry-after");
    if (ra == null || ra.isBlank()) return -1;
    ra = ra.trim();
    try {
      return Math.max(0, Math.round(Double.parseDouble(ra) * 1000));
    } catch (NumberFormatException notSeconds) {
      try {
        long at = ZonedDateTime.parse(ra, DateTimeFormatter.RFC_1123_DATE_TIME).toInstant().toEpochMilli();
        return Math.max(0, at - nowMillis);
      } catch (DateTimeParseException notDate) {
        return -1;
      }
    }
  }

  /** The kind a bare status implies, before any provider-specific body inspection. */
  public static ErrorKind kindForStatus(int status) {
    return switch (status) {
      case 400, 413, 415, 422 -> ErrorKind.BAD_REQUEST;
      case 401, 403 -> ErrorKind.AUTH;
      case 404 -> ErrorKind.NOT_FOUND;
      case 408, 504 -> ErrorKind.TIMEOUT;
      case 429 -> ErrorKind.RATE_LIMITED;
      case 503, 529 -> ErrorKind.OVERLOADED;
      default -> status >= 500 ? ErrorKind.SERVER_ERROR : ErrorKind.BAD_REQUEST;
    };
  }

  /** A short text for bodies that carry no message of their own. */
  public static String genericMessage(int status) {
    return switch (kindForStatus(status)) {
      case AUTH -> "upstream rejected the credentials (HTTP " + status + ")";
      case NOT_FOUND -> "upstream model or endpoint not found (HTTP " + status + ")";
      case TIMEOUT -> "upstream timed out (HTTP " + status + ")";
      case RATE_LIMITED -> "upstream rate limit reached (HTTP " + status + ")";
      case OVERLOADED -> "upstream overloaded (HTTP " + status + ")";
      case SERVER_ERROR -> "upstream server error (HTTP " + status + ")";
      default -> "upstream rejected the request (HTTP " + status + ")";
    };
  }
}
