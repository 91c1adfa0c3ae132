package dev.switchboard.governance.testkit;

import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.io.File;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * One real PostgreSQL server per test JVM (zonky's embedded binaries, unpacked and run under target/),
 * with a fresh database per test. Stopped by a shutdown hook.
 */
public final class Postgres {

  private static EmbeddedPostgres server;
  private static final AtomicInteger DATABASES = new AtomicInteger();

  private Postgres() {}

  private static synchronized EmbeddedPostgres server() {
    if (server == null) {
      File tmp = new File(System.getProperty("java.io.tmpdir"));
      try {
        server = EmbeddedPostgres.builder()
            .setOverrideWorkingDirectory(new File(tmp, "embedded-pg"))
            .setDataDirectory(new File(tmp, "embedded-pg-data-" + ProcessHandle.current().pid()))
            .setCleanDataDirectory(true)
            .start();
      } catch (IOException e) {
        throw new UncheckedIOException("embedded PostgreSQL did not start", e);
      }
      EmbeddedPostgres started = server;
      Runtime.getRuntime().addShutdownHook(new Thread(() -> {
        try {
          started.close();
        } catch (IOException ignored) {
          // the JVM is exiting anyway
        }
      }));
    }
    return server;
  }

  /** Creates an empty database and returns its JDBC URL (user and password: postgres). */
  public static String newDatabase() {
    String name = "gov_" + DATABASES.incrementAndGet();
    try (Connection c = server().getPostgresDatabase().getConnection(); Statement s = c.createStatement()) {
      s.execute("CREATE DATABASE " + name);
    } catch (SQLException e) {
      throw new IllegalStateException(e);
    }
    return server.getJdbcUrl("postgres", name);
  }
}
