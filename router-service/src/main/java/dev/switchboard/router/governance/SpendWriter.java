package dev.switchboard.router.governance;

import dev.switchboard.governance.Budget;
import dev.switchboard.governance.spend.SpendRecord;
import dev.switchboard.governance.store.JdbcGovernanceStore;
import java.security.SecureRandom;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;

/*
 * Design
 * ------
 * A ledger row per request cost more gateway CPU than the request's whole pass-through, even batched into one
 * transaction per drain (bench/governance.sh: H2 took ~17% of the gateway's CPU and kept C2 recompiling). The ledger
 * answers "how much did this key, team or model spend, per day", so finished requests are summed in memory per
 * (key, team, model, UTC day) and each sum becomes one row per flush (storage.spend_flush_ms): at any request rate
 * the database sees a handful of rows a second. The live counters, not this ledger, enforce budgets, so a sum landing
 * a second later changes no decision; the ledger only has to be complete: flush() runs before GET /admin/spend reads
 * and when the gateway closes.
 *
 * add() is a ConcurrentHashMap.merge: atomic per group, so an event loop adding while a flush removes the same group
 * either lands in the removed sum or starts the next one, never in neither.
 */
/** Sums finished requests' spend per key, team, model and day, and appends the sums to the ledger. */
public final class SpendWriter {

  private record Group(String keyId, String teamId, String model, LocalDate day) {}

  /** Micro-dollars so that summing is a long addition, not a BigDecimal one, on the event loop. */
  private record Sum(long requests, long costMicros, long promptTokens, long completionTokens, long lastAtMs) {
    Sum plus(Sum o) {
      return new Sum(requests + o.requests, costMicros + o.costMicros, promptTokens + o.promptTokens,
          completionTokens + o.completionTokens, Math.max(lastAtMs, o.lastAtMs));
    }
  }

  private final JdbcGovernanceStore store;
  private final ConcurrentHashMap<Group, Sum> pending = new ConcurrentHashMap<>();
  /** Row ids: a random prefix per process (two gateways share the ledger) and a counter. */
  private final String idPrefix;
  private final AtomicLong rows = new AtomicLong();

  SpendWriter(JdbcGovernanceStore store) {
    this.store = store;
    byte[] random = new byte[6];
    new SecureRandom().nextBytes(random);
    this.idPrefix = "sum-" + HexFormat.of().formatHex(random) + "-";
  }

  /** Adds a finished request (or a sum put back) to its group's sum; cheap, never blocks, safe from any thread. */
  void add(SpendRecord r) {
    Group g = new Group(r.keyId(), r.teamId(), r.model(), LocalDate.ofInstant(r.at(), ZoneOffset.UTC));
    pending.merge(g, new Sum(r.requests(), Budget.toMicros(r.costUsd()), r.promptTokens(), r.completionTokens(), r.at().toEpochMilli()),
        Sum::plus);
  }

  /**
   * Writes every pending sum as a ledger row, in one transaction. Blocking JDBC: call on a worker (or while closing).
   * One at a time: an admin read that flushes first must not run while the timer's flush has taken sums out of memory
   * but not yet committed them.
   *
   * @return the rows written
   */
  synchronized int flush() {
    List<SpendRecord> batch = new ArrayList<>();
    for (Group g : pending.keySet()) {
      Sum s = pending.remove(g);
      if (s == null) continue;
      batch.add(new SpendRecord(idPrefix + rows.incrementAndGet(), g.keyId(), g.teamId(), g.model(), Budget.fromMicros(s.costMicros()),
          s.promptTokens(), s.completionTokens(), Instant.ofEpochMilli(s.lastAtMs()), s.requests()));
    }
    if (batch.isEmpty()) return 0;
    try {
      store.recordAll(batch);
    } catch (RuntimeException e) {
      // Put the sums back so the next flush retries them (a database restart must not lose the spend).
      batch.forEach(this::add);
      throw e;
    }
    return batch.size();
  }
}
