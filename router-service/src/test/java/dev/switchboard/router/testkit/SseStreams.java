package dev.switchboard.router.testkit;

import dev.switchboard.router.providers.contract.SseEvent;
import dev.switchboard.router.providers.contract.StreamTranslator;
import dev.switchboard.router.providers.sse.SseParser;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/** Runs literal SSE stream text through {@link SseParser} and a translator. */
public final class SseStreams {
  private SseStreams() {}

  public static List<SseEvent> parse(String streamText) {
    SseParser p = new SseParser();
    List<SseEvent> out = new ArrayList<>(p.feed(streamText.getBytes(StandardCharsets.UTF_8)));
    out.addAll(p.finish());
    return out;
  }

  /** All chunks the translator produced for the stream and its end, in order, as the gateway calls it. */
  public static List<String> translate(StreamTranslator t, String streamText) {
    List<String> chunks = new ArrayList<>();
    for (SseEvent e : parse(streamText)) chunks.addAll(t.onEvent(e));
    chunks.addAll(t.onEnd());
    return chunks;
  }

  /** Literal fixtures are written with LF; providers also send CRLF (Gemini) or CR. */
  public static String withLineEnding(String lfText, String ending) {
    return lfText.replace("\n", ending);
  }
}
