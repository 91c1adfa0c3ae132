package dev.switchboard.governance.counters;

import static dev.switchboard.governance.counters.CountersContract.T0;
import static dev.switchboard.governance.counters.CountersContract.id;
import static dev.switchboard.governance.counters.CountersContract.join;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.switchboard.governance.Budget;
import dev.switchboard.governance.BudgetPeriod;
import dev.switchboard.governance.testkit.RedisServer;
import io.vertx.core.Vertx;
import java.math.BigDecimal;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Two gateways with leases (the default) on one redis-server: no budget or rate limit is ever exceeded across them,
 * most checks need no round trip, and a gateway refused early because the other holds a lease is served once that
 * lease goes back (after {@link RedisCounters#LEASE_IDLE_MS} unused).
 */
class TwoProcessLeasedCountersTest {

  private static RedisServer server;
  private static Vertx vertxA;
  private static Vertx vertxB;
  private static RedisCounters a;
  private static RedisCounters b;

  @BeforeAll
  static void start() throws Exception {
    server = RedisServer.start();
    vertxA = Vertx.vertx();
    vertxB = Vertx.vertx();
    a = new RedisCounters(vertxA, server.url());
    b = new RedisCounters(vertxB, server.url());
  }

  @AfterAll
  static void stop() {
    for (RedisCounters c : new RedisCounters[] {a, b}) {
      if (c != null) join(c.close());
    }
    for (Vertx v : new Vertx[] {vertxA, vertxB}) {
      if (v != null) join(v.close());
    }
    if (server != null) server.close();
  }

  @Test
  void budgetRace_200Concurrent_neverOverBudget_andAllReturnedOnceIdle() throws Exception {
    String key = id("key_");
    String team = id("team_");
    Budget budget = Budget.of("1.00", BudgetPeriod.DAY);
    BigDecimal perRequest = new BigDecimal("0.03");
    ExecutorService pool = Executors.newFixedThreadPool(16);
    CountDownLatch go = new CountDownLatch(1);
    List<java.util.concurrent.Future<Boolean>> results = new ArrayList<>();
    try {
      for (int i = 0; i < 200; i++) {
        RedisCounters counters = i % 2 == 0 ? a : b;
        Callable<Boolean> task = () -> {
          go.await();
          BudgetDecision d = join(counters.reserve(key, budget, team, Budget.of("50", BudgetPeriod.MONTH), perRequest, T0));
          if (d instanceof BudgetDecision.Reserved r) {
            join(counters.settle(r.reservation(), perRequest));
            return true;
          }
          return false;
        };
        results.add(pool.submit(task));
      }
      go.countDown();
      int reserved = 0;
      for (var r : results) {
        reserved += r.get(30, TimeUnit.SECONDS) ? 1 : 0;
      }
      // Never more than the budget holds: floor(1.00 / 0.03) = 33. A few fewer when a refusal met the other's lease.
      assertTrue(reserved <= 33 && reserved >= 28, "reserved " + reserved);
      BigDecimal used = perRequest.multiply(BigDecimal.valueOf(reserved)).setScale(6);
      // Once both gateways' leases are back, what Redis counts is exactly what was used.
      await().atMost(Duration.ofSeconds(10)).until(() -> join(a.spent(Scope.KEY, key, BudgetPeriod.DAY, T0)).equals(used)
          && join(b.spent(Scope.TEAM, team, BudgetPeriod.MONTH, T0)).equals(used));
    } finally {
      pool.shutdownNow();
    }
  }

  @Test
  void refusedWhileTheOtherHoldsALease_servedOnceItGoesBack() {
    String key = id("key_");
    Budget budget = Budget.of("1.00", BudgetPeriod.DAY);
    // A's first request takes a lease: whole requests like it, at most an eighth of the $0.90 left after it: one.
    assertTrue(join(a.reserve(key, budget, null, null, new BigDecimal("0.10"), T0)).allowed());
    BigDecimal countedInRedis = join(b.spent(Scope.KEY, key, BudgetPeriod.DAY, T0));
    assertEquals(new BigDecimal("0.200000"), countedInRedis, "B sees A's use and A's lease as counted");

    // $0.85 would fit what is really used ($0.10), but not beside A's unused lease.
    BudgetDecision early = join(b.reserve(key, budget, null, null, new BigDecimal("0.85"), T0));
    assertFalse(early.allowed(), early.toString());

    await().atMost(Duration.ofSeconds(10)).until(() -> join(b.reserve(key, budget, null, null, new BigDecimal("0.85"), T0)).allowed());
    assertEquals(new BigDecimal("0.950000"), join(a.spent(Scope.KEY, key, BudgetPeriod.DAY, T0)), "no lease left: $0.05 is no whole request");
  }

  @Test
  void rateLimit_heldAcrossGateways_andMostChecksNeedNoRoundTrip() {
    RateLimits limits = new RateLimits(id("key_"), 1000, null, null, null, null);
    int allowed = 0;
    for (int i = 0; i < 1200; i++) {
      if (join((i % 2 == 0 ? a : b).admit(limits, 0, T0)).allowed()) allowed++;
    }
    assertTrue(allowed <= 1000 && allowed >= 900, "allowed " + allowed + " of a 1000 RPM limit");
  }
}
