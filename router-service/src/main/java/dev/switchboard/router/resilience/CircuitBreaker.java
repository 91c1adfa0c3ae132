package dev.switchboard.router.resilience;

import java.util.function.LongSupplier;

/**
 * A per-deployment circuit breaker. Closed: calls pass; {@code failureThreshold} consecutive
 * failures open it. Open: calls are refused until {@code openMs} has passed; then exactly one
 * call is let through as a half-open probe. The probe's success closes the breaker, its
 * failure opens it again for another {@code openMs}.
 *
 * <p>Called from several event loops, so methods are synchronized; they are a few field
 * writes, cheaper than any lock-free scheme worth its complexity here.
 */
public final class CircuitBreaker {
  /** The state as reported in metrics and {@code /readyz}. */
  public enum State { CLOSED, OPEN, HALF_OPEN }

  private final int failureThreshold;
  private final long openMs;
  private final LongSupplier clockMs;

  private State state = State.CLOSED;
  private int consecutiveFailures;
  private long openedAt;
  private boolean probeInFlight;

  public CircuitBreaker(int failureThreshold, long openMs, LongSupplier clockMs) {
    this.failureThreshold = failureThreshold;
    this.openMs = openMs;
    this.clockMs = clockMs;
  }

  /** Whether a call may go out now; a true answer in half-open state claims the one probe. */
  public synchronized boolean tryAcquire() {
    switch (state) {
      case CLOSED:
        return true;
      case OPEN:
        if (clockMs.getAsLong() - openedAt < openMs) return false;
        state = State.HALF_OPEN;
        probeInFlight = true;
        return true;
      default: // HALF_OPEN
        if (probeInFlight) return false;
        probeInFlight = true;
        return true;
    }
  }

  public synchronized void onSuccess() {
    consecutiveFailures = 0;
    probeInFlight = false;
    state = State.CLOSED;
  }

  public synchronized void onFailure() {
    probeInFlight = false;
    if (state == State.HALF_OPEN) {
      open();
      return;
    }
    if (++consecutiveFailures >= failureThreshold && state == State.CLOSED) open();
  }

  /** Releases a claimed probe without a verdict (e.g. the client went away mid-call). */
  public synchronized void release() {
    probeInFlight = false;
  }

  public synchronized State state() {
    if (state == State.OPEN && clockMs.getAsLong() - openedAt >= openMs) return State.HALF_OPEN;
    return state;
  }

  private void open() {
    state = State.OPEN;
    openedAt = clockMs.getAsLong();
    consecutiveFailures = 0;
  }
}
