package dev.switchboard.governance.keys;

import dev.switchboard.governance.audit.AuditEntry;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.NoSuchElementException;
import java.util.Objects;
import java.util.Optional;

/*
 * Design
 * ------
 * The gateway authenticates every request, so authentication must not touch the database: the registry
 * keeps an immutable snapshot (keys by secret hash, keys by id, teams by id) behind a volatile field.
 * Reads take the current snapshot without locking; admin changes (rare) write the store first, then publish
 * a new snapshot copied from the old one. Changes made by another gateway process reach this one through
 * refresh(), which the caller schedules on a worker thread (every few seconds is plenty: a revoked key stays
 * usable elsewhere at most that long). Expiry needs no refresh: it is checked against the clock on every call.
 *
 * The secret itself is never kept: create() returns it once and the snapshot holds only HMAC hashes.
 */
/**
 * Creates, changes and revokes keys and teams (each with an audit entry) and authenticates presented secrets
 * from memory.
 *
 * <p>Admin methods and {@link #refresh()} block on the store: call them from a worker thread.
 * {@link #authenticate}, {@link #check}, {@link #key} and {@link #team} never block.
 */
public final class KeyRegistry {

  /** Target types in the audit log. */
  public static final String KEY = "key";
  public static final String TEAM = "team";

  private final KeyStore store;
  private final KeyHasher hasher;
  private final Secrets secrets;
  private final Clock clock;
  private final Object writeLock = new Object();
  private volatile Snapshot snapshot = Snapshot.EMPTY;

  /**
   * Creates a registry and loads every key and team from the store.
   *
   * @param store where keys and teams persist
   * @param pepper the server-side secret the hashes are keyed with (the caller reads
   *     {@code SWITCHBOARD_KEY_PEPPER}); at least 16 bytes, and the same in every process sharing the store
   * @param clock the time source for expiry and audit timestamps
   * @throws IllegalArgumentException if the pepper is shorter than 16 bytes
   */
  public KeyRegistry(KeyStore store, byte[] pepper, Clock clock) {
    this(store, pepper, clock, new SecureRandom());
  }

  KeyRegistry(KeyStore store, byte[] pepper, Clock clock, SecureRandom random) {
    this.store = Objects.requireNonNull(store, "store");
    this.hasher = new KeyHasher(pepper);
    this.clock = Objects.requireNonNull(clock, "clock");
    this.secrets = new Secrets(random);
    refresh();
  }

  // ---------------------------------------------------------------- authentication (hot path)

  /**
   * Looks up a presented secret. Unknown, revoked, expired and malformed all give an empty result: answer
   * them alike. Use {@link #check} when the reason matters (metrics).
   *
   * @param presentedSecret what the client sent as its bearer token; may be {@code null}
   * @return the key if it is known, enabled and unexpired
   */
  public Optional<KeyRecord> authenticate(String presentedSecret) {
    return check(presentedSecret).key();
  }

  /**
   * Looks up a presented secret and says why it was refused, if it was.
   *
   * @param presentedSecret what the client sent; may be {@code null}
   * @return the outcome, with the key when accepted (and, for metrics, when revoked or expired)
   */
  public Authentication check(String presentedSecret) {
    if (!Secrets.looksLikeSecret(presentedSecret)) {
      return new Authentication(Authentication.Outcome.MALFORMED, null);
    }
    String hash = hasher.hash(presentedSecret);
    StoredKey stored = snapshot.byHash.get(hash);
    // The map found it by hash already; the constant-time comparison is defence in depth should the
    // index ever be keyed by something shorter than the whole hash.
    if (stored == null || !KeyHasher.sameHash(stored.secretHash(), hash)) {
      return new Authentication(Authentication.Outcome.UNKNOWN, null);
    }
    KeyRecord key = stored.key();
    if (key.status() == KeyStatus.REVOKED) {
      return new Authentication(Authentication.Outcome.REVOKED, key);
    }
    if (key.isExpiredAt(clock.instant())) {
      return new Authentication(Authentication.Outcome.EXPIRED, key);
    }
    return new Authentication(Authentication.Outcome.ACCEPTED, key);
  }

