package dev.switchboard.cli.serve;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** {@code switchboard serve} in a JVM of its own on a free port, with its output collected; for process-level tests. */
final class ServeProcess implements AutoCloseable {
  final Process process;
  final String baseUrl;
  private final StringBuffer output;
  private final Thread reader;

  private ServeProcess(Process process, String baseUrl, StringBuffer output, Thread reader) {
    this.reader = reader;
    this.process = process;
    this.baseUrl = baseUrl;
    this.output = output;
  }

  /**
   * Starts {@code serve --config config --port 0 --data-dir dataDir --no-request-log} with {@code env} added to the
   * environment; returns once it prints that it listens (60 s at most).
   */
  static ServeProcess start(Path config, Path dataDir, Map<String, String> env) throws Exception {
    return start(config, dataDir, env, false);
  }

  /**
   * As {@link #start(Path, Path, Map)}; with {@code shippedLogging} the request log is on (an embedded broker on a
   * free port) and logging is configured by the shipped {@code logback.xml}, not the tests' {@code logback-test.xml}.
   */
  static ServeProcess start(Path config, Path dataDir, Map<String, String> env, boolean shippedLogging) throws Exception {
    List<String> cmd = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
        "-Xmx256m", "-Dai.djl.offline=true", "-Dswitchboard.home=" + Path.of("..").toAbsolutePath().normalize()));
    if (shippedLogging) cmd.add("-Dlogback.configurationFile=" + Path.of("src/main/resources/logback.xml").toAbsolutePath());
    cmd.addAll(List.of("-cp", System.getProperty("java.class.path"), "dev.switchboard.cli.SwitchboardCli",
        "serve", "--config", config.toString(), "--port", "0", "--data-dir", dataDir.toString()));
    cmd.addAll(shippedLogging ? List.of("--kafka-port", "0") : List.of("--no-request-log"));
    ProcessBuilder pb = new ProcessBuilder(cmd).redirectErrorStream(true);
    pb.environment().putAll(env);
    Process process = pb.start();
    BufferedReader out = new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8));
    Pattern listening = Pattern.compile("Switchboard is listening on (http://\\S+?)\\s");
    StringBuffer seen = new StringBuffer();
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
    for (String line; System.nanoTime() < deadline && (line = out.readLine()) != null; ) {
      seen.append(line).append('\n');
      Matcher m = listening.matcher(line + " ");
      if (m.find()) {
        Thread drainer = new Thread(() -> { // keep the pipe from filling; it closes when the process ends
          try {
            for (String l; (l = out.readLine()) != null; ) seen.append(l).append('\n');
          } catch (java.io.IOException ended) {
            // the process is gone
          }
        }, "serve-output");
        drainer.setDaemon(true);
        drainer.start();
        return new ServeProcess(process, m.group(1), seen, drainer);
      }
    }
    process.destroyForcibly();
    throw new AssertionError("serve did not start:\n" + seen);
  }

  /** Everything the process printed so far (stdout and stderr). */
  String output() {
    return output.toString();
  }

  /** SIGTERM, then waits up to 30 s; true when it exited (and its output is read to the end). */
  boolean stop() throws InterruptedException {
    process.toHandle().destroy(); // SIGTERM; Process.destroy() would also close our end of the pipe, losing the last lines
    boolean exited = process.waitFor(30, TimeUnit.SECONDS);
    if (exited) reader.join(10_000);
    return exited;
  }

  @Override
  public void close() throws Exception {
    if (process.isAlive()) process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
  }
}
