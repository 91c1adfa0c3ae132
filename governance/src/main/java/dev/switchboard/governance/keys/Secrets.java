package dev.switchboard.governance.keys;

import java.security.SecureRandom;

/** Random secrets and public ids, base62 so a double-click selects the whole key. */
final class Secrets {

  static final String SECRET_PREFIX = "sk-sb-";
  /** 32 base62 characters carry 32 × log2(62) ≈ 190 bits, above the 128-bit floor. */
  static final int SECRET_CHARS = 32;
  /** Longest presented string worth hashing; anything longer is refused before any work. */
  static final int MAX_PRESENTED_CHARS = 128;

  private static final char[] BASE62 =
      "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz".toCharArray();

  private final SecureRandom random;

  Secrets(SecureRandom random) {
    this.random = random;
  }

  String newSecret() {
    return SECRET_PREFIX + base62(SECRET_CHARS);
  }

  /** Public ids are random too (not derived from the secret), so an id reveals nothing about its secret. */
  String newId(String prefix) {
    return prefix + base62(16);
  }

  // nextInt(62) is unbiased (it rejects internally), so every character carries the full log2(62) bits.
  private String base62(int length) {
    char[] out = new char[length];
    for (int i = 0; i < length; i++) {
      out[i] = BASE62[random.nextInt(BASE62.length)];
    }
    return new String(out);
  }

  static boolean looksLikeSecret(String presented) {
    return presented != null
        && presented.length() <= MAX_PRESENTED_CHARS
        && presented.startsWith(SECRET_PREFIX);
  }
}
