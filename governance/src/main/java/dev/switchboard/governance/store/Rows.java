package dev.switchboard.governance.store;

import dev.switchboard.governance.Budget;
import dev.switchboard.governance.BudgetPeriod;
import dev.switchboard.governance.audit.AuditEntry;
import dev.switchboard.governance.keys.AdminRole;
import dev.switchboard.governance.keys.KeyRecord;
import dev.switchboard.governance.keys.KeySettings;
import dev.switchboard.governance.keys.KeyStatus;
import dev.switchboard.governance.keys.Team;
import dev.switchboard.governance.keys.TeamSettings;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.math.BigDecimal;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Types;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/** Row ↔ record mapping for the JDBC store. Binders return the next parameter index. */
final class Rows {

  private Rows() {}

  @FunctionalInterface
  interface Mapper<T> {
    T map(ResultSet rs) throws SQLException;
  }

  // Both drivers map OffsetDateTime to TIMESTAMP WITH TIME ZONE exactly (JDBC 4.2).
  static OffsetDateTime timestamp(Instant instant) {
    return instant == null ? null : OffsetDateTime.ofInstant(instant, ZoneOffset.UTC);
  }

  static Instant instant(ResultSet rs, String column) throws SQLException {
    OffsetDateTime t = rs.getObject(column, OffsetDateTime.class);
    return t == null ? null : t.toInstant();
  }

  static int bindKey(PreparedStatement ps, int i, KeyRecord key) throws SQLException {
    KeySettings s = key.settings();
    ps.setString(i++, s.name());
    ps.setString(i++, s.teamId());
    ps.setString(i++, new JsonArray(new java.util.ArrayList<>(new TreeSet<>(s.allowedModels()))).encode());
    ps.setString(i++, new JsonArray(new java.util.ArrayList<>(new TreeSet<>(s.allowedRoutes()))).encode());
    setNullable(ps, i++, s.maxQualityTarget(), Types.DOUBLE);
    setNullable(ps, i++, s.maxCostUsd(), Types.NUMERIC);
    setNullable(ps, i++, s.rpm(), Types.INTEGER);
    setNullable(ps, i++, s.tpm(), Types.BIGINT);
    i = bindBudget(ps, i, s.budget());
    ps.setObject(i++, timestamp(s.expiresAt()));
    ps.setString(i++, new JsonObject(new java.util.TreeMap<String, Object>(s.tags())).encode());
    ps.setString(i++, key.status().name());
    ps.setString(i++, s.role() == null ? null : s.role().name());
    ps.setObject(i++, timestamp(key.createdAt()));
    ps.setObject(i++, timestamp(key.updatedAt()));
    return i;
  }

  static KeyRecord key(ResultSet rs) throws SQLException {
    KeySettings settings = new KeySettings(
        rs.getString("name"),
        rs.getString("team_id"),
        strings(rs.getString("allowed_models")),
        strings(rs.getString("allowed_routes")),
        rs.getObject("max_quality_target") == null ? null : rs.getDouble("max_quality_target"),
        rs.getBigDecimal("max_cost_usd"),
        rs.getObject("rpm") == null ? null : rs.getInt("rpm"),
        rs.getObject("tpm") == null ? null : rs.getLong("tpm"),
        budget(rs),
        instant(rs, "expires_at"),
        tags(rs.getString("tags")),
        rs.getString("admin_role") == null ? null : AdminRole.valueOf(rs.getString("admin_role")));
    return new KeyRecord(rs.getString("id"), settings, KeyStatus.valueOf(rs.getString("status")),
        instant(rs, "created_at"), instant(rs, "updated_at"));
  }

  static int bindTeam(PreparedStatement ps, int i, Team team) throws SQLException {
    TeamSettings s = team.settings();
    ps.setString(i++, s.name());
    i = bindBudget(ps, i, s.budget());
    setNullable(ps, i++, s.rpm(), Types.INTEGER);
    setNullable(ps, i++, s.tpm(), Types.BIGINT);
    ps.setObject(i++, timestamp(team.createdAt()));
    ps.setObject(i++, timestamp(team.updatedAt()));
    return i;
  }

  static Team team(ResultSet rs) throws SQLException {
    TeamSettings settings = new TeamSettings(rs.getString("name"), budget(rs),
        rs.getObject("rpm") == null ? null : rs.getInt("rpm"),
        rs.getObject("tpm") == null ? null : rs.getLong("tpm"));
    return new Team(rs.getString("id"), settings, instant(rs, "created_at"), instant(rs, "updated_at"));
  }

  static AuditEntry audit(ResultSet rs) throws SQLException {
    return new AuditEntry(rs.getLong("id"), instant(rs, "occurred_at"), rs.getString("actor"), rs.getString("action"),
        rs.getString("target_type"), rs.getString("target_id"), rs.getString("before_json"),
        rs.getString("after_json"), rs.getString("source_address"));
  }

  private static int bindBudget(PreparedStatement ps, int i, Budget budget) throws SQLException {
    setNullable(ps, i++, budget == null ? null : budget.limitUsd(), Types.NUMERIC);
    ps.setString(i++, budget == null ? null : budget.period().name());
    setNullable(ps, i++, budget == null ? null : budget.downgradeAt(), Types.DOUBLE);
    return i;
  }

  private static Budget budget(ResultSet rs) throws SQLException {
    BigDecimal limit = rs.getBigDecimal("budget_usd");
    if (limit == null) return null;
    BudgetPeriod period = BudgetPeriod.valueOf(rs.getString("budget_period"));
    double share = rs.getDouble("budget_downgrade_at");
    Double downgradeAt = rs.wasNull() ? null : share; // wasNull() speaks of the last column read: read nothing in between
    return new Budget(limit, period, downgradeAt);
  }

  private static void setNullable(PreparedStatement ps, int i, Object value, int sqlType) throws SQLException {
    if (value == null) {
      ps.setNull(i, sqlType);
    } else {
      ps.setObject(i, value, sqlType);
    }
  }

  private static Set<String> strings(String json) {
    Set<String> out = new HashSet<>();
    new JsonArray(json).forEach(v -> out.add((String) v));
    return out;
  }

  private static Map<String, String> tags(String json) {
    Map<String, String> out = new HashMap<>();
    new JsonObject(json).forEach(e -> out.put(e.getKey(), String.valueOf(e.getValue())));
    return out;
  }
}
