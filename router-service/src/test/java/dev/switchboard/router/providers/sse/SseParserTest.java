package dev.switchboard.router.providers.sse;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.switchboard.router.providers.contract.SseEvent;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.Test;

class SseParserTest {

  /** Anthropic-style stream with every feature: comments, ids, multi-line data, no-colon field, UTF-8. */
  private static final String STREAM = """
      : this is a comment
      event: message_start
      id: 1
      data: {"type":"message_start"}

      event: content_block_delta
      data: {"text":"héllo 🌍 日本語"}

      data: first line
      data:second line without space
      data:  two spaces keep one

      retry: 3000
      data

      event: no-data-is-not-dispatched

      id: 7
      data: after id

      """;

  private static final List<SseEvent> EXPECTED = List.of(
      new SseEvent("message_start", "{\"type\":\"message_start\"}", "1"),
      new SseEvent("content_block_delta", "{\"text\":\"héllo 🌍 日本語\"}", "1"),
      new SseEvent(null, "first line\nsecond line without space\n two spaces keep one", "1"),
      new SseEvent(null, "", "1"),
      new SseEvent(null, "after id", "7"));

  @ParameterizedTest
  @ValueSource(strings = {"\n", "\r\n", "\r"})
  void parsesWholeStreamWithEachLineEnding(String ending) {
    SseParser p = new SseParser();
    List<SseEvent> events = new ArrayList<>(p.feed(STREAM.replace("\n", ending)));
    events.addAll(p.finish());
    assertEquals(EXPECTED, events);
  }

  @ParameterizedTest
  @ValueSource(strings = {"\n", "\r\n", "\r"})
  void randomSplitPointsGiveTheSameEvents(String ending) {
    byte[] bytes = STREAM.replace("\n", ending).getBytes(StandardCharsets.UTF_8);
    Random random = new Random(42);
    for (int round = 0; round < 300; round++) {
      SseParser p = new SseParser();
      List<SseEvent> events = new ArrayList<>();
      int pos = 0;
      while (pos < bytes.length) {
        int len = Math.min(bytes.length - pos, 1 + random.nextInt(round % 3 == 0 ? 3 : 40));
        // feed copies, as Vert.x buffers would arrive, to catch any aliasing of the caller's array
        byte[] chunk = new byte[len];
        System.arraycopy(bytes, pos, chunk, 0, len);
        events.addAll(p.feed(chunk));
        pos += len;
      }
      events.addAll(p.finish());
      assertEquals(EXPECTED, events, "round " + round);
    }
  }

  @Test
  void everyByteSeparatelyIncludingInsideMultiByteCharacters() {
    byte[] bytes = "data: 🌍é\r\n\r\n".getBytes(StandardCharsets.UTF_8);
    SseParser p = new SseParser();
    List<SseEvent> events = new ArrayList<>();
    for (byte b : bytes) events.addAll(p.feed(new byte[] {b}));
    assertEquals(List.of(new SseEvent(null, "🌍é", null)), events);
  }

  @Test
  void crAtChunkEndFollowedByLfCountsAsOneLineEnd() {
    SseParser p = new SseParser();
    assertTrue(p.feed("data: a\r").isEmpty());
    assertTrue(p.feed("\ndata: b\r").isEmpty());
    assertEquals(List.of(new SseEvent(null, "a\nb", null)), p.feed("\n\r\n"));
  }

  @Test
  void leadingBomIsSkippedEvenWhenSplit() {
    byte[] bytes = "\uFEFFevent: x\ndata: y\n\n".getBytes(StandardCharsets.UTF_8);
    SseParser p = new SseParser();
    List<SseEvent> events = new ArrayList<>(p.feed(bytes, 0, 1));
    events.addAll(p.feed(bytes, 1, 2));
    events.addAll(p.feed(bytes, 3, bytes.length - 3));
    assertEquals(List.of(new SseEvent("x", "y", null)), events);
  }

  @Test
  void unterminatedLastEventIsDispatchedAtFinish() {
    SseParser p = new SseParser();
    assertTrue(p.feed("data: {\"done\":true}").isEmpty());
    assertEquals(List.of(new SseEvent(null, "{\"done\":true}", null)), p.finish());
  }

  @Test
  void openAiDoneSentinelIsAnOrdinaryEvent() {
    SseParser p = new SseParser();
    assertEquals(List.of(new SseEvent(null, "{}", null), new SseEvent(null, "[DONE]", null)),
        p.feed("data: {}\n\ndata: [DONE]\n\n"));
  }
}