  /**
   * Reads a key from memory.
   *
   * @param keyId the public key id
   * @return the key (any status), or empty
   */
  public Optional<KeyRecord> key(String keyId) {
    return Optional.ofNullable(snapshot.byId.get(keyId)).map(StoredKey::key);
  }

  /**
   * Reads a team from memory, e.g. for its budget and limits on each request.
   *
   * @param teamId the team id
   * @return the team, or empty
   */
  public Optional<Team> team(String teamId) {
    return Optional.ofNullable(snapshot.teams.get(teamId));
  }

  /** @return every key in memory, any status, ordered by id */
  public List<KeyRecord> keys() {
    return snapshot.byId.values().stream().map(StoredKey::key)
        .sorted(java.util.Comparator.comparing(KeyRecord::id)).toList();
  }

  /** @return every team in memory, ordered by id */
  public List<Team> teams() {
    return snapshot.teams.values().stream().sorted(java.util.Comparator.comparing(Team::id)).toList();
  }

  // ---------------------------------------------------------------- admin (blocking)

  /**
   * Creates a key. The returned secret is the only copy: it is stored as a hash.
   *
   * @param settings the key's settings
   * @param actor who asked, for the audit log
   * @return the key and its secret
   * @throws IllegalArgumentException if the settings name a team that does not exist
   */
  public CreatedKey createKey(KeySettings settings, Actor actor) {
    synchronized (writeLock) {
      requireTeam(settings.teamId());
      Instant now = now();
      String secret = secrets.newSecret();
      KeyRecord key = new KeyRecord(secrets.newId("key_"), settings, KeyStatus.ENABLED, now, now);
      StoredKey stored = new StoredKey(key, hasher.hash(secret));
      store.insertKey(stored, audit(now, actor, "key.create", KEY, key.id(), null, KeyJson.of(key)));
      snapshot = snapshot.withKey(stored);
      return new CreatedKey(key, secret);
    }
  }

  /**
   * Replaces a key's settings. A revoked key stays revoked.
   *
   * @param keyId the public key id
   * @param settings the new settings, whole
   * @param actor who asked
   * @return the key as it now is
   * @throws NoSuchElementException if there is no such key
   * @throws IllegalArgumentException if the settings name a team that does not exist
   */
  public KeyRecord updateKey(String keyId, KeySettings settings, Actor actor) {
    synchronized (writeLock) {
      requireTeam(settings.teamId());
      StoredKey old = requireKey(keyId);
      Instant now = now();
      KeyRecord updated = new KeyRecord(keyId, settings, old.key().status(), old.key().createdAt(), now);
      return write(old, updated, audit(now, actor, "key.update", KEY, keyId, KeyJson.of(old.key()), KeyJson.of(updated)));
    }
  }

  /**
   * Revokes a key for good. Revoking a revoked key changes nothing and writes no audit entry.
   *
   * @param keyId the public key id
   * @param actor who asked
   * @return the key as it now is
   * @throws NoSuchElementException if there is no such key
   */
  public KeyRecord revokeKey(String keyId, Actor actor) {
    synchronized (writeLock) {
      StoredKey old = requireKey(keyId);
      if (old.key().status() == KeyStatus.REVOKED) {
        return old.key();
      }
      Instant now = now();
      KeyRecord revoked = new KeyRecord(keyId, old.key().settings(), KeyStatus.REVOKED, old.key().createdAt(), now);
      return write(old, revoked, audit(now, actor, "key.revoke", KEY, keyId, KeyJson.of(old.key()), KeyJson.of(revoked)));
    }
  }

  /**
   * Creates a team.
   *
   * @param settings its settings
   * @param actor who asked
   * @return the team
   */
  public Team createTeam(TeamSettings settings, Actor actor) {
    synchronized (writeLock) {
      Instant now = now();
      Team team = new Team(secrets.newId("team_"), settings, now, now);
      store.insertTeam(team, audit(now, actor, "team.create", TEAM, team.id(), null, KeyJson.of(team)));
      snapshot = snapshot.withTeam(team);
      return team;
    }
  }

