package dev.switchboard.router.governance;

import dev.switchboard.governance.testkit.MutableClock;
import dev.switchboard.router.Gateway;
import dev.switchboard.router.chat.ExchangeObserver;
import dev.switchboard.router.testkit.GatewayHarness;
import java.nio.file.Path;
import java.time.Instant;
import java.util.HashMap;
import java.util.Map;
import java.util.function.UnaryOperator;

/** A gateway with auth required over a mock upstream, its data directory, clock and admin client. */
final class GovernedGateway implements AutoCloseable {
  static final String PEPPER = "test-pepper-0123456789abcdef";
  static final String ADMIN_KEY = "bootstrap-admin-key-for-tests";

  final GatewayHarness harness;
  final MutableClock clock;
  final AdminClient admin;

  private GovernedGateway(GatewayHarness harness, MutableClock clock) {
    this.harness = harness;
    this.clock = clock;
    this.admin = new AdminClient(harness.baseUrl(), ADMIN_KEY);
  }

  /** Default env: the pepper and the bootstrap admin key. */
  /** A mock OpenAI upstream on {@code vertx}, listening (the governance tests' one upstream). */
  static dev.switchboard.router.testkit.MockOpenAiServer upstream(io.vertx.core.Vertx vertx) throws Exception {
    var upstream = new dev.switchboard.router.testkit.MockOpenAiServer(vertx);
    upstream.start().toCompletionStage().toCompletableFuture().get(10, java.util.concurrent.TimeUnit.SECONDS);
    return upstream;
  }

  /** Closes {@code vertx} (and the upstream on it), waiting up to 10 s. */
  static void close(io.vertx.core.Vertx vertx) throws Exception {
    vertx.close().toCompletionStage().toCompletableFuture().get(10, java.util.concurrent.TimeUnit.SECONDS);
  }

  static Map<String, String> env() {
    Map<String, String> env = new HashMap<>();
    env.put(Governance.PEPPER_ENV, PEPPER);
    env.put("SWITCHBOARD_ADMIN_KEY", ADMIN_KEY);
    return env;
  }

  static GovernedGateway start(String yaml, Path dataDir, Map<String, String> env, ExchangeObserver observer, UnaryOperator<Gateway.Options> more)
      throws Exception {
    MutableClock clock = new MutableClock(Instant.parse("2026-12-07T12:00:00Z"));
    GatewayHarness h = GatewayHarness.start(yaml, null, o -> more.apply(o.withEnv(env::get).withObserver(observer)
        .withGovernance(new GovernanceOptions(dataDir, clock))));
    return new GovernedGateway(h, clock);
  }

  String baseUrl() {
    return harness.baseUrl();
  }

  AdminClient as(String credential) {
    return new AdminClient(baseUrl(), credential);
  }

  @Override
  public void close() throws Exception {
    harness.close();
  }
}
