package dev.switchboard.governance.store;

import java.nio.file.Path;
import org.junit.jupiter.api.io.TempDir;

/** The store suite on the embedded H2 file database in a temporary data directory. */
class H2GovernanceStoreTest extends GovernanceStoreContract {

  @TempDir
  Path dataDir;

  @Override
  GovernanceDatabase openFresh() {
    return GovernanceDatabase.h2(dataDir);
  }

  /** H2 locks its file per process; a second open in this JVM shares the same engine, like a restart would. */
  @Override
  GovernanceDatabase reopen() {
    return GovernanceDatabase.h2(dataDir);
  }
}
