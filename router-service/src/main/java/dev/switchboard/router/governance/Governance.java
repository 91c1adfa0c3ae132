package dev.switchboard.router.governance;

import dev.switchboard.governance.counters.CounterSeeding;
import dev.switchboard.governance.counters.InProcessCounters;
import dev.switchboard.governance.counters.LiveCounters;
import dev.switchboard.governance.counters.RedisCounters;
import dev.switchboard.governance.keys.KeyRegistry;
import dev.switchboard.governance.store.GovernanceDatabase;
import dev.switchboard.governance.store.JdbcGovernanceStore;
import dev.switchboard.router.config.AuthMode;
import dev.switchboard.router.config.ConfigException;
import dev.switchboard.router.config.GatewayConfig;
import dev.switchboard.router.config.LimitsConfig;
import dev.switchboard.router.config.StorageConfig;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/*
 * Design
 * ------
 * Opening the store is blocking (JDBC, Flyway) and creates a file for H2, so it happens on a worker and only
 * when something needs it: at start when auth is required, else on the first admin governance call. A gateway
 * with auth off that nobody administers starts as fast as before and leaves no governance.mv.db behind.
 * The opened store, registry and counters are one immutable Ready, memoised in a future, so concurrent first
 * admin calls open it once.
 */
/** The gateway's governance: startup checks, the lazily opened store, key registry and live counters. */
public final class Governance implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(Governance.class);

  /** Environment variable of the pepper the key hashes are keyed with. */
  public static final String PEPPER_ENV = "SWITCHBOARD_KEY_PEPPER";
  /** Environment variable of the PostgreSQL password. */
  public static final String STORAGE_PASSWORD_ENV = "SWITCHBOARD_STORAGE_PASSWORD";
  static final int MIN_PEPPER_BYTES = 16;

  /** The opened store and what is built on it. */
  public record Ready(GovernanceDatabase database, KeyRegistry registry, LiveCounters counters, SpendWriter spend) {
    public JdbcGovernanceStore store() {
      return database.store();
    }
  }

  private final Vertx vertx;
  private final AuthMode auth;
  private final StorageConfig storage;
  private final LimitsConfig limits;
  private final byte[] pepper;
  private final String storagePassword;
  private final GovernanceOptions options;
  /** Read without a lock on every request (AuthFilter, KeyGate); written under the monitor. */
  private volatile Future<Ready> ready;
  private volatile long refreshTimer = -1;
  private volatile long spendTimer = -1;
  /** Store work running on workers; close() lets it finish before it closes the pool. */
  private final java.util.concurrent.atomic.AtomicInteger inFlight = new java.util.concurrent.atomic.AtomicInteger();
  private volatile boolean closing;

  private Governance(Vertx vertx, GatewayConfig config, byte[] pepper, String storagePassword, GovernanceOptions options) {
    this.vertx = vertx;
    this.auth = config.server().auth();
    this.storage = config.storage();
    this.limits = config.limits();
    this.pepper = pepper;
    this.storagePassword = storagePassword;
    this.options = options;
  }

  /**
   * Checks the settings that must hold before the gateway listens, and builds governance without opening anything.
   *
   * @throws ConfigException naming the missing variable, or the flag that allows an open non-loopback bind
   */
  public static Governance create(Vertx vertx, GatewayConfig config, Function<String, String> env, GovernanceOptions options) {
    List<String> problems = new ArrayList<>();
    String pepperText = env.apply(PEPPER_ENV);
    byte[] pepper = pepperText == null ? null : pepperText.getBytes(StandardCharsets.UTF_8);
    boolean required = config.server().auth() == AuthMode.REQUIRED;
    if (required && (pepper == null || pepper.length < MIN_PEPPER_BYTES)) {
      problems.add("server.auth: required needs the environment variable " + PEPPER_ENV + " (at least " + MIN_PEPPER_BYTES
          + " bytes, e.g. $(openssl rand -hex 32); the same in every gateway sharing the store)"
          + (pepper == null ? "; it is not set" : "; it is only " + pepper.length + " bytes"));
    }
    if (!required && !config.server().insecureNoAuth() && !loopback(config.server().host())) {
      problems.add("server.host: " + config.server().host() + " is not a loopback address and server.auth is off, so anyone who"
          + " reaches the port could spend your provider keys; set server.auth: required (with " + PEPPER_ENV + "), bind"
          + " 127.0.0.1, or accept it with --insecure-no-auth (server.insecure_no_auth: true)");
    }
    if (!config.storage().embedded() && required && env.apply(STORAGE_PASSWORD_ENV) == null) {
      LOG.warn("storage.url is PostgreSQL but {} is not set; connecting without a password", STORAGE_PASSWORD_ENV);
    }
    if (!problems.isEmpty()) throw new ConfigException(config.source(), problems);
    if (pepper != null && pepper.length < MIN_PEPPER_BYTES) pepper = null; // auth off: a short pepper only fails admin calls
    return new Governance(vertx, config, pepper, env.apply(STORAGE_PASSWORD_ENV), options);
  }

  /** Loopback names and addresses; a host name is resolved (it is the one we are about to bind). */
  static boolean loopback(String host) {
    if (host == null || host.isBlank() || host.equals("localhost")) return true;
    try {
      return InetAddress.getByName(host).isLoopbackAddress();
    } catch (UnknownHostException e) {
      return false; // the bind fails anyway, with its own error
    }
  }

  /** Opens the store at start when auth is required; with auth off, does nothing and says so. */
  public Future<Void> start() {
    if (auth == AuthMode.OFF) {
      LOG.info("auth is off: /v1/* takes calls without a key (server.auth: required turns it on)");
      return Future.succeededFuture();
    }
    return ready().map(r -> {
      LOG.info("auth is required: {} keys, {} teams; store {}, counters {}", r.registry().keys().size(), r.registry().teams().size(),
          storage.embedded() ? "embedded H2 in " + options.dataDir() : storage.url(), limits.shared() ? limits.redis() : "in-process");
      return null;
    });
  }

  /** Whether {@code /v1/*} needs a key. */
  public boolean authRequired() {
    return auth == AuthMode.REQUIRED;
  }

  public Clock clock() {
    return options.clock();
  }

  /** The opened store, registry and counters; the first call opens them on a worker (a failed open is retried by the next call). */
  public synchronized Future<Ready> ready() {
    if (ready == null) {
      if (pepper == null) {
        return Future.failedFuture(new IllegalStateException("the environment variable " + PEPPER_ENV + " (at least "
            + MIN_PEPPER_BYTES + " bytes) is needed to create or check keys"));
      }
      Future<Ready> opening = vertx.executeBlocking(this::open, false).compose(this::seeded);
      ready = opening;
      opening.onFailure(e -> {
        LOG.error("governance store could not be opened: {}", e.toString());
        synchronized (this) {
          if (ready == opening) ready = null;
        }
      });
    }
    return ready;
  }

  /** The opened governance if it is open, else null (never opens it, never locks: it runs on every request). */
  public Ready readyOrNull() {
    Future<Ready> f = ready;
    return f != null && f.succeeded() ? f.result() : null;
  }

  private Ready open() {
    GovernanceDatabase db = storage.embedded() ? GovernanceDatabase.h2(options.dataDir())
        : GovernanceDatabase.postgres(storage.url(), storage.user(), storagePassword == null ? "" : storagePassword);
    try {
      if (options.auditPublisher() != null) db.store().onAudited(options.auditPublisher());
      KeyRegistry registry = new KeyRegistry(db.store(), pepper, options.clock());
      LiveCounters counters = limits.shared() ? new RedisCounters(vertx, limits.redis(), limits.leaseRequests()) : new InProcessCounters();
      return new Ready(db, registry, counters, new SpendWriter(db.store()));
    } catch (RuntimeException e) {
      db.close();
      throw e;
    }
  }

  private Future<Ready> seeded(Ready r) {
    // Budgets start from what the ledger says was spent this period, so a restart hands out no fresh budget.
    // seed() reads the ledger before it returns its future: it runs on the worker, the counting completes later.
    return vertx.executeBlocking(() -> CounterSeeding.seed(r.counters(), r.store(), r.registry().keys(), r.registry().teams(),
            options.clock().instant()), false)
        .compose(f -> f)
        .map(n -> {
          refreshTimer = vertx.setPeriodic(storage.refreshMs(), t -> onWorker(() -> {
            r.registry().refresh();
            return null;
          }).onFailure(e -> {
            if (!closing) LOG.warn("refreshing keys from the store failed: {}", e.toString());
          }));
          spendTimer = vertx.setPeriodic(storage.spendFlushMs(), t -> onWorker(r.spend()::flush).onFailure(e -> {
            if (!closing) LOG.warn("spend not yet written to the ledger (kept for the next flush): {}", e.toString());
          }));
          return r;
        });
  }

  /**
   * Runs blocking store work (JDBC) on a worker thread, never the event loop; {@link #close} waits for it.
   *
   * @return the work's result, or a failure once closing has begun
   */
  public <T> Future<T> onWorker(java.util.concurrent.Callable<T> work) {
    if (closing) return Future.failedFuture(new IllegalStateException("the gateway is closing"));
    inFlight.incrementAndGet();
    return vertx.executeBlocking(() -> {
      try {
        return work.call();
      } finally {
        if (inFlight.decrementAndGet() == 0) {
          synchronized (inFlight) {
            inFlight.notifyAll();
          }
        }
      }
    }, false);
  }

  /**
   * A request settles on its event loop in the same task that wrote its answer, just after the write: a client can
   * have its answer, and the gateway be told to close, before the spend is added. Running one empty task on every event
   * loop (at most a second each) lets such tasks finish, so the final flush has their spend.
   */
  private void settledOnEventLoops() {
    for (io.netty.util.concurrent.EventExecutor loop : ((io.vertx.core.internal.VertxInternal) vertx).nettyEventLoopGroup()) {
      if (loop.inEventLoop() || loop.isShuttingDown()) continue;
      try {
        loop.submit(() -> { }).await(1, java.util.concurrent.TimeUnit.SECONDS);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        return;
      } catch (java.util.concurrent.RejectedExecutionException e) {
        // the loop is stopping: nothing more will run on it
      }
    }
  }

  /** Stops the timers, lets store work in flight finish for up to 5 s, writes the pending spend, closes. */
  @Override
  public void close() {
    closing = true;
    if (refreshTimer >= 0) vertx.cancelTimer(refreshTimer);
    if (spendTimer >= 0) vertx.cancelTimer(spendTimer);
    long deadline = System.nanoTime() + 5_000_000_000L;
    synchronized (inFlight) {
      while (inFlight.get() > 0 && System.nanoTime() < deadline) {
        try {
          inFlight.wait(Math.max(1, (deadline - System.nanoTime()) / 1_000_000));
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
          break;
        }
      }
    }
    Ready r = readyOrNull();
    if (r != null) {
      settledOnEventLoops();
      try {
        r.spend().flush(); // the last requests' spend
      } catch (RuntimeException e) {
        LOG.error("spend of the last requests could not be written to the ledger: {}", e.toString());
      }
      r.counters().close();
      r.database().close();
    }
  }

  /** Vert.x Redis client options for {@code url}, as the limits' counters use them (the response cache shares them). */
  public static io.vertx.redis.client.RedisOptions redisOptions(String url) {
    return RedisCounters.options(url);
  }
}
