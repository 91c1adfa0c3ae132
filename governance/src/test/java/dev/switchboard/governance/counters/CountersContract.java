package dev.switchboard.governance.counters;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.switchboard.governance.Budget;
import dev.switchboard.governance.BudgetPeriod;
import io.vertx.core.Future;
import java.math.BigDecimal;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * The one counter suite: each implementation's test class supplies {@link #a} and {@link #b}. For a single
 * store they are the same instance; for the two-process Redis case they are independent clients of one
 * server, and every test that counts alternates between them.
 */
abstract class CountersContract {

  /** 10 s into a UTC minute, so window arithmetic in the tests is easy to follow. */
  static final Instant T0 = Instant.parse("2026-12-07T10:00:10Z");
  static final Budget ONE_DOLLAR_A_DAY = Budget.of("1.00", BudgetPeriod.DAY);

  LiveCounters a;
  LiveCounters b;

  /**
   * Whether concurrent reservations at a budget's end are decided exactly as if one at a time. With leases, a request
   * whose check met capacity leased but not yet used (a lease arriving while its own call was under way) may be
   * refused early; the budget still holds.
   */
  boolean exactAtTheLimit() {
    return true;
  }

  static String id(String prefix) {
    return prefix + UUID.randomUUID().toString().replace("-", "").substring(0, 12);
  }

  static <T> T join(Future<T> f) {
    return f.toCompletionStage().toCompletableFuture().join();
  }

  LiveCounters pick(int i) {
    return i % 2 == 0 ? a : b;
  }

  // ---------------------------------------------------------------- budgets

  @Test
  void reserve_200Concurrent_totalNeverExceedsBudgetByMoreThanOneReservation() throws Exception {
    String key = id("key_");
    String team = id("team_");
    BigDecimal perRequest = new BigDecimal("0.03");
    ExecutorService pool = Executors.newFixedThreadPool(16);
    CountDownLatch start = new CountDownLatch(1);
    List<java.util.concurrent.Future<Boolean>> results = new ArrayList<>();
    try {
      for (int i = 0; i < 200; i++) {
        LiveCounters counters = pick(i);
        Callable<Boolean> task = () -> {
          start.await();
          BudgetDecision d = join(counters.reserve(key, ONE_DOLLAR_A_DAY, team, Budget.of("50", BudgetPeriod.MONTH),
              perRequest, T0));
          if (d instanceof BudgetDecision.Reserved r) {
            join(counters.settle(r.reservation(), perRequest));
            return true;
          }
          assertEquals(Scope.KEY, ((BudgetDecision.Refused) d).scope());
          return false;
        };
        results.add(pool.submit(task));
      }
      start.countDown();
      int reserved = 0;
      for (var r : results) {
        reserved += r.get(30, TimeUnit.SECONDS) ? 1 : 0;
      }
      BigDecimal spent = join(a.spent(Scope.KEY, key, BudgetPeriod.DAY, T0));
      assertTrue(spent.compareTo(ONE_DOLLAR_A_DAY.limitUsd().add(perRequest)) <= 0, "spent " + spent);
      // Atomic check-and-add admits exactly floor(1.00 / 0.03) requests, however they interleave.
      if (exactAtTheLimit()) {
        assertEquals(33, reserved);
      } else {
        assertTrue(reserved <= 33 && reserved >= 28, "reserved " + reserved);
      }
      BigDecimal used = perRequest.multiply(BigDecimal.valueOf(reserved)).setScale(6);
      assertEquals(used, spent);
      assertEquals(used, join(b.spent(Scope.TEAM, team, BudgetPeriod.MONTH, T0)));
    } finally {
      pool.shutdownNow();
    }
  }

