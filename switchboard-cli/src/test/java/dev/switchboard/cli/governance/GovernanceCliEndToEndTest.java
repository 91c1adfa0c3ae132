package dev.switchboard.cli.governance;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.switchboard.cli.CliRun;
import dev.switchboard.cli.options.Exit;
import dev.switchboard.router.governance.Governance;
import dev.switchboard.router.governance.GovernanceOptions;
import dev.switchboard.router.testkit.GatewayHarness;
import dev.switchboard.router.testkit.MockOpenAiServer;
import io.vertx.core.Vertx;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code switchboard keys|teams|spend} against a real gateway with auth required over a mock upstream: the CLI's
 * answers are the gateway's, a created key works on {@code /v1/chat/completions} until revoked, the secret is printed
 * once, and every refusal is {@code error: <message>} with a named exit code.
 */
class GovernanceCliEndToEndTest {
  private static final ObjectMapper JSON = new ObjectMapper();
  /**
   * The CLI reads its credential from an environment variable and a test cannot set one, so the gateway's admin key
   * is the value of one that is always set (as RetrainLoopTest does).
   */
  private static final String KEY_ENV = "PATH";

  @TempDir static Path dataDir;
  private static Vertx vertx;
  private static GatewayHarness gateway;

  @BeforeAll
  static void start() throws Exception {
    vertx = Vertx.vertx();
    MockOpenAiServer upstream = new MockOpenAiServer(vertx);
    upstream.start().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
    upstream.succeed().replyText("Hello from the mock.").usage(12, 7);
    String yaml = """
        server: { auth: required }
        deployments:
          - { name: gpt, provider: openai, base_url: %s, input_price_per_mtok: 2, output_price_per_mtok: 8 }
        """.formatted(upstream.baseUrl());
    Map<String, String> env = Map.of(Governance.PEPPER_ENV, "test-pepper-0123456789abcdef", "SWITCHBOARD_ADMIN_KEY", System.getenv(KEY_ENV));
    gateway = GatewayHarness.start(yaml, null, o -> o.withEnv(env::get).withGovernance(new GovernanceOptions(dataDir, Clock.systemUTC())));
  }

  @AfterAll
  static void stop() throws Exception {
    gateway.close();
    vertx.close().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
  }

  /** {@code switchboard ARGS --gateway <test gateway> --admin-key-env PATH}. */
  private static CliRun cli(String... args) {
    List<String> all = new ArrayList<>(Arrays.asList(args));
    all.addAll(List.of("--gateway", gateway.baseUrl(), "--admin-key-env", KEY_ENV));
    return CliRun.switchboard(all.toArray(String[]::new));
  }

  private static JsonNode json(CliRun r) throws Exception {
    assertEquals(Exit.OK, r.code(), r.err());
    return JSON.readTree(r.out());
  }

  private static HttpResponse<String> chat(String secret) throws Exception {
    return gateway.post("/v1/chat/completions", GatewayHarness.chat("gpt", false).getBytes(), Map.of("authorization", "Bearer " + secret));
  }

  @Test
  void keyLifecycle_createUseListUpdateRevoke_throughTheCli() throws Exception {
    JsonNode team = json(cli("teams", "create", "--name", "research", "--budget", "100/month", "--rpm", "600", "--json"));
    String teamId = team.path("id").asText();
    assertEquals("month", team.path("budget").path("period").asText());

    CliRun created = cli("keys", "create", "--name", "ci", "--team", teamId, "--models", "gpt", "--budget", "5/day", "--downgrade-at", "0.8",
        "--tag", "env=ci");
    assertEquals(Exit.OK, created.code(), created.err());
    String secret = created.out().lines().filter(l -> l.startsWith("secret: ")).findFirst().orElseThrow().substring("secret: ".length());
    assertTrue(secret.startsWith("sk-sb-"), created.out());
    assertTrue(created.out().contains(teamId) && created.out().contains("5/day (downgrade at 0.8)"), created.out());
    assertTrue(created.err().contains("only time the secret is shown"), created.err());
    String keyId = created.out().lines().skip(1).findFirst().orElseThrow().split("\\s+")[0];

    assertEquals(200, chat(secret).statusCode());

    CliRun list = cli("keys", "list", "--team", teamId);
    assertEquals(Exit.OK, list.code(), list.err());
    assertTrue(list.out().contains(keyId) && list.out().contains("enabled"), list.out());
    assertFalse(list.out().contains(secret), "keys list shows no secret");
    JsonNode listed = json(cli("keys", "list", "--json"));
    assertFalse(listed.toString().contains(secret));
    JsonNode listedKey = listed.path("data").findParents("id").stream().filter(k -> k.path("id").asText().equals(keyId)).findFirst().orElseThrow();
    assertEquals(0.8, listedKey.path("budget").path("downgrade_at").asDouble());

    JsonNode updated = json(cli("keys", "update", keyId, "--rpm", "60", "--budget", "none", "--json"));
    assertEquals(60, updated.path("rpm").asInt());
    assertTrue(updated.path("budget").isNull());
    assertEquals("ci", updated.path("name").asText(), "options not given stay as they are");

    CliRun spend = cli("spend", "--group-by", "key");
    assertEquals(Exit.OK, spend.code(), spend.err());
    // 12 prompt tokens at $2/M + 7 completion tokens at $8/M
    assertTrue(spend.out().lines().anyMatch(l -> l.startsWith(keyId) && l.contains("0.00008")), spend.out());
    JsonNode byModel = json(cli("spend", "--group-by", "model", "--from", "2020-01-01", "--json"));
    assertEquals("gpt", byModel.path("data").get(0).path("group").asText());

    CliRun revoked = cli("keys", "revoke", keyId);
    assertEquals(Exit.OK, revoked.code(), revoked.err());
    assertTrue(revoked.out().contains("revoked " + keyId), revoked.out());
    assertEquals(401, chat(secret).statusCode());
    assertTrue(cli("keys", "list").out().lines().anyMatch(l -> l.startsWith(keyId) && l.contains("revoked")));
  }

