package dev.switchboard.router.upstream;

/**
 * How slowly a simulated model answers: {@code ttftMs} before the first token, then
 * {@code tokensPerSecond}. {@link #NONE} (both zero) answers at once, which benchmarks of the
 * gateway itself need.
 */
public record LatencyProfile(long ttftMs, double tokensPerSecond) {
  public static final LatencyProfile NONE = new LatencyProfile(0, 0);

  public LatencyProfile {
    if (ttftMs < 0) throw new IllegalArgumentException("ttftMs must be >= 0, got " + ttftMs);
    if (tokensPerSecond < 0 || Double.isNaN(tokensPerSecond)) {
      throw new IllegalArgumentException("tokensPerSecond must be >= 0 (0 = unlimited), got " + tokensPerSecond);
    }
  }

  public boolean immediate() {
    return ttftMs == 0 && tokensPerSecond == 0;
  }

  /** Milliseconds after the request at which output token number {@code tokens} is done. */
  public long msUntilToken(double tokens) {
    return ttftMs + (tokensPerSecond == 0 ? 0 : Math.round(tokens * 1000.0 / tokensPerSecond));
  }
}
