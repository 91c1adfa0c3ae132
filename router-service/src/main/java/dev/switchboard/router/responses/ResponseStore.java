package dev.switchboard.router.responses;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.LongSupplier;

/**
 * Responses kept for {@code previous_response_id} and {@code GET /v1/responses/{id}}: in memory, at most
 * {@code maxEntries} (the least recently used goes first), each for {@code ttlMs} after it was stored. Every entry
 * belongs to a partition, the API key that created it ({@code ""} with auth off): a lookup from another partition finds
 * nothing, exactly as for an id that never existed, so one key can neither read another's conversation nor learn that
 * an id exists. Process-local: a gateway behind a load balancer without affinity does not share them.
 */
public final class ResponseStore {
  /** Defaults: enough for a busy gateway's live conversations, small enough to bound memory (~a few KB each). */
  public static final int DEFAULT_MAX_ENTRIES = 10_000;
  public static final long DEFAULT_TTL_MS = 60L * 60 * 1000;

  /**
   * One stored response.
   *
   * @param conversation the chat messages up to and including this response's output (without its instructions,
   *     which the Responses API does not carry over to a continuation)
   * @param response the Response object as it was returned
   */
  public record Stored(String partition, long storedAtMs, ArrayNode conversation, ObjectNode response) {}

  private final int maxEntries;
  private final long ttlMs;
  private final LongSupplier clockMs;
  private final LinkedHashMap<String, Stored> entries;
  private long lastSweepMs = Long.MIN_VALUE / 2;

  public ResponseStore(int maxEntries, long ttlMs, LongSupplier clockMs) {
    this.maxEntries = maxEntries;
    this.ttlMs = ttlMs;
    this.clockMs = clockMs;
    this.entries = new LinkedHashMap<>(16, 0.75f, true) {
      @Override
      protected boolean removeEldestEntry(Map.Entry<String, Stored> eldest) {
        return size() > ResponseStore.this.maxEntries;
      }
    };
  }

  public static ResponseStore defaults() {
    return new ResponseStore(DEFAULT_MAX_ENTRIES, DEFAULT_TTL_MS, System::currentTimeMillis);
  }

  /** Stores (or replaces) {@code id} in {@code partition}. */
  public synchronized void put(String id, String partition, ArrayNode conversation, ObjectNode response) {
    expire();
    entries.put(id, new Stored(partition, clockMs.getAsLong(), conversation, response));
  }

  /** The response {@code id} of {@code partition}, or null (absent, expired, or another partition's). */
  public synchronized Stored get(String id, String partition) {
    Stored s = entries.get(id);
    if (s == null || !s.partition().equals(partition)) return null;
    if (clockMs.getAsLong() - s.storedAtMs() >= ttlMs) {
      entries.remove(id);
      return null;
    }
    return s;
  }

  /** Removes {@code id} when it is {@code partition}'s; true when it was there. */
  public synchronized boolean delete(String id, String partition) {
    if (get(id, partition) == null) return false;
    entries.remove(id);
    return true;
  }

  public synchronized int size() {
    return entries.size();
  }

  /** Drops expired entries, at most once a second: a sweep walks every entry, and {@link #get} checks the TTL anyway. */
  private void expire() {
    long now = clockMs.getAsLong();
    if (now - lastSweepMs < 1000) return;
    lastSweepMs = now;
    for (Iterator<Stored> it = entries.values().iterator(); it.hasNext(); ) {
      Stored s = it.next();
      if (now - s.storedAtMs() < ttlMs) continue;
      it.remove();
    }
  }
}