  @Test
  void reserve_overKeyBudget_refusedNamingKeyWithRemaining() {
    String key = id("key_");
    assertTrue(join(a.reserve(key, ONE_DOLLAR_A_DAY, null, null, new BigDecimal("0.70"), T0)).allowed());

    BudgetDecision d = join(b.reserve(key, ONE_DOLLAR_A_DAY, null, null, new BigDecimal("0.40"), T0));

    assertEquals(new BudgetDecision.Refused(Scope.KEY, new BigDecimal("0.300000")), d);
  }

  @Test
  void reserve_overTeamBudget_refusedNamingTeam_andNeitherCharged() {
    String team = id("team_");
    Budget teamBudget = Budget.of("0.50", BudgetPeriod.MONTH);
    assertTrue(join(a.reserve(id("key_"), null, team, teamBudget, new BigDecimal("0.40"), T0)).allowed());
    String key = id("key_");

    BudgetDecision d = join(b.reserve(key, ONE_DOLLAR_A_DAY, team, teamBudget, new BigDecimal("0.20"), T0));

    assertEquals(new BudgetDecision.Refused(Scope.TEAM, new BigDecimal("0.100000")), d);
    assertEquals(0, join(a.spent(Scope.KEY, key, BudgetPeriod.DAY, T0)).signum(), "key must not be charged");
  }

  @Test
  void settle_replacesReservationByActualCost_once() {
    String key = id("key_");
    BudgetDecision.Reserved r = assertInstanceOf(BudgetDecision.Reserved.class,
        join(a.reserve(key, ONE_DOLLAR_A_DAY, null, null, new BigDecimal("0.50"), T0)));
    assertEquals(new BigDecimal("0.500000"), join(b.spent(Scope.KEY, key, BudgetPeriod.DAY, T0)));

    join(a.settle(r.reservation(), new BigDecimal("0.12")));
    join(a.settle(r.reservation(), new BigDecimal("0.12")));

    assertEquals(new BigDecimal("0.120000"), join(b.spent(Scope.KEY, key, BudgetPeriod.DAY, T0)));
  }

  @Test
  void reserve_budgetUsedUp_refusesEvenFreeRequests() {
    String key = id("key_");
    join(a.seed(Scope.KEY, key, BudgetPeriod.DAY, new BigDecimal("1.00"), T0));
    assertFalse(join(b.reserve(key, ONE_DOLLAR_A_DAY, null, null, BigDecimal.ZERO, T0)).allowed());
  }

  @Test
  void seed_startsAtSettledSpend_andNeverOverwritesALiveCounter() {
    String key = id("key_");
    assertTrue(join(a.seed(Scope.KEY, key, BudgetPeriod.DAY, new BigDecimal("0.90"), T0)));
    assertFalse(join(b.seed(Scope.KEY, key, BudgetPeriod.DAY, new BigDecimal("0.10"), T0)));

    BudgetDecision d = join(b.reserve(key, ONE_DOLLAR_A_DAY, null, null, new BigDecimal("0.20"), T0));

    assertEquals(new BudgetDecision.Refused(Scope.KEY, new BigDecimal("0.100000")), d);
  }

  @Test
  void reserve_nextDay_startsAfresh() {
    String key = id("key_");
    join(a.seed(Scope.KEY, key, BudgetPeriod.DAY, new BigDecimal("1.00"), T0));
    assertFalse(join(a.reserve(key, ONE_DOLLAR_A_DAY, null, null, new BigDecimal("0.10"), T0)).allowed());

    Instant tomorrow = T0.plus(Duration.ofDays(1));
    assertTrue(join(b.reserve(key, ONE_DOLLAR_A_DAY, null, null, new BigDecimal("0.10"), tomorrow)).allowed());
    assertEquals(new BigDecimal("0.100000"), join(a.spent(Scope.KEY, key, BudgetPeriod.DAY, tomorrow)));
  }

  // ---------------------------------------------------------------- rate limits

