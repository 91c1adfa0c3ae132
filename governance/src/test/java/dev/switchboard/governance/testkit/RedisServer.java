package dev.switchboard.governance.testkit;

import static org.awaitility.Awaitility.await;

import java.io.File;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.TimeUnit;

/**
 * A real {@code redis-server} on a free port for one test class, without persistence. Fails (never skips)
 * when the binary is missing: {@code ./run-tests} installs the Debian package {@code redis-server}.
 */
public final class RedisServer implements AutoCloseable {

  private final Process process;
  private final int port;

  private RedisServer(Process process, int port) {
    this.process = process;
    this.port = port;
  }

  public static RedisServer start() throws IOException {
    String binary = findOnPath("redis-server");
    int port;
    try (ServerSocket probe = new ServerSocket(0)) {
      port = probe.getLocalPort();
    }
    Path log = Files.createTempFile("redis-" + port, ".log");
    Process p = new ProcessBuilder(binary, "--port", String.valueOf(port), "--bind", "127.0.0.1",
        "--save", "", "--appendonly", "no")
        .redirectErrorStream(true)
        .redirectOutput(log.toFile())
        .start();
    RedisServer server = new RedisServer(p, port);
    try {
      await("redis-server on port " + port + " answers PING (log: " + log + ")")
          .atMost(Duration.ofSeconds(15))
          .pollInterval(Duration.ofMillis(50))
          .ignoreExceptions()
          .until(() -> {
            if (!p.isAlive()) {
              throw new AssertionError("redis-server exited: " + Files.readString(log));
            }
            return server.ping();
          });
    } catch (RuntimeException | Error e) {
      server.close();
      throw e;
    }
    return server;
  }

  private static String findOnPath(String name) {
    for (String dir : System.getenv().getOrDefault("PATH", "").split(File.pathSeparator)) {
      File f = new File(dir, name);
      if (f.canExecute()) {
        return f.getAbsolutePath();
      }
    }
    for (String dir : new String[] {"/usr/bin", "/usr/sbin", "/usr/local/bin"}) {
      File f = new File(dir, name);
      if (f.canExecute()) {
        return f.getAbsolutePath();
      }
    }
    throw new AssertionError(name + " is not installed: install the Debian package redis-server "
        + "(apt-get install -y redis-server; ./run-tests does this)");
  }

  /** Sends a raw RESP PING. */
  boolean ping() throws IOException {
    try (Socket s = new Socket("127.0.0.1", port)) {
      s.setSoTimeout(1000);
      OutputStream out = s.getOutputStream();
      out.write("PING\r\n".getBytes(StandardCharsets.US_ASCII));
      out.flush();
      InputStream in = s.getInputStream();
      byte[] buf = new byte[7];
      int n = in.readNBytes(buf, 0, 7);
      return new String(buf, 0, n, StandardCharsets.US_ASCII).startsWith("+PONG");
    }
  }

  public int port() {
    return port;
  }

  public String url() {
    return "redis://127.0.0.1:" + port;
  }

  @Override
  public void close() {
    process.destroy();
    try {
      if (!process.waitFor(10, TimeUnit.SECONDS)) {
        process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
      }
    } catch (InterruptedException e) {
      process.destroyForcibly();
      Thread.currentThread().interrupt();
    }
  }
}
