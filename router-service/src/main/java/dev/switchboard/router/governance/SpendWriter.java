package dev.switchboard.router.governance;

import dev.switchboard.governance.spend.SpendRecord;
import dev.switchboard.governance.store.JdbcGovernanceStore;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicBoolean;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/*
 * Design
 * ------
 * Every finished request of a key appends a spend row. One JDBC transaction per row cost more gateway CPU than the
 * request's whole pass-through (bench/governance.sh), almost all of it the commit. So rows are queued, and one drain
 * at a time, on a worker, writes whatever has queued in one transaction: at low rates that is one row per drain as
 * before, under load hundreds. The live counters, not this ledger, enforce budgets, so a row landing some
 * milliseconds later changes no decision; the ledger only has to be complete (close() waits for queued rows through
 * Governance.onWorker's in-flight count).
 */
/** Appends spend rows to the ledger in batches, off the event loop, one drain at a time. */
final class SpendWriter {
  private static final Logger LOG = LoggerFactory.getLogger(SpendWriter.class);
  private static final int MAX_BATCH = 512;

  private final Governance governance;
  private final JdbcGovernanceStore store;
  private final ConcurrentLinkedQueue<SpendRecord> queue = new ConcurrentLinkedQueue<>();
  private final AtomicBoolean draining = new AtomicBoolean();

  SpendWriter(Governance governance, JdbcGovernanceStore store) {
    this.governance = governance;
    this.store = store;
  }

  /** Queues a row; starts a drain unless one is running (it will take this row too). */
  void add(SpendRecord r) {
    queue.add(r);
    if (draining.compareAndSet(false, true)) drain();
  }

  private void drain() {
    governance.onWorker(() -> {
      List<SpendRecord> batch = new ArrayList<>();
      SpendRecord r;
      while ((r = queue.poll()) != null) {
        batch.add(r);
        if (batch.size() == MAX_BATCH) {
          write(batch);
          batch.clear();
        }
      }
      if (!batch.isEmpty()) write(batch);
      return null;
    }).onComplete(ar -> {
      if (ar.failed()) LOG.warn("spend rows not recorded: {}", ar.cause().toString());
      draining.set(false);
      // a row queued after the last poll but before draining was cleared would otherwise wait for the next request
      if (!queue.isEmpty() && draining.compareAndSet(false, true)) drain();
    });
  }

  private void write(List<SpendRecord> batch) {
    for (SpendRecord dup : store.recordAll(batch)) {
      // a client-chosen x-request-id seen before: keep the spend under a fresh id rather than lose it
      store.record(new SpendRecord(dup.requestId() + "#" + Long.toHexString(System.nanoTime()), dup.keyId(), dup.teamId(), dup.model(),
          dup.costUsd(), dup.promptTokens(), dup.completionTokens(), dup.at()));
    }
  }
}