  @Test
  void admit_rpm_allowedUpToLimit_thenDeniedWithRetryAfter_thenWindowSlides() {
    RateLimits limits = new RateLimits(id("key_"), 3, null, null, null, null);
    for (int i = 0; i < 3; i++) {
      RateDecision d = join(pick(i).admit(limits, 0, T0));
      assertTrue(d.allowed());
      assertEquals(new Quota(3, 2 - i, Duration.ofSeconds(110)), d.requests());
      assertNull(d.tokens());
    }

    RateDecision denied = join(a.admit(limits, 0, T0));
    assertFalse(denied.allowed());
    assertEquals(RateWindow.KEY_REQUESTS, denied.deniedBy());
    assertEquals(new Quota(3, 0, Duration.ofSeconds(110)), denied.requests());
    // Next minute, the 3 requests weigh 3 × (60 − t)/60: one more fits once that is ≤ 2, at t = 20 s.
    assertEquals(Duration.ofSeconds(70), denied.retryAfter());
    assertNull(denied.charge());

    assertFalse(join(b.admit(limits, 0, T0.plusSeconds(69))).allowed());
    RateDecision later = join(b.admit(limits, 0, T0.plusSeconds(70)));
    assertTrue(later.allowed());
    // 3 × 40/60 = 2 from the previous minute plus this one: none left.
    assertEquals(0, later.requests().remaining());

    // Two minutes on, the window has slid past all of it.
    RateDecision fresh = join(a.admit(limits, 0, T0.plus(Duration.ofMinutes(3))));
    assertEquals(new Quota(3, 2, Duration.ofSeconds(110)), fresh.requests());
  }

  @Test
  void admit_tpm_chargesEstimate_correctionFreesTheDifference() {
    RateLimits limits = new RateLimits(id("key_"), null, 1000L, null, null, null);
    RateDecision first = join(a.admit(limits, 800, T0));
    assertTrue(first.allowed());
    assertEquals(new Quota(1000, 200, Duration.ofSeconds(110)), first.tokens());

    RateDecision tooMuch = join(b.admit(limits, 300, T0));
    assertFalse(tooMuch.allowed());
    assertEquals(RateWindow.KEY_TOKENS, tooMuch.deniedBy());
    assertEquals(200, tooMuch.tokens().remaining());

    join(a.correctTokens(first.charge(), 500));
    join(a.correctTokens(first.charge(), 500));

    RateDecision afterCorrection = join(b.admit(limits, 300, T0));
    assertTrue(afterCorrection.allowed());
    assertEquals(200, afterCorrection.tokens().remaining());
  }

  @Test
  void admit_estimateAboveLimit_deniedWithNoRetryAfter() {
    RateDecision d = join(a.admit(new RateLimits(id("key_"), null, 100L, null, null, null), 101, T0));
    assertFalse(d.allowed());
    assertNull(d.retryAfter());
  }

  @Test
  void admit_teamLimitSharedByKeys_deniedByTeam_reportsTighterQuota() {
    String team = id("team_");
    RateLimits k1 = new RateLimits(id("key_"), 10, null, team, 2, null);
    RateLimits k2 = new RateLimits(id("key_"), 10, null, team, 2, null);
    assertTrue(join(a.admit(k1, 0, T0)).allowed());
    RateDecision second = join(b.admit(k2, 0, T0));
    assertTrue(second.allowed());
    assertEquals(new Quota(2, 0, Duration.ofSeconds(110)), second.requests());

    RateDecision third = join(a.admit(k1, 0, T0));
    assertFalse(third.allowed());
    assertEquals(RateWindow.TEAM_REQUESTS, third.deniedBy());

    // The denied request was counted nowhere: the key still has 9 of 10.
    RateDecision keyOnly = join(b.admit(new RateLimits(k1.keyId(), 10, null, null, null, null), 0, T0));
    assertEquals(8, keyOnly.requests().remaining());
  }

  @Test
  void admit_noLimits_allowedWithoutQuotas() {
    RateDecision d = join(a.admit(new RateLimits(id("key_"), null, null, null, null, null), 5000, T0));
    assertTrue(d.allowed());
    assertNull(d.requests());
    assertNull(d.tokens());
  }
}
