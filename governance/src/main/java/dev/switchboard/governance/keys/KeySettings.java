package dev.switchboard.governance.keys;

import dev.switchboard.governance.Budget;
import java.math.BigDecimal;
import java.time.Instant;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

/**
 * Everything about a key that an admin sets: used to create a key and, whole, to change one.
 * Every nullable limit means "unlimited"; empty allow-lists mean "all".
 *
 * @param name a human label, not unique
 * @param teamId the team the key spends for, or {@code null}
 * @param allowedModels models the key may call; empty = all
 * @param allowedRoutes routes (eval-driven route names) the key may use; empty = all
 * @param maxQualityTarget the highest quality target a request may ask for, or {@code null}
 * @param maxCostUsd the highest {@code max_cost_usd} a request may ask for, or {@code null}
 * @param rpm requests per minute, or {@code null}
 * @param tpm tokens per minute, or {@code null}
 * @param budget the key's own spending limit, or {@code null}
 * @param expiresAt when the key stops working, or {@code null}
 * @param tags free-form metadata (owner, environment, ...)
 * @param role what the key may do on the admin API, or {@code null} for an ordinary API key
 */
public record KeySettings(
    String name,
    String teamId,
    Set<String> allowedModels,
    Set<String> allowedRoutes,
    Double maxQualityTarget,
    BigDecimal maxCostUsd,
    Integer rpm,
    Long tpm,
    Budget budget,
    Instant expiresAt,
    Map<String, String> tags,
    AdminRole role) {

  public KeySettings {
    Objects.requireNonNull(name, "name");
    allowedModels = allowedModels == null ? Set.of() : Set.copyOf(allowedModels);
    allowedRoutes = allowedRoutes == null ? Set.of() : Set.copyOf(allowedRoutes);
    tags = tags == null ? Map.of() : Map.copyOf(tags);
    // The store keeps micro-dollars; the same scale here makes a record read back equal the one written.
    maxCostUsd = maxCostUsd == null ? null : maxCostUsd.setScale(Budget.USD_SCALE, java.math.RoundingMode.HALF_UP);
    if (rpm != null && rpm < 0 || tpm != null && tpm < 0) {
      throw new IllegalArgumentException("rpm and tpm must not be negative");
    }
  }

  /**
   * Starts a builder with everything unlimited.
   *
   * @param name the key's label
   * @return the builder
   */
  public static Builder named(String name) {
    return new Builder(name);
  }

  /** @return a builder holding these settings, to change a few of them */
  public Builder toBuilder() {
    Builder b = new Builder(name);
    b.teamId = teamId;
    b.allowedModels = allowedModels;
    b.allowedRoutes = allowedRoutes;
    b.maxQualityTarget = maxQualityTarget;
    b.maxCostUsd = maxCostUsd;
    b.rpm = rpm;
    b.tpm = tpm;
    b.budget = budget;
    b.expiresAt = expiresAt;
    b.tags = tags;
    b.role = role;
    return b;
  }

  /** Builds {@link KeySettings} a field at a time; unset fields are unlimited. */
  public static final class Builder {
    private final String name;
    private String teamId;
    private Set<String> allowedModels = Set.of();
    private Set<String> allowedRoutes = Set.of();
    private Double maxQualityTarget;
    private BigDecimal maxCostUsd;
    private Integer rpm;
    private Long tpm;
    private Budget budget;
    private Instant expiresAt;
    private Map<String, String> tags = Map.of();
    private AdminRole role;

    private Builder(String name) {
      this.name = name;
    }

    /** @param v team id @return this */
    public Builder team(String v) { teamId = v; return this; }
    /** @param v allowed models (empty = all) @return this */
    public Builder models(Set<String> v) { allowedModels = v; return this; }
    /** @param v allowed routes (empty = all) @return this */
    public Builder routes(Set<String> v) { allowedRoutes = v; return this; }
    /** @param v highest quality target @return this */
    public Builder maxQualityTarget(Double v) { maxQualityTarget = v; return this; }
    /** @param v highest per-request max_cost_usd @return this */
    public Builder maxCostUsd(BigDecimal v) { maxCostUsd = v; return this; }
    /** @param v requests per minute @return this */
    public Builder rpm(Integer v) { rpm = v; return this; }
    /** @param v tokens per minute @return this */
    public Builder tpm(Long v) { tpm = v; return this; }
    /** @param v the key's budget @return this */
    public Builder budget(Budget v) { budget = v; return this; }
    /** @param v expiry @return this */
    public Builder expiresAt(Instant v) { expiresAt = v; return this; }
    /** @param v metadata tags @return this */
    public Builder tags(Map<String, String> v) { tags = v; return this; }
    /** @param v admin role, or {@code null} for an ordinary key @return this */
    public Builder role(AdminRole v) { role = v; return this; }

    /** @return the settings */
    public KeySettings build() {
      return new KeySettings(name, teamId, allowedModels, allowedRoutes, maxQualityTarget, maxCostUsd, rpm, tpm,
          budget, expiresAt, tags, role);
    }
  }
}
