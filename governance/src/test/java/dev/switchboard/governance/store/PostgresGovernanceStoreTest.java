package dev.switchboard.governance.store;

import dev.switchboard.governance.testkit.Postgres;

/** The store suite on a real PostgreSQL server (embedded binaries), a fresh database per test. */
class PostgresGovernanceStoreTest extends GovernanceStoreContract {

  private String url;

  @Override
  GovernanceDatabase openFresh() {
    url = Postgres.newDatabase();
    return GovernanceDatabase.postgres(url, "postgres", "postgres");
  }

  @Override
  GovernanceDatabase reopen() {
    return GovernanceDatabase.postgres(url, "postgres", "postgres");
  }
}
