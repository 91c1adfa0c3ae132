package dev.switchboard.governance.store;

import dev.switchboard.governance.audit.AuditEntry;
import dev.switchboard.governance.audit.AuditLog;
import dev.switchboard.governance.audit.AuditQuery;
import dev.switchboard.governance.keys.KeyRecord;
import dev.switchboard.governance.keys.KeyStore;
import dev.switchboard.governance.keys.StoredKey;
import dev.switchboard.governance.keys.Team;
import dev.switchboard.governance.spend.SpendGroupBy;
import dev.switchboard.governance.spend.SpendLedger;
import dev.switchboard.governance.spend.SpendRecord;
import dev.switchboard.governance.spend.SpendTotal;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.NoSuchElementException;
import java.util.Optional;
import java.util.function.Consumer;
import javax.sql.DataSource;

/**
 * Keys, teams, spend and audit over JDBC, the same SQL on H2 and PostgreSQL. Every change to a key or team
 * and its audit entry commit in one transaction. Blocking: call from worker threads.
 */
public final class JdbcGovernanceStore implements KeyStore, AuditLog, SpendLedger {

  /** Unique-constraint violation, the same SQLSTATE on H2 and PostgreSQL. */
  private static final String UNIQUE_VIOLATION = "23505";
  private static final int DEFAULT_AUDIT_LIMIT = 1000;

  private static final org.slf4j.Logger LOG = org.slf4j.LoggerFactory.getLogger(JdbcGovernanceStore.class);

  private final DataSource dataSource;
  private volatile Consumer<AuditEntry> auditListener;

  JdbcGovernanceStore(DataSource dataSource) {
    this.dataSource = dataSource;
  }

  // ---------------------------------------------------------------- keys and teams

  @Override
  public void insertKey(StoredKey stored, AuditEntry audit) {
    audited(inTransaction(c -> {
      try (PreparedStatement ps = c.prepareStatement("INSERT INTO api_keys (id, secret_hash, name, team_id, "
          + "allowed_models, allowed_routes, max_quality_target, max_cost_usd, rpm, tpm, budget_usd, budget_period, "
          + "budget_downgrade_at, expires_at, tags, status, admin_role, created_at, updated_at) "
          + "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)")) {
        ps.setString(1, stored.key().id());
        ps.setString(2, stored.secretHash());
        Rows.bindKey(ps, 3, stored.key());
        ps.executeUpdate();
      }
      return insertAudit(c, audit);
    }));
  }

  @Override
  public void updateKey(KeyRecord key, AuditEntry audit) {
    updateOne("UPDATE api_keys SET name = ?, team_id = ?, allowed_models = ?, "
        + "allowed_routes = ?, max_quality_target = ?, max_cost_usd = ?, rpm = ?, tpm = ?, budget_usd = ?, "
        + "budget_period = ?, budget_downgrade_at = ?, expires_at = ?, tags = ?, status = ?, admin_role = ?, created_at = ?, updated_at = ? WHERE id = ?",
        ps -> Rows.bindKey(ps, 1, key), "key " + key.id(), key.id(), audit);
  }

  @Override
  public List<StoredKey> allKeys() {
    return query("SELECT * FROM api_keys ORDER BY id", ps -> {}, rs -> new StoredKey(Rows.key(rs), rs.getString("secret_hash")));
  }

  @Override
  public Optional<KeyRecord> key(String id) {
    return query("SELECT * FROM api_keys WHERE id = ?", ps -> ps.setString(1, id), Rows::key).stream().findFirst();
  }

  @Override
  public void insertTeam(Team team, AuditEntry audit) {
    audited(inTransaction(c -> {
      try (PreparedStatement ps = c.prepareStatement("INSERT INTO teams (id, name, budget_usd, budget_period, "
          + "budget_downgrade_at, rpm, tpm, created_at, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)")) {
        ps.setString(1, team.id());
        Rows.bindTeam(ps, 2, team);
        ps.executeUpdate();
      }
      return insertAudit(c, audit);
    }));
  }

  @Override
  public void updateTeam(Team team, AuditEntry audit) {
    updateOne("UPDATE teams SET name = ?, budget_usd = ?, budget_period = ?, "
        + "budget_downgrade_at = ?, rpm = ?, tpm = ?, created_at = ?, updated_at = ? WHERE id = ?",
        ps -> Rows.bindTeam(ps, 1, team), "team " + team.id(), team.id(), audit);
  }

