package dev.switchboard.governance.keys;

/** Whether a key may be used. Revocation is final: there is no way back to {@link #ENABLED}. */
public enum KeyStatus {
  /** Usable until it expires. */
  ENABLED,
  /** Refused from now on; kept so the audit log and spend still name it. */
  REVOKED
}
