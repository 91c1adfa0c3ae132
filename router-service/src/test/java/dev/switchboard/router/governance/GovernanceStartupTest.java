package dev.switchboard.router.governance;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.switchboard.router.Gateway;
import dev.switchboard.router.chat.ExchangeObserver;
import dev.switchboard.router.config.ConfigException;
import dev.switchboard.router.config.ConfigParser;
import dev.switchboard.router.config.GatewayConfig;
import dev.switchboard.router.metrics.GatewayMetrics;
import dev.switchboard.router.testkit.GatewayHarness;
import dev.switchboard.router.testkit.MockOpenAiServer;
import io.vertx.core.Vertx;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** What the gateway refuses to start with, and that auth off starts as before: no store opened, no file made. */
class GovernanceStartupTest {
  private static Vertx vertx;
  private static MockOpenAiServer upstream;

  @BeforeAll
  static void upstream() throws Exception {
    vertx = Vertx.vertx();
    upstream = GovernedGateway.upstream(vertx);
  }

  @AfterAll
  static void stop() throws Exception {
    GovernedGateway.close(vertx);
  }

  private static String yaml(String server) {
    return "server: {" + server + "}\ndeployments:\n  - { name: gpt, provider: openai, base_url: " + upstream.baseUrl() + " }\n";
  }

  private static void start(String yaml, Map<String, String> env, Path dataDir) {
    GatewayConfig c = ConfigParser.parse(yaml, "startup.yaml");
    GatewayMetrics metrics = new GatewayMetrics();
    Vertx v = Gateway.newVertx(metrics);
    try {
      Gateway g = Gateway.start(v, metrics, Gateway.Options.of(c).withInstances(1).withEnv(env::get)
          .withGovernance(new GovernanceOptions(dataDir, java.time.Clock.systemUTC()))).toCompletionStage().toCompletableFuture().get(20, TimeUnit.SECONDS);
      g.close();
    } catch (RuntimeException e) {
      throw e;
    } catch (Exception e) {
      throw new AssertionError(e);
    } finally {
      v.close();
    }
  }

  @Test
  void authRequired_withoutPepper_refusesNamingTheVariable(@TempDir Path dir) {
    ConfigException e = assertThrows(ConfigException.class, () -> start(yaml("auth: required, port: 0"), Map.of(), dir));
    assertTrue(e.getMessage().contains("SWITCHBOARD_KEY_PEPPER") && e.getMessage().contains("not set"), e.getMessage());
  }

  @Test
  void authRequired_shortPepper_refusesSayingHowShort(@TempDir Path dir) {
    ConfigException e = assertThrows(ConfigException.class,
        () -> start(yaml("auth: required, port: 0"), Map.of(Governance.PEPPER_ENV, "short"), dir));
    assertTrue(e.getMessage().contains("SWITCHBOARD_KEY_PEPPER") && e.getMessage().contains("only 5 bytes"), e.getMessage());
  }

  @Test
  void authOff_nonLoopbackHost_refusedUnlessInsecureNoAuth(@TempDir Path dir) {
    ConfigException e = assertThrows(ConfigException.class, () -> start(yaml("host: 0.0.0.0, port: 0"), Map.of(), dir));
    assertTrue(e.getMessage().contains("--insecure-no-auth") && e.getMessage().contains("server.auth"), e.getMessage());
    start(yaml("host: 0.0.0.0, port: 0, insecure_no_auth: true"), Map.of(), dir); // starts
  }

  @Test
  void authOff_bareYamlOff_parsesAsOff() {
    assertEquals(dev.switchboard.router.config.AuthMode.OFF, ConfigParser.parse(yaml("auth: off"), "off.yaml").server().auth());
    ConfigException e = assertThrows(ConfigException.class, () -> ConfigParser.parse(yaml("auth: maybe"), "bad.yaml"));
    assertTrue(e.getMessage().contains("server.auth: must be off or required"), e.getMessage());
  }

  @Test
  void authOff_opensNoStore_logsAuthIsOff_andServesWithoutKey(@TempDir Path dir) throws Exception {
    try (LogCapture logs = new LogCapture();
        GatewayHarness gw = GatewayHarness.start(yaml("port: 0"), null, o -> o.withEnv(Map.<String, String>of()::get)
            .withObserver(ExchangeObserver.NONE).withGovernance(new GovernanceOptions(dir, java.time.Clock.systemUTC())))) {
      assertEquals(200, gw.post("/v1/chat/completions", GatewayHarness.chat("gpt", false)).statusCode());
      assertTrue(logs.lines().stream().anyMatch(l -> l.startsWith("auth is off")), "startup log says auth is off");
      assertEquals(null, gw.gateway.governance().readyOrNull(), "governance not opened");
    }
    try (var files = Files.list(dir)) {
      assertEquals(0, files.count(), "no governance database file with auth off and no admin call");
    }
  }

  @Test
  void authOff_adminCall_opensTheStoreThen(@TempDir Path dir) throws Exception {
    try (GovernedGatewayOff gw = new GovernedGatewayOff(yaml("port: 0"), dir)) {
      AdminClient.Reply r = gw.admin.post("/admin/teams", "{\"name\":\"research\"}");
      assertEquals(201, r.status(), r.text());
    }
    assertTrue(Files.exists(dir.resolve("governance.mv.db")), "the first admin call created the embedded store");
  }

  /** Auth off, pepper and admin key set. */
  private static final class GovernedGatewayOff implements AutoCloseable {
    final GatewayHarness gw;
    final AdminClient admin;

    GovernedGatewayOff(String yaml, Path dir) throws Exception {
      gw = GatewayHarness.start(yaml, null, o -> o.withEnv(GovernedGateway.env()::get)
          .withGovernance(new GovernanceOptions(dir, java.time.Clock.systemUTC())));
      admin = new AdminClient(gw.baseUrl(), GovernedGateway.ADMIN_KEY);
    }

    @Override
    public void close() throws Exception {
      gw.close();
    }
  }
}
