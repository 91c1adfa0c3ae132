package dev.switchboard.router.testkit;

import java.io.IOException;
import java.io.InputStream;
import java.net.Socket;
import java.net.SocketException;
import java.net.URI;
import java.nio.charset.StandardCharsets;

/** Raw TCP clients for tests of connection handling (slow, idle or half-sent requests). */
public final class RawSocket {
  private RawSocket() {}

  /** A socket to the gateway at {@code baseUrl}, every read bounded by 10 s. */
  public static Socket connect(String baseUrl) throws IOException {
    Socket s = new Socket("127.0.0.1", URI.create(baseUrl).getPort());
    s.setSoTimeout(10_000);
    return s;
  }

  /** Writes {@code text} (ISO-8859-1, as HTTP/1.1 heads are) and flushes. */
  public static void send(Socket s, String text) throws IOException {
    s.getOutputStream().write(text.getBytes(StandardCharsets.ISO_8859_1));
    s.getOutputStream().flush();
  }

  /** Reads until the server closes the connection; what it sent first (an answer, if any). */
  public static String untilClosed(Socket s) throws IOException {
    StringBuilder got = new StringBuilder();
    InputStream in = s.getInputStream();
    byte[] buf = new byte[4096];
    try {
      for (int n; (n = in.read(buf)) >= 0; ) {
        got.append(new String(buf, 0, n, StandardCharsets.ISO_8859_1));
      }
    } catch (SocketException reset) {
      // closed with a reset: closed all the same
    }
    return got.toString();
  }
}
