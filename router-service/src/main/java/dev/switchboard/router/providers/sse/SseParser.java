package dev.switchboard.router.providers.sse;

import dev.switchboard.router.providers.contract.SseEvent;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Incremental server-sent-events parser following the WHATWG event-stream rules: fed byte chunks
 * split anywhere (even inside a UTF-8 sequence or between CR and LF), it returns the events each
 * chunk completes. Lines end with LF, CR or CRLF; {@code data:} lines are joined with LF; one
 * space after the colon is dropped; comment lines ({@code :}) and {@code retry:} are ignored; a
 * field without a colon has an empty value; a leading UTF-8 BOM is skipped. One parser per
 * stream, not thread-safe.
 *
 * <p>Splitting lines on bytes before decoding is what makes mid-sequence splits safe: CR and LF
 * never occur inside a multi-byte UTF-8 sequence.
 */
public final class SseParser {
  private static final byte CR = '\r';
  private static final byte LF = '\n';

  private byte[] line = new byte[256];
  private int lineLength;
  private boolean lastWasCr;
  private boolean firstLine = true;

  private final StringBuilder data = new StringBuilder();
  private boolean hasData;
  private String eventType;
  private String lastEventId;

  /** Feeds a whole array. */
  public List<SseEvent> feed(byte[] bytes) {
    return feed(bytes, 0, bytes.length);
  }

  /** Feeds {@code length} bytes from {@code offset}; returns the events completed, in order. */
  public List<SseEvent> feed(byte[] bytes, int offset, int length) {
    List<SseEvent> out = null;
    int end = offset + length;
    for (int i = offset; i < end; i++) {
      byte b = bytes[i];
      if (b == LF && lastWasCr) {
        lastWasCr = false; // second half of a CRLF already handled at the CR
        continue;
      }
      lastWasCr = b == CR;
      if (b == CR || b == LF) {
        SseEvent e = endLine();
        if (e != null) {
          if (out == null) out = new ArrayList<>(2);
          out.add(e);
        }
      } else {
        append(b);
      }
    }
    return out == null ? List.of() : out;
  }

  /** Feeds a Vert.x buffer as it arrives from an upstream response. */
  public List<SseEvent> feed(io.vertx.core.buffer.Buffer buffer) {
    return feed(buffer.getBytes());
  }

  /** Feeds a string (tests, or callers that already decoded text). */
  public List<SseEvent> feed(String text) {
    return feed(text.getBytes(StandardCharsets.UTF_8));
  }

  /**
   * End of stream. The standard discards an event not closed by a blank line; we dispatch it
   * when it holds data because some upstreams omit the final blank line, and dropping that event
   * would lose the finish reason and usage.
   */
  public List<SseEvent> finish() {
    List<SseEvent> out = new ArrayList<>(1);
    if (lineLength > 0) {
      SseEvent e = endLine();
      if (e != null) out.add(e);
    }
    SseEvent e = dispatch();
    if (e != null) out.add(e);
    return out;
  }

  private void append(byte b) {
    if (lineLength == line.length) line = Arrays.copyOf(line, line.length * 2);
    line[lineLength++] = b;
  }

  private SseEvent endLine() {
    int start = 0;
    if (firstLine) {
      firstLine = false;
      if (lineLength >= 3 && (line[0] & 0xFF) == 0xEF && (line[1] & 0xFF) == 0xBB && (line[2] & 0xFF) == 0xBF) {
        start = 3;
      }
    }
    int len = lineLength - start;
    lineLength = 0;
    if (len == 0) return dispatch();
    String text = new String(line, start, len, StandardCharsets.UTF_8);
    if (text.charAt(0) == ':') return null; // comment
    int colon = text.indexOf(':');
    String field;
    String value;
    if (colon < 0) {
      field = text;
      value = "";
    } else {
      field = text.substring(0, colon);
      int v = colon + 1;
      if (v < text.length() && text.charAt(v) == ' ') v++;
      value = text.substring(v);
    }
    switch (field) {
      case "data" -> {
        if (hasData) data.append('\n');
        data.append(value);
        hasData = true;
      }
      case "event" -> eventType = value;
      case "id" -> {
        if (value.indexOf('\0') < 0) lastEventId = value;
      }
      default -> {
        // "retry" and unknown fields are ignored, as the standard says.
      }
    }
    return null;
  }

  private SseEvent dispatch() {
    if (!hasData) {
      eventType = null;
      return null;
    }
    SseEvent e = new SseEvent(eventType == null || eventType.isEmpty() ? null : eventType, data.toString(), lastEventId);
    data.setLength(0);
    hasData = false;
    eventType = null;
    return e;
  }
}
