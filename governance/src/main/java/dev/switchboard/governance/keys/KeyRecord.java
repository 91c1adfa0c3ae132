package dev.switchboard.governance.keys;

import java.time.Instant;
import java.util.Objects;

/**
 * A key as the gateway sees it after authentication: its public id and settings, never its secret or hash.
 *
 * @param id the public id ({@code key_…}) that logs, metrics and the request log use
 * @param settings what an admin set
 * @param status enabled or revoked
 * @param createdAt when it was created
 * @param updatedAt when it last changed
 */
public record KeyRecord(String id, KeySettings settings, KeyStatus status, Instant createdAt, Instant updatedAt) {

  public KeyRecord {
    Objects.requireNonNull(id, "id");
    Objects.requireNonNull(settings, "settings");
    Objects.requireNonNull(status, "status");
    Objects.requireNonNull(createdAt, "createdAt");
    Objects.requireNonNull(updatedAt, "updatedAt");
  }

  /**
   * Tells whether the key has passed its expiry.
   *
   * @param now the current time
   * @return {@code true} when an expiry is set and {@code now} is at or after it
   */
  public boolean isExpiredAt(Instant now) {
    return settings.expiresAt() != null && !now.isBefore(settings.expiresAt());
  }

  /**
   * Tells whether the key may call {@code model}.
   *
   * @param model a model name
   * @return {@code true} when the allow-list is empty or holds it
   */
  public boolean allowsModel(String model) {
    return settings.allowedModels().isEmpty() || settings.allowedModels().contains(model);
  }

  /**
   * Tells whether the key may use {@code route}.
   *
   * @param route a route name
   * @return {@code true} when the allow-list is empty or holds it
   */
  public boolean allowsRoute(String route) {
    return settings.allowedRoutes().isEmpty() || settings.allowedRoutes().contains(route);
  }
}
