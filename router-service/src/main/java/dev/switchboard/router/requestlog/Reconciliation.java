package dev.switchboard.router.requestlog;

import java.nio.file.Path;
import java.time.Duration;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Which spooled records Kafka already holds. A send whose acknowledgement was lost may have been
 * written; re-sending it from the spool would duplicate it, and the producer's idempotence cannot
 * tell (a new producer session sends it). So the log keeps a {@link ReconcileMark} (where such
 * records can only be) and, before the first drain batch of each recovery, reads the topic from
 * there and drops spooled records whose server-generated record id is already in it: exact however
 * clients reuse request ids, and with several gateways sharing the topic. A record spooled by a
 * version before record ids has none; it is matched by its request id against the topic's records
 * that have none either (the old behaviour). Sender thread only.
 */
final class Reconciliation {

  private static final Logger LOG = LoggerFactory.getLogger(KafkaRequestLog.class);

  private final KafkaClients kafka;
  private final Path spoolDir;
  private final String topic;
  /** One read step: the delivery timeout or 10 s, whichever is longer. */
  private final Duration readStep;
  /**
   * Where the topic must be re-read before draining, because some spooled record may already be in
   * it; null when no spooled record was ever handed to a producer.
   */
  private Map<Integer, Long> reconcileFrom;
  /**
   * Reconciliation done so far while the spool is not empty: record ids (and legacy request ids)
   * found in the topic, and where the read got to (null: not started). A later recovery reads on
   * from there.
   */
  private final Set<String> idsInTopic = new HashSet<>();
  private final Set<String> legacyKeysInTopic = new HashSet<>();
  private Map<Integer, Long> reconciledUpTo;

  /** @param spoolEmpty whether the spool opened empty: a mark left beside a non-empty one is used */
  Reconciliation(RequestLogConfig config, KafkaClients kafka, boolean spoolEmpty) {
    this.kafka = kafka;
    this.spoolDir = config.spoolDir();
    this.topic = config.topic();
    this.readStep = config.deliveryTimeout().compareTo(Duration.ofSeconds(10)) > 0
        ? config.deliveryTimeout() : Duration.ofSeconds(10);
    this.reconcileFrom = spoolEmpty ? null : readMark();
    if (spoolEmpty) {
      deleteMark();
    }
  }

  /**
   * Failed sends are about to be spooled; Kafka may hold them at or after {@code uncertainFrom}.
   * Call before they reach the spool: a later process draining it must reconcile too.
   */
  void uncertainFrom(Map<Integer, Long> uncertainFrom) {
    setMark(ReconcileMark.min(reconcileFrom, uncertainFrom));
  }

  /**
   * Before the first drain batch of a recovery: collects the record ids the topic holds from the
   * mark to its end. With no mark yet, nothing spooled was ever sent: the mark becomes the current
   * end offsets, written before the first batch goes out so a crash between a batch's delivery and
   * its spool commit is reconciled by the next process. A long read is resumed at the next probe
   * (progress is kept until the spool is empty).
   *
   * @return false if the topic is not read to its end yet (do not drain)
   */
  boolean catchUp() {
    try {
      Map<Integer, Long> from = reconciledUpTo != null ? reconciledUpTo : reconcileFrom;
      TopicReconciler.Result r = kafka.keysSince(from, readStep);
      if (reconcileFrom == null) {
        setMark(r.positions());
      }
      idsInTopic.addAll(r.recordIds());
      legacyKeysInTopic.addAll(r.legacyKeys());
      reconciledUpTo = r.positions();
      if (r.found() > 0) {
        LOG.info("request log: reconciling with {}: {} spool-era records found after {}", topic, r.found(), from);
      }
      return r.complete();
    } catch (RuntimeException e) {
      LOG.warn("request log: cannot read {} to reconcile the spool ({}); retrying later", topic, e.toString());
      return false;
    }
  }

  /** @return whether Kafka holds this spooled record after the mark */
  boolean inTopic(SpooledRecord r) {
    return r.recordId() != null ? idsInTopic.contains(r.recordId()) : legacyKeysInTopic.contains(r.key());
  }

  /** The spool is empty: forget what was read and delete the mark. */
  void spoolEmptied() {
    idsInTopic.clear();
    legacyKeysInTopic.clear();
    reconciledUpTo = null;
    setMark(null);
  }

  /** Sets the reconcile mark in memory and on disk; null clears it (spool empty). */
  private void setMark(Map<Integer, Long> mark) {
    if (mark == null && reconcileFrom == null) {
      return;
    }
    reconcileFrom = mark;
    try {
      if (mark == null) {
        ReconcileMark.delete(spoolDir);
      } else {
        ReconcileMark.write(spoolDir, mark);
      }
    } catch (RuntimeException e) {
      // The mark still holds in memory; only a restart before the spool drains would miss it.
      LOG.warn("request log: {}", e.getMessage());
    }
  }

  private Map<Integer, Long> readMark() {
    try {
      return ReconcileMark.read(spoolDir);
    } catch (RuntimeException e) {
      LOG.warn("request log: {}; reconciling the spool against the whole topic", e.getMessage());
      return Map.of();
    }
  }

  private void deleteMark() {
    try {
      ReconcileMark.delete(spoolDir);
    } catch (RuntimeException e) {
      LOG.warn("request log: {}", e.getMessage());
    }
  }
}
