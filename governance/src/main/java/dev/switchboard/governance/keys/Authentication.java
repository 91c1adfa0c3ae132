package dev.switchboard.governance.keys;

import java.util.Optional;

/**
 * The outcome of checking a presented secret. Callers answer every refusal the same way (401, no detail,
 * so a client cannot probe which keys exist); {@link #outcome()} is for the gateway's own metrics and logs.
 *
 * @param outcome why it was accepted or refused
 * @param keyOrNull the key when {@link Outcome#ACCEPTED}; the matched key's record when revoked or expired
 *     (for logging its public id); otherwise {@code null}
 */
public record Authentication(Outcome outcome, KeyRecord keyOrNull) {

  /** Why a secret was accepted or refused. */
  public enum Outcome {
    /** A known, enabled, unexpired key. */
    ACCEPTED,
    /** Not shaped like one of our secrets (absent, wrong prefix, too long). */
    MALFORMED,
    /** Shaped right but no key has this hash. */
    UNKNOWN,
    /** The key was revoked. */
    REVOKED,
    /** The key is past its expiry. */
    EXPIRED
  }

  /** @return the key when accepted, else empty, whatever the reason */
  public Optional<KeyRecord> key() {
    return outcome == Outcome.ACCEPTED ? Optional.of(keyOrNull) : Optional.empty();
  }
}
