package dev.switchboard.governance.store;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.switchboard.governance.Budget;
import dev.switchboard.governance.BudgetPeriod;
import dev.switchboard.governance.audit.AuditEntry;
import dev.switchboard.governance.audit.AuditQuery;
import dev.switchboard.governance.counters.CounterSeeding;
import dev.switchboard.governance.counters.InProcessCounters;
import dev.switchboard.governance.counters.Scope;
import dev.switchboard.governance.keys.Actor;
import dev.switchboard.governance.keys.Authentication.Outcome;
import dev.switchboard.governance.keys.CreatedKey;
import dev.switchboard.governance.keys.KeyRecord;
import dev.switchboard.governance.keys.KeyRegistry;
import dev.switchboard.governance.keys.KeySettings;
import dev.switchboard.governance.keys.KeyStatus;
import dev.switchboard.governance.keys.Team;
import dev.switchboard.governance.keys.TeamSettings;
import dev.switchboard.governance.spend.SpendGroupBy;
import dev.switchboard.governance.spend.SpendRecord;
import dev.switchboard.governance.spend.SpendTotal;
import dev.switchboard.governance.testkit.MutableClock;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The one store suite: every backend's test class extends this and says how to open a fresh database.
 * Keys are exercised through {@link KeyRegistry}, the way the gateway uses the store.
 */
abstract class GovernanceStoreContract {

  static final byte[] PEPPER = "test-pepper-0123456789abcdef".getBytes(StandardCharsets.UTF_8);
  static final Instant T0 = Instant.parse("2026-12-07T10:00:00Z");
  static final Actor ADMIN = Actor.bootstrapAdmin("10.0.0.1");

  GovernanceDatabase db;
  JdbcGovernanceStore store;
  MutableClock clock;
  KeyRegistry registry;

  /** Opens a new, empty database (migrations run on open). */
  abstract GovernanceDatabase openFresh();

  /** Opens the same database again, as a second process or a restart would. */
  abstract GovernanceDatabase reopen();

  @BeforeEach
  void open() {
    db = openFresh();
    store = db.store();
    clock = new MutableClock(T0);
    registry = new KeyRegistry(store, PEPPER, clock);
  }

  @AfterEach
  void close() {
    db.close();
  }

  // ---------------------------------------------------------------- keys

  @Test
  void createKey_authenticate_revoke_authenticateFails() {
    CreatedKey created = registry.createKey(KeySettings.named("ci").build(), ADMIN);
    assertTrue(created.secret().startsWith("sk-sb-"));
    assertTrue(created.key().id().startsWith("key_"));

    assertEquals(created.key(), registry.authenticate(created.secret()).orElseThrow());

    KeyRecord revoked = registry.revokeKey(created.key().id(), ADMIN);
    assertEquals(KeyStatus.REVOKED, revoked.status());
    assertTrue(registry.authenticate(created.secret()).isEmpty());
    assertEquals(Outcome.REVOKED, registry.check(created.secret()).outcome());

    // A restarted process reads the revocation from the store.
    assertEquals(Outcome.REVOKED, new KeyRegistry(store, PEPPER, clock).check(created.secret()).outcome());
  }

  @Test
  void authenticate_expiredKey_refusedAsExpired() {
    CreatedKey created = registry.createKey(
        KeySettings.named("temp").expiresAt(T0.plus(Duration.ofHours(1))).build(), ADMIN);
    assertTrue(registry.authenticate(created.secret()).isPresent());

    clock.advance(Duration.ofHours(1));

    assertTrue(registry.authenticate(created.secret()).isEmpty());
    assertEquals(Outcome.EXPIRED, registry.check(created.secret()).outcome());
  }

  @Test
  void authenticate_unknownOrMalformed_refused() {
    registry.createKey(KeySettings.named("a").build(), ADMIN);
    assertEquals(Outcome.UNKNOWN, registry.check("sk-sb-" + "x".repeat(32)).outcome());
    assertEquals(Outcome.MALFORMED, registry.check("sk-proj-abc").outcome());
    assertEquals(Outcome.MALFORMED, registry.check(null).outcome());
    assertEquals(Outcome.MALFORMED, registry.check("sk-sb-" + "x".repeat(500)).outcome());
  }

