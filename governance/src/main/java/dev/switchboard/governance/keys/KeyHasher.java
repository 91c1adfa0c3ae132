package dev.switchboard.governance.keys;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.util.HexFormat;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/*
 * Why HMAC with a pepper and not bcrypt/argon2: the secrets are 190 random bits, so there is nothing to
 * brute-force and a slow hash would only slow every request. What a plain SHA-256 would still leak is a
 * way to confirm a guessed or leaked secret against a stolen database; keying the hash with a pepper that
 * lives only in the server's environment (SWITCHBOARD_KEY_PEPPER) closes that: the database alone is useless.
 */
/** Hashes secrets with HMAC-SHA256 under the server's pepper. Thread-safe: one {@link Mac} per thread. */
final class KeyHasher {

  /** Shorter peppers would be guessable; 16 bytes matches the 128-bit floor the issue sets for secrets. */
  static final int MIN_PEPPER_BYTES = 16;

  private final SecretKeySpec pepper;
  private final ThreadLocal<Mac> macs;

  KeyHasher(byte[] pepper) {
    if (pepper == null || pepper.length < MIN_PEPPER_BYTES) {
      throw new IllegalArgumentException("the key pepper must be at least " + MIN_PEPPER_BYTES + " bytes");
    }
    this.pepper = new SecretKeySpec(pepper.clone(), "HmacSHA256");
    this.macs = ThreadLocal.withInitial(this::newMac);
  }

  private Mac newMac() {
    try {
      Mac mac = Mac.getInstance("HmacSHA256");
      mac.init(pepper);
      return mac;
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("HmacSHA256 is not available", e);
    }
  }

  /** Returns the lowercase hex HMAC of {@code secret}. */
  String hash(String secret) {
    return HexFormat.of().formatHex(macs.get().doFinal(secret.getBytes(StandardCharsets.UTF_8)));
  }

  /** Compares two hex hashes in time independent of where they differ. */
  static boolean sameHash(String a, String b) {
    return MessageDigest.isEqual(a.getBytes(StandardCharsets.US_ASCII), b.getBytes(StandardCharsets.US_ASCII));
  }
}
