package dev.switchboard.governance.keys;

import dev.switchboard.governance.audit.AuditEntry;
import java.util.List;
import java.util.Optional;

/**
 * Where keys and teams persist. Every change carries its audit entry so the store writes both in one
 * transaction: a change without its audit row (or the reverse) cannot happen. Blocking JDBC: the registry
 * calls it only from its admin methods and {@link KeyRegistry#refresh()}, never on the authentication path.
 */
public interface KeyStore {

  /**
   * Inserts a key.
   *
   * @param key the new key
   * @param audit its creation entry
   */
  void insertKey(StoredKey key, AuditEntry audit);

  /**
   * Replaces a key's settings and status (its hash never changes).
   *
   * @param key the key as it now is
   * @param audit the change's entry
   * @throws java.util.NoSuchElementException if there is no such key
   */
  void updateKey(KeyRecord key, AuditEntry audit);

  /** @return every key, revoked ones included, with its hash */
  List<StoredKey> allKeys();

  /**
   * Inserts a team.
   *
   * @param team the new team
   * @param audit its creation entry
   */
  void insertTeam(Team team, AuditEntry audit);

  /**
   * Replaces a team's settings.
   *
   * @param team the team as it now is
   * @param audit the change's entry
   * @throws java.util.NoSuchElementException if there is no such team
   */
  void updateTeam(Team team, AuditEntry audit);

  /** @return every team */
  List<Team> allTeams();

  /**
   * Reads one key.
   *
   * @param id the public key id
   * @return the key, or empty
   */
  Optional<KeyRecord> key(String id);
}