  @Test
  void authenticate_otherPepper_unknown() {
    CreatedKey created = registry.createKey(KeySettings.named("a").build(), ADMIN);
    byte[] other = "another-pepper-0123456789".getBytes(StandardCharsets.UTF_8);
    assertEquals(Outcome.UNKNOWN, new KeyRegistry(store, other, clock).check(created.secret()).outcome());
  }

  @Test
  void keySettings_roundTripThroughStore() {
    // downgrade points (budget-aware routing) on both budgets: they round-trip with the rest
    Team team = registry.createTeam(new TeamSettings("research", new Budget(new BigDecimal("100"), BudgetPeriod.MONTH, 0.8), 600, 1_000_000L),
        ADMIN);
    KeySettings settings = KeySettings.named("full")
        .team(team.id())
        .models(Set.of("gpt-4o-mini", "claude-haiku"))
        .routes(Set.of("auto"))
        .maxQualityTarget(0.8)
        .maxCostUsd(new BigDecimal("0.25"))
        .rpm(60)
        .tpm(90_000L)
        .budget(new Budget(new BigDecimal("12.5"), BudgetPeriod.DAY, 0.5))
        .expiresAt(T0.plus(Duration.ofDays(30)))
        .tags(Map.of("owner", "alice", "env", "prod"))
        .role(dev.switchboard.governance.keys.AdminRole.TEAM_ADMIN)
        .build();
    CreatedKey created = registry.createKey(settings, ADMIN);
    CreatedKey plain = registry.createKey(KeySettings.named("plain").budget(Budget.of("3", BudgetPeriod.TOTAL)).build(), ADMIN);

    try (GovernanceDatabase again = reopen()) {
      KeyRegistry fresh = new KeyRegistry(again.store(), PEPPER, clock);
      assertEquals(plain.key(), fresh.authenticate(plain.secret()).orElseThrow(), "a budget without a downgrade point reads back as one");
      KeyRecord loaded = fresh.authenticate(created.secret()).orElseThrow();
      assertEquals(created.key(), loaded);
      assertEquals(team, fresh.team(team.id()).orElseThrow());
      assertEquals(0.5, loaded.settings().budget().downgradeAt());
      assertTrue(loaded.allowsModel("claude-haiku"));
      assertFalse(loaded.allowsModel("o3"));
    }
  }

  @Test
  void createKey_unknownTeam_rejected() {
    assertThrows(IllegalArgumentException.class,
        () -> registry.createKey(KeySettings.named("x").team("team_nope").build(), ADMIN));
  }

  @Test
  void refresh_seesChangesMadeByAnotherProcess() {
    KeyRegistry other = new KeyRegistry(store, PEPPER, clock);
    CreatedKey created = other.createKey(KeySettings.named("elsewhere").build(), ADMIN);
    assertTrue(registry.authenticate(created.secret()).isEmpty());

    registry.refresh();
    assertTrue(registry.authenticate(created.secret()).isPresent());

    other.revokeKey(created.key().id(), ADMIN);
    registry.refresh();
    assertEquals(Outcome.REVOKED, registry.check(created.secret()).outcome());
  }

  @Test
  void secret_neverInToStringAuditOrDatabase() throws SQLException {
    Team team = registry.createTeam(new TeamSettings("t", null, null, null), ADMIN);
    CreatedKey created = registry.createKey(KeySettings.named("s").team(team.id()).build(), ADMIN);
    String secret = created.secret();
    String body = secret.substring("sk-sb-".length());
    registry.updateKey(created.key().id(), created.key().settings().toBuilder().rpm(5).build(), ADMIN);
    registry.revokeKey(created.key().id(), ADMIN);

    assertFalse(created.toString().contains(body), created.toString());
    assertFalse(created.key().toString().contains(body));
    assertFalse(store.allKeys().toString().contains(body));
    for (AuditEntry e : store.query(AuditQuery.ALL)) {
      assertFalse(e.toString().contains(body), e.toString());
    }
    NoSuchElementExceptionCheck.assertMessageOmits(() -> registry.revokeKey("key_missing", ADMIN), body);
    try (Connection c = db.dataSource().getConnection(); Statement s = c.createStatement();
         ResultSet rs = s.executeQuery("SELECT * FROM api_keys")) {
      while (rs.next()) {
        for (int i = 1; i <= rs.getMetaData().getColumnCount(); i++) {
          String value = rs.getString(i);
          assertTrue(value == null || !value.contains(body), "column " + rs.getMetaData().getColumnName(i));
        }
      }
    }
  }

