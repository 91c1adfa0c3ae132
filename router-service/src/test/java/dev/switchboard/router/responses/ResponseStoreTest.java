package dev.switchboard.router.responses;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.switchboard.router.providers.chat.Json;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

/** The store's bounds (count, TTL on an injected clock) and its partitions. */
class ResponseStoreTest {
  private final AtomicLong now = new AtomicLong(1_000_000);

  private void put(ResponseStore s, String id, String partition) {
    s.put(id, partition, Json.MAPPER.createArrayNode(), Json.object().put("id", id));
  }

  @Test
  void get_otherPartition_isNull_asIfAbsent() {
    ResponseStore s = new ResponseStore(10, 60_000, now::get);
    put(s, "resp_1", "key-a");
    assertNotNull(s.get("resp_1", "key-a"));
    assertNull(s.get("resp_1", "key-b"));
    assertNull(s.get("resp_1", ""));
    assertFalse(s.delete("resp_1", "key-b"));
    assertNotNull(s.get("resp_1", "key-a"), "a failed delete from another partition leaves it");
    assertTrue(s.delete("resp_1", "key-a"));
    assertNull(s.get("resp_1", "key-a"));
  }

  @Test
  void get_afterTtl_isNull() {
    ResponseStore s = new ResponseStore(10, 60_000, now::get);
    put(s, "resp_1", "k");
    now.addAndGet(59_999);
    assertNotNull(s.get("resp_1", "k"));
    now.addAndGet(1);
    assertNull(s.get("resp_1", "k"));
    assertEquals(0, s.size(), "an expired entry found by a lookup is dropped");
  }

  @Test
  void put_beyondMaxEntries_dropsTheLeastRecentlyUsed() {
    ResponseStore s = new ResponseStore(3, 60_000, now::get);
    put(s, "a", "k");
    put(s, "b", "k");
    put(s, "c", "k");
    s.get("a", "k"); // a is now the most recently used
    put(s, "d", "k");
    assertEquals(3, s.size());
    assertNull(s.get("b", "k"));
    assertNotNull(s.get("a", "k"));
    assertNotNull(s.get("d", "k"));
  }

  @Test
  void put_sweepsExpiredEntries() {
    ResponseStore s = new ResponseStore(100, 1_000, now::get);
    for (int i = 0; i < 50; i++) put(s, "old" + i, "k");
    now.addAndGet(5_000);
    put(s, "new", "k");
    assertEquals(1, s.size());
  }
}
