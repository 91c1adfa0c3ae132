package dev.switchboard.governance.store;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import java.nio.file.Path;
import java.util.Objects;
import javax.sql.DataSource;
import org.flywaydb.core.Flyway;

/**
 * A pooled, migrated connection to the governance database: an embedded H2 file for a single gateway, or
 * PostgreSQL when several gateway processes share keys, spend and audit. Opening runs Flyway, so a new
 * data directory or an empty database is ready to use, and an old one is upgraded.
 */
public final class GovernanceDatabase implements AutoCloseable {

  /** Which SQL dialect's migrations apply. */
  public enum Vendor {
    /** Embedded H2 in file mode. */
    H2,
    /** PostgreSQL 12 or later. */
    POSTGRESQL
  }

  private final HikariDataSource dataSource;
  private final Vendor vendor;
  private final JdbcGovernanceStore store;

  private GovernanceDatabase(HikariConfig config, Vendor vendor) {
    this.vendor = vendor;
    this.dataSource = new HikariDataSource(config);
    try {
      migrate(dataSource, vendor);
    } catch (RuntimeException e) {
      dataSource.close();
      throw e;
    }
    this.store = new JdbcGovernanceStore(dataSource);
  }

  /**
   * Opens (creating if needed) the embedded database {@code governance.mv.db} in {@code dataDir}.
   * Only one process may open it at a time: H2 locks the file.
   *
   * @param dataDir the gateway's data directory
   * @return the open database
   */
  public static GovernanceDatabase h2(Path dataDir) {
    Objects.requireNonNull(dataDir, "dataDir");
    HikariConfig config = baseConfig("governance-h2");
    config.setJdbcUrl("jdbc:h2:file:" + dataDir.toAbsolutePath().resolve("governance"));
    config.setUsername("sa");
    config.setPassword("");
    return new GovernanceDatabase(config, Vendor.H2);
  }

  /**
   * Opens a PostgreSQL database.
   *
   * @param jdbcUrl e.g. {@code jdbc:postgresql://db:5432/switchboard}
   * @param user the database user
   * @param password its password; not logged
   * @return the open database
   */
  public static GovernanceDatabase postgres(String jdbcUrl, String user, String password) {
    if (!jdbcUrl.startsWith("jdbc:postgresql:")) {
      throw new IllegalArgumentException("not a PostgreSQL JDBC URL: " + jdbcUrl);
    }
    HikariConfig config = baseConfig("governance-pg");
    config.setJdbcUrl(jdbcUrl);
    config.setUsername(user);
    config.setPassword(password);
    return new GovernanceDatabase(config, Vendor.POSTGRESQL);
  }

  private static HikariConfig baseConfig(String poolName) {
    HikariConfig config = new HikariConfig();
    config.setPoolName(poolName);
    // Admin writes and refreshes are rare; the hot path never touches the pool. A few connections suffice.
    config.setMaximumPoolSize(4);
    config.setMinimumIdle(1);
    return config;
  }

  static void migrate(DataSource dataSource, Vendor vendor) {
    Flyway.configure()
        .dataSource(dataSource)
        .locations("classpath:db/migration/common", "classpath:db/migration/" + vendor.name().toLowerCase(java.util.Locale.ROOT))
        .load()
        .migrate();
  }

  /** @return the store over this database */
  public JdbcGovernanceStore store() {
    return store;
  }

  /** @return the pooled data source, e.g. for health checks */
  public DataSource dataSource() {
    return dataSource;
  }

  /** @return which database this is */
  public Vendor vendor() {
    return vendor;
  }

  /** Closes the pool. */
  @Override
  public void close() {
    dataSource.close();
  }
}
