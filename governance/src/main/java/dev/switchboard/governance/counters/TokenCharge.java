package dev.switchboard.governance.counters;

import java.util.concurrent.atomic.AtomicBoolean;

/**
 * The token estimate an admitted request charged to the TPM windows. Hand it to
 * {@link LiveCounters#correctTokens} once the real count is known; a second correction is ignored.
 */
public final class TokenCharge {

  final String keyId;
  final boolean keyCounted;
  final String teamId;
  final boolean teamCounted;
  /** The minute window the estimate went into; the correction goes into the same one. */
  final long windowIndex;
  final long estimatedTokens;
  private final AtomicBoolean corrected = new AtomicBoolean();

  TokenCharge(String keyId, boolean keyCounted, String teamId, boolean teamCounted, long windowIndex,
      long estimatedTokens) {
    this.keyId = keyId;
    this.keyCounted = keyCounted;
    this.teamId = teamId;
    this.teamCounted = teamCounted;
    this.windowIndex = windowIndex;
    this.estimatedTokens = estimatedTokens;
  }

  /** @return the tokens charged up front */
  public long estimatedTokens() {
    return estimatedTokens;
  }

  boolean markCorrected() {
    return corrected.compareAndSet(false, true);
  }

  @Override
  public String toString() {
    return "TokenCharge[key=" + keyId + ", team=" + teamId + ", estimated=" + estimatedTokens + "]";
  }
}
