package dev.switchboard.router.providers.sse;

import dev.switchboard.router.providers.SseEvent;
import java.util.List;

/** Placeholder until the parser lands (branch providers). */
public final class SseParser {
  public List<SseEvent> feed(byte[] bytes) {
    throw new IllegalStateException("parser not written yet");
  }
}