  /**
   * Updates the one row {@code sql} names by its last parameter, {@code id}, and writes the audit
   * entry in the same transaction; no such row is a {@link NoSuchElementException}.
   */
  private void updateOne(String sql, Fields fields, String what, String id, AuditEntry audit) {
    audited(inTransaction(c -> {
      try (PreparedStatement ps = c.prepareStatement(sql)) {
        ps.setString(fields.bind(ps), id);
        if (ps.executeUpdate() != 1) {
          throw new NoSuchElementException("no " + what);
        }
      }
      return insertAudit(c, audit);
    }));
  }

  @Override
  public List<Team> allTeams() {
    return query("SELECT * FROM teams ORDER BY id", ps -> {}, Rows::team);
  }

  // ---------------------------------------------------------------- audit

  @Override
  public AuditEntry append(AuditEntry entry) {
    return audited(inTransaction(c -> insertAudit(c, entry)));
  }

  /**
   * Sets who hears of each audit entry once it is committed (the gateway publishes them to Kafka). It runs on the
   * writing thread after the commit, so it never sees an entry that was rolled back; an exception it throws is
   * caught, since the entry is already the truth. Null: nobody.
   *
   * @param listener the receiver of committed entries (with their ids), or null
   */
  public void onAudited(Consumer<AuditEntry> listener) {
    this.auditListener = listener;
  }

  private AuditEntry audited(AuditEntry committed) {
    Consumer<AuditEntry> l = auditListener;
    if (l != null) {
      try {
        l.accept(committed);
      } catch (RuntimeException e) {
        LOG.warn("audit entry {} is stored but its listener failed: {}", committed.id(), e.toString());
      }
    }
    return committed;
  }

  @Override
  public List<AuditEntry> query(AuditQuery q) {
    StringBuilder sql = new StringBuilder("SELECT * FROM audit_log WHERE 1 = 1");
    List<Object> args = new ArrayList<>();
    if (q.from() != null) {
      sql.append(" AND occurred_at >= ?");
      args.add(Rows.timestamp(q.from()));
    }
    if (q.to() != null) {
      sql.append(" AND occurred_at < ?");
      args.add(Rows.timestamp(q.to()));
    }
    if (q.actor() != null) {
      sql.append(" AND actor = ?");
      args.add(q.actor());
    }
    if (q.targetType() != null) {
      sql.append(" AND target_type = ?");
      args.add(q.targetType());
    }
    if (q.targetId() != null) {
      sql.append(" AND target_id = ?");
      args.add(q.targetId());
    }
    sql.append(" ORDER BY id LIMIT ?");
    args.add(q.limit() > 0 ? q.limit() : DEFAULT_AUDIT_LIMIT);
    return query(sql.toString(), ps -> {
      for (int i = 0; i < args.size(); i++) {
        ps.setObject(i + 1, args.get(i));
      }
    }, Rows::audit);
  }

  private static AuditEntry insertAudit(Connection c, AuditEntry e) throws SQLException {
    try (PreparedStatement ps = c.prepareStatement("INSERT INTO audit_log (occurred_at, actor, action, target_type, "
        + "target_id, before_json, after_json, source_address) VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
        new String[] {"id"})) {
      ps.setObject(1, Rows.timestamp(e.at()));
      ps.setString(2, e.actor());
      ps.setString(3, e.action());
      ps.setString(4, e.targetType());
      ps.setString(5, e.targetId());
      ps.setString(6, e.beforeJson());
      ps.setString(7, e.afterJson());
      ps.setString(8, e.sourceAddress());
      ps.executeUpdate();
      try (ResultSet keys = ps.getGeneratedKeys()) {
        keys.next();
        return new AuditEntry(keys.getLong(1), e.at(), e.actor(), e.action(), e.targetType(), e.targetId(),
            e.beforeJson(), e.afterJson(), e.sourceAddress());
      }
    }
  }

  // ---------------------------------------------------------------- spend

  private static final String INSERT_SPEND = "INSERT INTO spend (request_id, key_id, team_id, model, cost_usd, "
      + "prompt_tokens, completion_tokens, spent_at, spent_day, requests) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)";

  private static void bindSpend(PreparedStatement ps, SpendRecord r) throws SQLException {
    ps.setString(1, r.requestId());
    ps.setString(2, r.keyId());
    ps.setString(3, r.teamId());
    ps.setString(4, r.model());
    ps.setBigDecimal(5, r.costUsd());
    ps.setLong(6, r.promptTokens());
    ps.setLong(7, r.completionTokens());
    ps.setObject(8, Rows.timestamp(r.at()));
    ps.setObject(9, LocalDate.ofInstant(r.at(), ZoneOffset.UTC));
    ps.setLong(10, r.requests());
  }

