package dev.switchboard.router.testkit;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * Client threads sending requests until stopped (or a time bound passes), counting answers by
 * outcome: for tests that change something live — a reload, a swap — and must lose no request.
 */
public final class BackgroundTraffic {

  /** Sends request {@code n} of client {@code client}; returns the HTTP status. */
  @FunctionalInterface
  public interface Request {
    int send(int client, int n) throws Exception;
  }

  /** Requests answered 200, and all others (including ones that threw). */
  public record Totals(int ok, int failed) {}

  private final ExecutorService pool;
  private final AtomicBoolean stop = new AtomicBoolean();
  private final List<Future<int[]>> clients = new ArrayList<>();
  private final java.util.concurrent.atomic.AtomicInteger answered = new java.util.concurrent.atomic.AtomicInteger();

  private BackgroundTraffic(int clients, Duration bound, Request request) {
    this.pool = Executors.newFixedThreadPool(clients);
    long end = System.nanoTime() + bound.toNanos();
    for (int c = 0; c < clients; c++) {
      int client = c;
      this.clients.add(pool.submit(() -> {
        int ok = 0;
        int failed = 0;
        for (int n = 0; !stop.get() && System.nanoTime() < end; n++) {
          int status;
          try {
            status = request.send(client, n);
          } catch (Exception e) {
            status = -1;
          }
          if (status == 200) ok++;
          else failed++;
          answered.incrementAndGet();
        }
        return new int[] {ok, failed};
      }));
    }
  }

  /** Starts {@code clients} threads; each stops by itself after {@code bound}. */
  public static BackgroundTraffic start(int clients, Duration bound, Request request) {
    return new BackgroundTraffic(clients, bound, request);
  }

  /** Waits until {@code n} more requests were answered (any status): traffic is really flowing. */
  public void awaitMore(int n) {
    int target = answered.get() + n;
    org.awaitility.Awaitility.await("" + n + " more background requests").atMost(Duration.ofSeconds(30))
        .until(() -> answered.get() >= target);
  }

  /** Stops the clients and waits for their last requests. */
  public Totals stop() throws Exception {
    stop.set(true);
    int ok = 0;
    int failed = 0;
    for (Future<int[]> f : clients) {
      int[] r = f.get(60, TimeUnit.SECONDS);
      ok += r[0];
      failed += r[1];
    }
    pool.shutdown();
    return new Totals(ok, failed);
  }
}
