package dev.switchboard.governance.keys;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.util.HashSet;
import java.util.Set;
import org.junit.jupiter.api.Test;

class KeyHasherTest {

  private static final byte[] PEPPER = "pepper-0123456789abcdef".getBytes(StandardCharsets.UTF_8);

  @Test
  void newSecret_prefixedBase62WithAtLeast128Bits() {
    Secrets secrets = new Secrets(new SecureRandom());
    Set<String> seen = new HashSet<>();
    for (int i = 0; i < 1000; i++) {
      String s = secrets.newSecret();
      assertTrue(s.matches("sk-sb-[0-9A-Za-z]{32}"), s);
      assertTrue(seen.add(s));
    }
    assertTrue(Secrets.SECRET_CHARS * Math.log(62) / Math.log(2) >= 128);
    assertTrue(secrets.newId("key_").matches("key_[0-9A-Za-z]{16}"));
  }

  @Test
  void hash_isHmacUnderThePepper() {
    KeyHasher hasher = new KeyHasher(PEPPER);
    String h = hasher.hash("sk-sb-abc");
    assertEquals(64, h.length());
    assertEquals(h, new KeyHasher(PEPPER.clone()).hash("sk-sb-abc"));
    assertNotEquals(h, new KeyHasher("another-pepper-0123456".getBytes(StandardCharsets.UTF_8)).hash("sk-sb-abc"));
    assertFalse(h.contains("abc"));
    assertTrue(KeyHasher.sameHash(h, hasher.hash("sk-sb-abc")));
    assertFalse(KeyHasher.sameHash(h, hasher.hash("sk-sb-abd")));
  }

  @Test
  void constructor_shortPepper_rejectedWithoutEchoingIt() {
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> new KeyHasher("short-pepper".getBytes(StandardCharsets.UTF_8)));
    assertFalse(e.getMessage().contains("short-pepper"));
  }
}
