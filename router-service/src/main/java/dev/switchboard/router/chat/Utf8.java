package dev.switchboard.router.chat;

/**
 * Strict UTF-8 validation (RFC 3629): what Jackson's byte parser does not check. It decodes
 * overlong forms ({@code C0 AF} as '/') and encoded surrogates (CESU-8, {@code ED A0 80}) without
 * complaint, so a body the README calls invalid would be rewritten instead of refused, and two
 * byte strings could mean one prompt.
 */
final class Utf8 {
  private Utf8() {}

  /** The offset of the first byte that starts an invalid sequence, or -1 when {@code b} is valid UTF-8. */
  static int firstInvalid(byte[] b) {
    int i = 0;
    int n = b.length;
    while (i < n) {
      int c = b[i] & 0xFF;
      if (c < 0x80) {
        i++;
        continue;
      }
      int len;
      int lo = 0x80;
      int hi = 0xBF; // allowed range of the second byte
      if (c >= 0xC2 && c <= 0xDF) {
        len = 2;
      } else if (c >= 0xE0 && c <= 0xEF) {
        len = 3;
        if (c == 0xE0) lo = 0xA0; // overlong below U+0800
        if (c == 0xED) hi = 0x9F; // U+D800..U+DFFF: surrogates are not characters
      } else if (c >= 0xF0 && c <= 0xF4) {
        len = 4;
        if (c == 0xF0) lo = 0x90; // overlong below U+10000
        if (c == 0xF4) hi = 0x8F; // above U+10FFFF
      } else {
        return i; // C0, C1 (overlong), F5..FF, or a stray continuation byte
      }
      if (i + len > n) {
        return i;
      }
      int second = b[i + 1] & 0xFF;
      if (second < lo || second > hi) {
        return i;
      }
      for (int k = 2; k < len; k++) {
        int cont = b[i + k] & 0xFF;
        if (cont < 0x80 || cont > 0xBF) {
          return i;
        }
      }
      i += len;
    }
    return -1;
  }
}