  // ---------------------------------------------------------------- audit

  @Test
  void adminChanges_writeAuditEntriesWithBeforeAndAfter() {
    CreatedKey created = registry.createKey(KeySettings.named("a").build(), ADMIN);
    clock.advance(Duration.ofMinutes(1));
    registry.updateKey(created.key().id(), KeySettings.named("renamed").build(), new Actor("key_admin1", "10.0.0.2"));
    clock.advance(Duration.ofMinutes(1));
    registry.revokeKey(created.key().id(), ADMIN);

    List<AuditEntry> log = store.query(AuditQuery.ALL.byTarget(KeyRegistry.KEY, created.key().id()));
    assertEquals(List.of("key.create", "key.update", "key.revoke"), log.stream().map(AuditEntry::action).toList());
    assertNull(log.get(0).beforeJson());
    assertTrue(log.get(1).beforeJson().contains("\"name\":\"a\""));
    assertTrue(log.get(1).afterJson().contains("\"name\":\"renamed\""));
    assertEquals("key_admin1", log.get(1).actor());
    assertEquals("10.0.0.2", log.get(1).sourceAddress());
    assertTrue(log.get(2).afterJson().contains("\"status\":\"REVOKED\""));
    assertTrue(log.get(0).id() < log.get(1).id());
  }

  @Test
  void audit_appendAndQueryByTimeActorTarget() {
    AuditEntry first = store.append(entry(T0, "bootstrap-admin", "team", "team_1"));
    store.append(entry(T0.plusSeconds(60), "key_a", "key", "key_1"));
    store.append(entry(T0.plusSeconds(120), "key_a", "team", "team_1"));
    assertTrue(first.id() > 0);

    assertEquals(3, store.query(AuditQuery.ALL).size());
    assertEquals(List.of(T0.plusSeconds(60)),
        store.query(AuditQuery.ALL.between(T0.plusSeconds(30), T0.plusSeconds(120))).stream().map(AuditEntry::at).toList());
    assertEquals(2, store.query(AuditQuery.ALL.byActor("key_a")).size());
    assertEquals(2, store.query(AuditQuery.ALL.byTarget("team", "team_1")).size());
    assertEquals(1, store.query(AuditQuery.ALL.byActor("key_a").byTarget("team", "team_1")).size());
    assertEquals(first, store.query(AuditQuery.ALL).get(0));
  }

  @Test
  void audit_updateAndDelete_rejectedByTheDatabase() throws SQLException {
    store.append(entry(T0, "bootstrap-admin", "key", "key_1"));
    try (Connection c = db.dataSource().getConnection(); Statement s = c.createStatement()) {
      SQLException update = assertThrows(SQLException.class, () -> s.executeUpdate("UPDATE audit_log SET actor = 'x'"));
      assertTrue(update.getMessage().contains("append-only"), update.getMessage());
      SQLException delete = assertThrows(SQLException.class, () -> s.executeUpdate("DELETE FROM audit_log"));
      assertTrue(delete.getMessage().contains("append-only"), delete.getMessage());
    }
    assertEquals("bootstrap-admin", store.query(AuditQuery.ALL).get(0).actor());
  }

  static AuditEntry entry(Instant at, String actor, String type, String id) {
    return new AuditEntry(0, at, actor, type + ".update", type, id, "{\"v\":1}", "{\"v\":2}", "127.0.0.1");
  }

  // ---------------------------------------------------------------- spend

