package dev.switchboard.router.testkit;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerOptions;
import io.vertx.core.http.HttpServerResponse;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * An upstream that answers every request with one recorded response, byte for byte, paced one of
 * two ways: the whole body in one write, or event by event (each SSE event, up to and including
 * its blank line, in its own write, a Vert.x timer apart). The two catch bugs that depend on how
 * the bytes are split into reads. Set the response before each request; one request at a time.
 */
public final class ReplayUpstream {
  /** How the recorded bytes are written. */
  public enum Pacing { ONE_WRITE, EVENT_BY_EVENT }

  private static final long GAP_MS = 1;

  private final Vertx vertx;
  private HttpServer server;
  private volatile int status;
  private volatile String contentType;
  private volatile byte[] body;
  private volatile Pacing pacing = Pacing.ONE_WRITE;
  private volatile String lastRequestBody;

  public ReplayUpstream(Vertx vertx) {
    this.vertx = vertx;
  }

  public Future<Integer> start() {
    server = vertx.createHttpServer(new HttpServerOptions().setHost("127.0.0.1").setPort(0));
    return server.requestHandler(req -> req.body().onComplete(b -> {
      if (b.succeeded()) lastRequestBody = b.result().toString(java.nio.charset.StandardCharsets.UTF_8);
      reply(req.response());
    })).listen().map(HttpServer::actualPort);
  }

  public String baseUrl() {
    return "http://127.0.0.1:" + server.actualPort();
  }

  /** The body of the last request received (null before the first). */
  public String lastRequestBody() {
    return lastRequestBody;
  }

  /** The next responses: {@code status}, {@code contentType} and exactly {@code body}. */
  public ReplayUpstream serve(int status, String contentType, byte[] body, Pacing pacing) {
    this.status = status;
    this.contentType = contentType;
    this.body = body;
    this.pacing = pacing;
    return this;
  }

  private void reply(HttpServerResponse resp) {
    resp.setStatusCode(status).putHeader("content-type", contentType);
    if (pacing == Pacing.ONE_WRITE) {
      resp.end(Buffer.buffer(body));
      return;
    }
    resp.setChunked(true);
    writeFrom(resp, pieces(body), 0);
  }

  private void writeFrom(HttpServerResponse resp, List<byte[]> pieces, int i) {
    if (i == pieces.size()) {
      resp.end();
      return;
    }
    resp.write(Buffer.buffer(pieces.get(i)));
    vertx.setTimer(GAP_MS, t -> writeFrom(resp, pieces, i + 1));
  }

  /**
   * The body cut after each blank line (LF LF, CRLF CRLF or CR CR): SSE events with their own
   * line endings, and a last piece for whatever follows the last blank line (a final event without
   * one, or a JSON body that has none, cut into three so it still arrives in several reads).
   */
  static List<byte[]> pieces(byte[] b) {
    List<byte[]> out = new ArrayList<>();
    int start = 0;
    for (int i = 0; i < b.length; i++) {
      int end = blankLineEnd(b, i);
      if (end > 0) {
        out.add(Arrays.copyOfRange(b, start, end));
        start = end;
        i = end - 1;
      }
    }
    if (start < b.length) {
      if (out.isEmpty() && b.length >= 3) {
        int third = b.length / 3;
        out.add(Arrays.copyOfRange(b, 0, third));
        out.add(Arrays.copyOfRange(b, third, 2 * third));
        out.add(Arrays.copyOfRange(b, 2 * third, b.length));
      } else {
        out.add(Arrays.copyOfRange(b, start, b.length));
      }
    }
    return out;
  }

  private static int blankLineEnd(byte[] b, int i) {
    if (i + 3 < b.length && b[i] == '\r' && b[i + 1] == '\n' && b[i + 2] == '\r' && b[i + 3] == '\n') return i + 4;
    if (i + 1 < b.length && b[i] == '\n' && b[i + 1] == '\n') return i + 2;
    if (i + 1 < b.length && b[i] == '\r' && b[i + 1] == '\r') return i + 2;
    return -1;
  }
}
