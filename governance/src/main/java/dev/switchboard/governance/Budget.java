package dev.switchboard.governance;

import java.math.BigDecimal;
import java.math.RoundingMode;
import java.util.Objects;

/**
 * A spending limit in US dollars per {@link BudgetPeriod}. A key or team without a budget is {@code null}
 * where a {@code Budget} is expected, which means unlimited.
 *
 * @param limitUsd the most that may be spent in one period; not negative
 * @param period how often the limit starts afresh
 * @param downgradeAt the share of the limit (in (0, 1]) past which the gateway lowers the quality target of
 *     eval-driven routes for the rest of the period, or {@code null} for never
 */
public record Budget(BigDecimal limitUsd, BudgetPeriod period, Double downgradeAt) {

  /** Dollars are kept to the micro-dollar: finer than any per-token price, and whole numbers for Redis. */
  public static final int USD_SCALE = 6;

  public Budget {
    Objects.requireNonNull(limitUsd, "limitUsd");
    Objects.requireNonNull(period, "period");
    if (limitUsd.signum() < 0) {
      throw new IllegalArgumentException("budget must not be negative: " + limitUsd);
    }
    limitUsd = limitUsd.setScale(USD_SCALE, RoundingMode.HALF_UP);
    if (downgradeAt != null && !(downgradeAt > 0 && downgradeAt <= 1)) {
      throw new IllegalArgumentException("downgrade_at must be a share of the budget in (0, 1], was " + downgradeAt);
    }
  }

  /** A budget without a downgrade point. */
  public Budget(BigDecimal limitUsd, BudgetPeriod period) {
    this(limitUsd, period, null);
  }

  /**
   * Whether {@code spentUsd} has reached this budget's downgrade point.
   *
   * @param spentUsd spent (and reserved) this period
   * @return false when there is no downgrade point
   */
  public boolean pastDowngradePoint(BigDecimal spentUsd) {
    return downgradeAt != null && spentUsd.compareTo(limitUsd.multiply(BigDecimal.valueOf(downgradeAt))) >= 0;
  }

  /**
   * Shorthand for tests and configuration code.
   *
   * @param usd the limit, e.g. {@code "25.00"}
   * @param period the period
   * @return the budget
   */
  public static Budget of(String usd, BudgetPeriod period) {
    return new Budget(new BigDecimal(usd), period);
  }

  /**
   * Converts dollars to whole micro-dollars, the unit of every live counter.
   *
   * @param usd an amount in dollars
   * @return the amount in micro-dollars, rounded half-up
   */
  public static long toMicros(BigDecimal usd) {
    return usd.setScale(USD_SCALE, RoundingMode.HALF_UP).movePointRight(USD_SCALE).longValueExact();
  }

  /**
   * Converts whole micro-dollars back to dollars.
   *
   * @param micros an amount in micro-dollars
   * @return the amount in dollars with scale 6
   */
  public static BigDecimal fromMicros(long micros) {
    return BigDecimal.valueOf(micros, USD_SCALE);
  }
}