  /**
   * Replaces a team's settings.
   *
   * @param teamId the team id
   * @param settings the new settings, whole
   * @param actor who asked
   * @return the team as it now is
   * @throws NoSuchElementException if there is no such team
   */
  public Team updateTeam(String teamId, TeamSettings settings, Actor actor) {
    synchronized (writeLock) {
      Team old = team(teamId).orElseThrow(() -> new NoSuchElementException("no team " + teamId));
      Instant now = now();
      Team updated = new Team(teamId, settings, old.createdAt(), now);
      store.updateTeam(updated, audit(now, actor, "team.update", TEAM, teamId, KeyJson.of(old), KeyJson.of(updated)));
      snapshot = snapshot.withTeam(updated);
      return updated;
    }
  }

  /**
   * Reloads every key and team from the store, picking up changes made by other gateway processes.
   * Blocking: schedule it on a worker thread.
   */
  public void refresh() {
    // Read under the write lock: a snapshot read before a concurrent admin change must not replace the
    // snapshot that change published.
    synchronized (writeLock) {
      snapshot = Snapshot.of(store.allKeys(), store.allTeams());
    }
  }

  // ---------------------------------------------------------------- internals

  /** Milliseconds: what every backend stores exactly, so a record read back equals the one returned here. */
  private Instant now() {
    return clock.instant().truncatedTo(java.time.temporal.ChronoUnit.MILLIS);
  }

  private KeyRecord write(StoredKey old, KeyRecord updated, AuditEntry audit) {
    store.updateKey(updated, audit);
    snapshot = snapshot.withKey(new StoredKey(updated, old.secretHash()));
    return updated;
  }

  private StoredKey requireKey(String keyId) {
    StoredKey stored = snapshot.byId.get(keyId);
    if (stored == null) {
      throw new NoSuchElementException("no key " + keyId);
    }
    return stored;
  }

  private void requireTeam(String teamId) {
    if (teamId != null && !snapshot.teams.containsKey(teamId)) {
      throw new IllegalArgumentException("no team " + teamId);
    }
  }

  private static AuditEntry audit(Instant at, Actor actor, String action, String type, String id, String before,
      String after) {
    return new AuditEntry(0, at, actor.id(), action, type, id, before, after, actor.sourceAddress());
  }

  /** An immutable view; replaced whole on every change so readers never lock. */
  private record Snapshot(Map<String, StoredKey> byHash, Map<String, StoredKey> byId, Map<String, Team> teams) {
    static final Snapshot EMPTY = new Snapshot(Map.of(), Map.of(), Map.of());

    static Snapshot of(List<StoredKey> keys, List<Team> teams) {
      Map<String, StoredKey> byHash = new HashMap<>();
      Map<String, StoredKey> byId = new HashMap<>();
      for (StoredKey k : keys) {
        byHash.put(k.secretHash(), k);
        byId.put(k.key().id(), k);
      }
      Map<String, Team> teamsById = new HashMap<>();
      teams.forEach(t -> teamsById.put(t.id(), t));
      return new Snapshot(Map.copyOf(byHash), Map.copyOf(byId), Map.copyOf(teamsById));
    }

    Snapshot withKey(StoredKey k) {
      Map<String, StoredKey> byHash = new HashMap<>(this.byHash);
      Map<String, StoredKey> byId = new HashMap<>(this.byId);
      byHash.put(k.secretHash(), k);
      byId.put(k.key().id(), k);
      return new Snapshot(Map.copyOf(byHash), Map.copyOf(byId), teams);
    }

    Snapshot withTeam(Team t) {
      Map<String, Team> teamsById = new HashMap<>(this.teams);
      teamsById.put(t.id(), t);
      return new Snapshot(byHash, byId, Map.copyOf(teamsById));
    }
  }
}
