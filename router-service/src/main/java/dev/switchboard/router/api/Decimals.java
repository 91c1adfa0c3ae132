package dev.switchboard.router.api;

import java.math.BigDecimal;
import java.math.RoundingMode;
import java.util.Locale;

/** Numbers in response headers, with a fixed count of decimals. */
public final class Decimals {
  private Decimals() {}

  /**
   * {@code v} with {@code places} decimals, exactly as {@code String.format("%.<places>f")} writes it
   * (half-up on the double's shortest decimal form), without the Formatter: that took ~3 µs a call,
   * 6 % of a pass-through request's CPU and three calls per routed one (async-profiler, 16 connections).
   */
  public static String fixed(double v, int places) {
    if (!Double.isFinite(v)) return String.format(Locale.ROOT, "%." + places + "f", v);
    return BigDecimal.valueOf(v).setScale(places, RoundingMode.HALF_UP).toPlainString();
  }
}
