package dev.switchboard.router.chat;

import dev.switchboard.router.config.RouteConfig;
import dev.switchboard.router.api.ApiException;
import io.vertx.core.MultiMap;

/**
 * The category of one request (a classifier feature on eval-driven routes, and the request log's
 * {@code category} on every route). The most specific source wins: the body's
 * {@code switchboard.category}, else the header {@code x-switchboard-category} (as with the quality
 * target, the body beats a header), else the route's configured {@code category}.
 */
public final class RequestCategory {
  public static final String HEADER = "x-switchboard-category";

  private RequestCategory() {}

  /**
   * Resolves the category, validating the header even when the body wins (bad input is never
   * dropped silently).
   *
   * @param options the parsed body field {@code switchboard} (its category is already validated)
   * @param route the route the request names, or null for a deployment named directly
   * @return the category, or null when no source names one
   * @throws ApiException 400 {@code invalid_value} naming the header when it is blank or too long
   */
  public static String of(SwitchboardOptions options, MultiMap headers, RouteConfig route) {
    String header = headers.get(HEADER);
    if (header != null && (header.isBlank() || header.length() > RouteConfig.MAX_CATEGORY_CHARS)) {
      throw ApiException.badRequest("Header '" + HEADER + "' must be a non-empty string of at most " + RouteConfig.MAX_CATEGORY_CHARS
          + " characters, got " + (header.isBlank() ? "an empty value" : header.length() + " characters") + ".", HEADER);
    }
    if (options.category() != null) return options.category();
    if (header != null) return header;
    return route == null ? null : route.category();
  }
}
