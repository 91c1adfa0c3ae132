package dev.switchboard.governance.counters;

import java.util.concurrent.atomic.AtomicBoolean;

/**
 * An amount held against a key's and a team's budget while a request runs. Opaque to callers: hand it back
 * to {@link LiveCounters#settle} exactly once (a second settle is ignored, so a retry path cannot release
 * the same money twice). It remembers the period buckets it was taken in, so a request running across
 * midnight settles against the day it started in.
 */
public final class Reservation {

  final String keyId;
  /** Bucket the key's budget was counted in, or {@code null} when the key has no budget. */
  final String keyBucket;
  final String teamId;
  /** Bucket the team's budget was counted in, or {@code null} when there is no team budget. */
  final String teamBucket;
  final long micros;
  private final AtomicBoolean settled = new AtomicBoolean();

  Reservation(String keyId, String keyBucket, String teamId, String teamBucket, long micros) {
    this.keyId = keyId;
    this.keyBucket = keyBucket;
    this.teamId = teamId;
    this.teamBucket = teamBucket;
    this.micros = micros;
  }

  /** @return the reserved amount in dollars */
  public java.math.BigDecimal amountUsd() {
    return dev.switchboard.governance.Budget.fromMicros(micros);
  }

  /** Marks this settled; returns false if it already was. */
  boolean markSettled() {
    return settled.compareAndSet(false, true);
  }

  @Override
  public String toString() {
    return "Reservation[key=" + keyId + ", team=" + teamId + ", usd=" + amountUsd() + "]";
  }
}
