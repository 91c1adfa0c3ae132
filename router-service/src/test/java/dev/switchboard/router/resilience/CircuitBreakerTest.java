package dev.switchboard.router.resilience;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.switchboard.router.config.ResilienceConfig;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

class CircuitBreakerTest {
  @Test
  void opensAfterConsecutiveFailuresAndProbesOnceWhenHalfOpen() {
    AtomicLong now = new AtomicLong(0);
    CircuitBreaker b = new CircuitBreaker(3, 1000, now::get);
    b.onFailure();
    b.onFailure();
    b.onSuccess(); // resets the count
    b.onFailure();
    b.onFailure();
    assertTrue(b.tryAcquire());
    b.onFailure();
    assertEquals(CircuitBreaker.State.OPEN, b.state());
    assertFalse(b.tryAcquire());
    now.set(999);
    assertFalse(b.tryAcquire());
    now.set(1000);
    assertTrue(b.tryAcquire(), "one probe after openMs");
    assertFalse(b.tryAcquire(), "only one probe at a time");
    b.onFailure();
    assertEquals(CircuitBreaker.State.OPEN, b.state(), "a failed probe reopens");
    now.set(2000);
    assertTrue(b.tryAcquire());
    b.onSuccess();
    assertEquals(CircuitBreaker.State.CLOSED, b.state());
    assertTrue(b.tryAcquire());
  }

  @Test
  void backoffIsJitteredExponentialAndHonoursRetryAfterUpToTheCap() {
    ResilienceConfig c = new ResilienceConfig(100, 1000, 5, 1000);
    assertEquals(50, Backoff.delayMs(1, -1, c, () -> 0.5));
    assertEquals(100, Backoff.delayMs(2, -1, c, () -> 0.5));
    assertEquals(999, Backoff.delayMs(10, -1, c, () -> 0.999), "capped at backoffMaxMs");
    assertEquals(300, Backoff.delayMs(1, 300, c, () -> 0.5), "Retry-After wins");
    assertEquals(1000, Backoff.delayMs(1, 60_000, c, () -> 0.5), "but is capped");
  }
}
