package dev.switchboard.router.requestlog;

import java.util.Locale;

/** What the {@link DiskSpool} does when a new record does not fit under its size limit. */
public enum SpoolFullPolicy {
  /** Keep what is spooled; the new record is refused (counted in {@code spool_refused}). */
  REFUSE_NEW,
  /** Delete the oldest segment(s) to make room (their records counted in {@code spool_dropped}). */
  DROP_OLDEST;

  /** Parses {@code refuse-new} or {@code drop-oldest}. */
  public static SpoolFullPolicy parse(String s) {
    String n = s == null ? "" : s.trim().toLowerCase(Locale.ROOT);
    return switch (n) {
      case "refuse-new" -> REFUSE_NEW;
      case "drop-oldest" -> DROP_OLDEST;
      default -> throw new IllegalArgumentException(
          "spool full policy must be refuse-new or drop-oldest, got '" + s + "'");
    };
  }
}