  @Test
  void teams_listAndUpdate() throws Exception {
    String id = json(cli("teams", "create", "--name", "ops", "--json")).path("id").asText();
    CliRun updated = cli("teams", "update", id, "--tpm", "50000", "--budget", "20/day");
    assertEquals(Exit.OK, updated.code(), updated.err());
    CliRun list = cli("teams", "list");
    assertTrue(list.out().lines().anyMatch(l -> l.startsWith(id) && l.contains("ops") && l.contains("50000") && l.contains("20/day")),
        list.out());
  }

  @Test
  void gatewayRefusal_printsItsMessage_exitsRefused() {
    CliRun unknown = cli("keys", "revoke", "key_nope");
    assertEquals(Exit.REFUSED, unknown.code());
    assertEquals("error: No such key 'key_nope'.", unknown.err().strip());

    CliRun badField = cli("keys", "create", "--name", "x", "--rpm", "lots");
    assertEquals(Exit.REFUSED, badField.code());
    assertTrue(badField.err().startsWith("error: 'rpm' must be a whole number"), badField.err());

    CliRun badGroup = cli("spend", "--from", "yesterday");
    assertEquals(Exit.REFUSED, badGroup.code());
    assertTrue(badGroup.err().startsWith("error: 'from' must be a day"), badGroup.err());
  }

  @Test
  void downgradeAtWithoutBudget_exitsBadInput() {
    CliRun r = cli("keys", "create", "--name", "x", "--downgrade-at", "0.8");
    assertEquals(Exit.BAD_INPUT, r.code());
    assertEquals("error: --downgrade-at is part of the budget: give --budget with it", r.err().strip());
    CliRun bad = cli("teams", "create", "--name", "t", "--budget", "10", "--downgrade-at", "1.5");
    assertEquals(Exit.REFUSED, bad.code());
    assertTrue(bad.err().startsWith("error: 'budget.downgrade_at' must be a share of the budget in (0, 1]"), bad.err());
  }

  @Test
  void wrongCredential_exitsRefused() {
    // HOME holds no admin key: the gateway answers 401 and the CLI prints its message
    CliRun r = CliRun.switchboard("keys", "list", "--gateway", gateway.baseUrl(), "--admin-key-env", "HOME");
    assertEquals(Exit.REFUSED, r.code());
    assertTrue(r.err().startsWith("error: Missing or wrong admin credential"), r.err());
  }

  @Test
  void missingCredentialVariable_exitsBadInput() {
    CliRun r = CliRun.switchboard("teams", "list", "--gateway", gateway.baseUrl(), "--admin-key-env", "SWITCHBOARD_TEST_NO_SUCH_VARIABLE");
    assertEquals(Exit.BAD_INPUT, r.code());
    assertTrue(r.err().startsWith("error: the environment variable SWITCHBOARD_TEST_NO_SUCH_VARIABLE is not set"), r.err());
  }

  @Test
  void gatewayDown_exitsFailed() {
    CliRun r = CliRun.switchboard("spend", "--gateway", "http://127.0.0.1:1", "--admin-key-env", KEY_ENV);
    assertEquals(Exit.FAILED, r.code());
    assertTrue(r.err().startsWith("error: cannot reach the gateway at http://127.0.0.1:1"), r.err());
  }
}