  @Test
  void spend_groupedByKeyTeamModelAndDay() {
    Instant day1 = Instant.parse("2026-12-06T23:30:00Z");
    Instant day2 = Instant.parse("2026-12-07T00:30:00Z");
    store.record(new SpendRecord("r1", "key_a", "team_x", "gpt-4o-mini", new BigDecimal("0.10"), 100, 10, day1));
    store.record(new SpendRecord("r2", "key_a", "team_x", "claude-haiku", new BigDecimal("0.20"), 200, 20, day2));
    store.record(new SpendRecord("r3", "key_b", null, "gpt-4o-mini", new BigDecimal("0.05"), 50, 5, day2));
    store.record(new SpendRecord("r4", "key_b", null, "gpt-4o-mini", new BigDecimal("9.99"), 1, 1, day2.plus(Duration.ofDays(1))));
    Instant from = Instant.parse("2026-12-06T00:00:00Z");
    Instant to = Instant.parse("2026-12-08T00:00:00Z");

    assertEquals(List.of(total("key_a", "0.30", 300, 30, 2), total("key_b", "0.05", 50, 5, 1)),
        store.spend(SpendGroupBy.KEY, from, to));
    List<SpendTotal> byTeam = store.spend(SpendGroupBy.TEAM, from, to);
    assertEquals(2, byTeam.size());
    assertTrue(byTeam.contains(total("team_x", "0.30", 300, 30, 2)));
    assertTrue(byTeam.contains(total(null, "0.05", 50, 5, 1)));
    assertEquals(List.of(total("claude-haiku", "0.20", 200, 20, 1), total("gpt-4o-mini", "0.15", 150, 15, 2)),
        store.spend(SpendGroupBy.MODEL, from, to));
    assertEquals(List.of(total("2026-12-06", "0.10", 100, 10, 1), total("2026-12-07", "0.25", 250, 25, 2)),
        store.spend(SpendGroupBy.DAY, from, to));
  }

  @Test
  void spend_aSumRow_countsAsItsRequests() {
    store.record(new SpendRecord("sum-1", "key_a", "team_x", "m", new BigDecimal("1.50"), 300, 30, T0, 150));
    store.record(new SpendRecord("r1", "key_a", "team_x", "m", new BigDecimal("0.01"), 2, 1, T0));

    assertEquals(List.of(total("key_a", "1.51", 302, 31, 151)),
        store.spend(SpendGroupBy.KEY, T0.minusSeconds(1), T0.plusSeconds(1)));
    assertThrows(IllegalArgumentException.class,
        () -> new SpendRecord("sum-2", "key_a", null, "m", BigDecimal.ONE, 1, 1, T0, 0));
  }

  @Test
  void spend_sameRequestTwice_rejected() {
    SpendRecord r = new SpendRecord("r1", "key_a", null, "m", BigDecimal.ONE, 1, 1, T0);
    store.record(r);
    assertThrows(IllegalStateException.class, () -> store.record(r));
  }

  @Test
  void counterSeeding_startsCountersAtThisPeriodsSpend() {
    Team team = registry.createTeam(new TeamSettings("t", Budget.of("5", BudgetPeriod.MONTH), null, null), ADMIN);
    KeyRecord key = registry.createKey(
        KeySettings.named("k").team(team.id()).budget(Budget.of("1", BudgetPeriod.DAY)).build(), ADMIN).key();
    store.record(new SpendRecord("yesterday", key.id(), team.id(), "m", new BigDecimal("0.70"), 1, 1, T0.minus(Duration.ofDays(1))));
    store.record(new SpendRecord("today", key.id(), team.id(), "m", new BigDecimal("0.40"), 1, 1, T0.minusSeconds(60)));

    InProcessCounters counters = new InProcessCounters();
    int seeded = CounterSeeding.seed(counters, store, registry.keys(), registry.teams(), T0)
        .toCompletionStage().toCompletableFuture().join();

    assertEquals(2, seeded);
    assertEquals(new BigDecimal("0.400000"), join(counters.spent(Scope.KEY, key.id(), BudgetPeriod.DAY, T0)));
    assertEquals(new BigDecimal("1.100000"), join(counters.spent(Scope.TEAM, team.id(), BudgetPeriod.MONTH, T0)));
  }

  static <T> T join(io.vertx.core.Future<T> f) {
    return f.toCompletionStage().toCompletableFuture().join();
  }

  static SpendTotal total(String group, String usd, long pt, long ct, long n) {
    return new SpendTotal(group, new BigDecimal(usd).setScale(6), pt, ct, n);
  }

  /** Asserts an exception's message chain does not leak a secret. */
  static final class NoSuchElementExceptionCheck {
    static void assertMessageOmits(Runnable r, String secretBody) {
      RuntimeException e = assertThrows(RuntimeException.class, r::run);
      for (Throwable t = e; t != null; t = t.getCause()) {
        assertTrue(t.getMessage() == null || !t.getMessage().contains(secretBody));
      }
    }
  }
}