  @Override
  public void record(SpendRecord r) {
    try {
      inTransaction(c -> {
        try (PreparedStatement ps = c.prepareStatement(INSERT_SPEND)) {
          bindSpend(ps, r);
          ps.executeUpdate();
        }
        return null;
      });
    } catch (StoreException e) {
      if (e.getCause() instanceof SQLException s && UNIQUE_VIOLATION.equals(s.getSQLState())) {
        throw new IllegalStateException("spend for request " + r.requestId() + " is already recorded", s);
      }
      throw e;
    }
  }

  /**
   * Records many requests' spend in one transaction (one commit instead of one each, which is most of a record's
   * cost). If one of them is a duplicate, the batch is rolled back and each is recorded on its own, so the others
   * are kept and the duplicate alone fails.
   *
   * @param records finished requests
   * @return the records that were duplicates (already recorded), empty normally
   */
  public List<SpendRecord> recordAll(List<SpendRecord> records) {
    if (records.size() == 1) {
      try {
        record(records.get(0));
        return List.of();
      } catch (IllegalStateException duplicate) {
        return records;
      }
    }
    try {
      inTransaction(c -> {
        try (PreparedStatement ps = c.prepareStatement(INSERT_SPEND)) {
          for (SpendRecord r : records) {
            bindSpend(ps, r);
            ps.addBatch();
          }
          ps.executeBatch();
        }
        return null;
      });
      return List.of();
    } catch (StoreException e) {
      List<SpendRecord> duplicates = new ArrayList<>();
      for (SpendRecord r : records) {
        try {
          record(r);
        } catch (IllegalStateException duplicate) {
          duplicates.add(r);
        }
      }
      return duplicates;
    }
  }

  @Override
  public List<SpendTotal> spend(SpendGroupBy groupBy, Instant from, Instant to) {
    // The column comes from the enum, never from input, so building it into the SQL is safe.
    String column = switch (groupBy) {
      case KEY -> "key_id";
      case TEAM -> "team_id";
      case MODEL -> "model";
      case DAY -> "spent_day";
    };
    String sql = "SELECT " + column + " AS grp, SUM(cost_usd) AS cost, SUM(prompt_tokens) AS pt, "
        + "SUM(completion_tokens) AS ct, SUM(requests) AS n FROM spend WHERE spent_at >= ? AND spent_at < ? "
        + "GROUP BY " + column + " ORDER BY " + column;
    return query(sql, ps -> {
      ps.setObject(1, Rows.timestamp(from));
      ps.setObject(2, Rows.timestamp(to));
    }, rs -> new SpendTotal(
        groupBy == SpendGroupBy.DAY ? rs.getObject("grp", LocalDate.class).toString() : rs.getString("grp"),
        rs.getBigDecimal("cost").setScale(dev.switchboard.governance.Budget.USD_SCALE),
        rs.getLong("pt"), rs.getLong("ct"), rs.getLong("n")));
  }

  // ---------------------------------------------------------------- plumbing

  private <T> List<T> query(String sql, Binder binder, Rows.Mapper<T> mapper) {
    try (Connection c = dataSource.getConnection(); PreparedStatement ps = c.prepareStatement(sql)) {
      binder.bind(ps);
      try (ResultSet rs = ps.executeQuery()) {
        List<T> out = new ArrayList<>();
        while (rs.next()) {
          out.add(mapper.map(rs));
        }
        return out;
      }
    } catch (SQLException e) {
      throw new StoreException("query failed: " + sql, e);
    }
  }

  private <T> T inTransaction(Work<T> work) {
    try (Connection c = dataSource.getConnection()) {
      c.setAutoCommit(false);
      try {
        T result = work.run(c);
        c.commit();
        return result;
      } catch (SQLException | RuntimeException e) {
        c.rollback();
        throw e;
      } finally {
        c.setAutoCommit(true);
      }
    } catch (SQLException e) {
      throw new StoreException("write failed", e);
    }
  }

  @FunctionalInterface
  private interface Work<T> {
    T run(Connection c) throws SQLException;
  }

  /** Binds a row's fields from parameter 1 and returns the next parameter index. */
  @FunctionalInterface
  private interface Fields {
    int bind(PreparedStatement ps) throws SQLException;
  }

  @FunctionalInterface
  private interface Binder {
    void bind(PreparedStatement ps) throws SQLException;
  }

  /** A database error, unchecked; the message names the statement, never a bound value. */
  public static final class StoreException extends RuntimeException {
    StoreException(String message, SQLException cause) {
      super(message + " (SQLSTATE " + cause.getSQLState() + ")", cause);
    }
  }

}
