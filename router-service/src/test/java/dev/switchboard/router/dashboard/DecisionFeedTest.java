package dev.switchboard.router.dashboard;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import com.fasterxml.jackson.databind.JsonNode;
import dev.switchboard.router.chat.ChatExchange;
import dev.switchboard.router.providers.chat.Json;
import dev.switchboard.router.requestlog.CaptureMode;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

/** The dashboard's ring: newest first and bounded, overhead percentiles over a time window, excerpts as captured. */
class DecisionFeedTest {
  static final JsonNode MESSAGES = Json.tryRead("""
      [{"role":"system","content":"be brief"},{"role":"user","content":"first"},
       {"role":"user","content":[{"type":"text","text":"mail  me at a.b@example.org\\nplease"}]}]""");

  @Test
  void excerpt_followsCaptureMode() {
    assertEquals("mail me at a.b@example.org please", new DecisionFeed(CaptureMode.FULL, () -> 0).excerpt(MESSAGES));
    assertEquals("mail me at [EMAIL] please", new DecisionFeed(CaptureMode.REDACTED, () -> 0).excerpt(MESSAGES));
    assertNull(new DecisionFeed(CaptureMode.NONE, () -> 0).excerpt(MESSAGES));
    String longText = "x".repeat(500);
    String cut = new DecisionFeed(CaptureMode.FULL, () -> 0).excerpt(Json.tryRead("[{\"role\":\"user\",\"content\":\"" + longText + "\"}]"));
    assertEquals(DecisionFeed.EXCERPT_CHARS + 1, cut.length());
  }

  @Test
  void recent_isNewestFirst_andBounded() {
    DecisionFeed feed = new DecisionFeed(CaptureMode.NONE, () -> 0);
    for (int i = 0; i < DecisionFeed.DECISIONS + 7; i++) feed.completed(null, exchange("req" + i, 0), null);
    assertEquals(DecisionFeed.DECISIONS, feed.recent().size());
    assertEquals("req" + (DecisionFeed.DECISIONS + 6), feed.recent().get(0).requestId());
    assertEquals("req7", feed.recent().get(DecisionFeed.DECISIONS - 1).requestId());
  }

  @Test
  void overheadPercentiles_coverOnlyTheWindow() {
    AtomicLong now = new AtomicLong(1_000);
    DecisionFeed feed = new DecisionFeed(CaptureMode.NONE, now::get);
    assertNull(feed.overheadMs(0, 0.5));
    feed.completed(null, exchange("old", 0), null); // at t=1000: 1 s of overhead (started 1 s ago, nothing upstream)
    now.set(100_000);
    for (int ms = 1; ms <= 100; ms++) {
      ChatExchange ex = exchange("r" + ms, 0);
      // overhead = wall time - upstream time: a request that started long ago and spent all but `ms` upstream
      ex.upstreamNanos = System.nanoTime() - ex.startNanos - ms * 1_000_000L;
      feed.completed(null, ex, null);
    }
    double[] p = feed.overheadMs(50_000, 0.5, 0.99);
    assertEquals(50, p[0], 1.0);
    assertEquals(99, p[1], 1.0);
    assertEquals(100, feed.overheadMs(50_000, 1.0)[0], 1.0); // the old sample is outside the window
    assertEquals(1000, feed.overheadMs(0, 1.0)[0], 50.0);
  }

  private static ChatExchange exchange(String id, int status) {
    ChatExchange ex = new ChatExchange(id, System.nanoTime() - 1_000_000_000L, Long.MAX_VALUE);
    ex.route = "r";
    ex.status = status;
    return ex;
  }
}
