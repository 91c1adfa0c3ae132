package dev.switchboard.governance;

import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;

/** How often a budget starts afresh. Periods are UTC calendar periods, so every gateway process agrees on them. */
public enum BudgetPeriod {
  /** A UTC calendar day. */
  DAY,
  /** A UTC calendar month. */
  MONTH,
  /** Never resets: a lifetime budget. */
  TOTAL;

  private static final DateTimeFormatter DAY_ID = DateTimeFormatter.ofPattern("yyyyMMdd");
  private static final DateTimeFormatter MONTH_ID = DateTimeFormatter.ofPattern("yyyyMM");

  /**
   * Returns the first instant of the period that contains {@code now}.
   *
   * @param now the current time, from the caller's clock
   * @return the start of the period ({@link Instant#EPOCH} for {@link #TOTAL})
   */
  public Instant start(Instant now) {
    LocalDate day = LocalDate.ofInstant(now, ZoneOffset.UTC);
    return switch (this) {
      case DAY -> day.atStartOfDay(ZoneOffset.UTC).toInstant();
      case MONTH -> day.withDayOfMonth(1).atStartOfDay(ZoneOffset.UTC).toInstant();
      case TOTAL -> Instant.EPOCH;
    };
  }

  /**
   * Returns the first instant after the period that contains {@code now}.
   *
   * @param now the current time
   * @return the start of the next period, or {@code null} for {@link #TOTAL}, which never ends
   */
  public Instant end(Instant now) {
    Instant start = start(now);
    return switch (this) {
      case DAY -> start.plus(java.time.Duration.ofDays(1));
      case MONTH -> LocalDate.ofInstant(start, ZoneOffset.UTC).plusMonths(1).atStartOfDay(ZoneOffset.UTC).toInstant();
      case TOTAL -> null;
    };
  }

  /**
   * Returns a short stable name for the period containing {@code now}, used in counter keys
   * ({@code d20261207}, {@code m202612}, {@code total}).
   *
   * @param now the current time
   * @return the bucket name
   */
  public String bucket(Instant now) {
    LocalDate day = LocalDate.ofInstant(now, ZoneOffset.UTC);
    return switch (this) {
      case DAY -> "d" + DAY_ID.format(day);
      case MONTH -> "m" + MONTH_ID.format(day);
      case TOTAL -> "total";
    };
  }
}
