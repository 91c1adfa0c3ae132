package dev.switchboard.router.requestlog.bench;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.switchboard.router.kafka.EmbeddedKafka;
import dev.switchboard.router.requestlog.CaptureMode;
import dev.switchboard.router.requestlog.DiskSpool;
import dev.switchboard.router.requestlog.KafkaRequestLog;
import dev.switchboard.router.requestlog.RequestLogConfig;
import dev.switchboard.router.requestlog.RequestLogRecord;
import dev.switchboard.router.requestlog.SpoolFullPolicy;
import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.BooleanSupplier;

/**
 * Request log benchmark (not a test): append() cost on the caller thread, producer throughput to
 * an in-process broker, spool write rate. Writes a Markdown report. Run through bench/requestlog.sh.
 */
public final class RequestLogBench {

  private static long spooledDuringAppendRun;

  public static void main(String[] args) throws Exception {
    Path out = Path.of(args.length > 0 ? args[0] : "bench/results");
    int n = args.length > 1 ? Integer.parseInt(args[1]) : 100_000;
    Path work = Files.createTempDirectory("requestlog-bench");
    StringBuilder md = new StringBuilder();
    md.append("# Request log benchmark, ").append(LocalDate.now(ZoneOffset.UTC)).append("\n\n");
    md.append(machine()).append("\n");
    md.append("Record: a typical gateway record (1 user message of ~600 characters, 2 candidates, 2 attempts), ")
        .append(String.format(Locale.ROOT, "%d bytes as JSON.%n%n",
            new ObjectMapper().writeValueAsBytes(record(0)).length));

    // 0. Embedded broker start: first start (formats the directory), then a restart on the same directory.
    long s0 = System.nanoTime();
    int brokerPort;
    try (EmbeddedKafka k = EmbeddedKafka.start(work.resolve("kafka-start"), 0)) {
      brokerPort = k.port();
      s0 = System.nanoTime() - s0;
    }
    long s1 = System.nanoTime();
    try (EmbeddedKafka k = EmbeddedKafka.start(work.resolve("kafka-start"), brokerPort)) {
      s1 = System.nanoTime() - s1;
    }
    md.append("## Embedded broker\n\n").append(String.format(Locale.ROOT,
        "First start (format + start) %.2f s; restart on the same directory and port %.2f s.%n%n", s0 / 1e9, s1 / 1e9));

    try (EmbeddedKafka kafka = EmbeddedKafka.start(work.resolve("kafka"), 0)) {
      // 1. append() on the caller thread, paced so the queue never fills (as on an event loop).
      RequestLogConfig cfg = RequestLogConfig.defaults(kafka.connection(), work.resolve("spool1"));
      long[] lat = new long[n];
      RequestLogRecord[] recs = new RequestLogRecord[n];
      for (int i = 0; i < n; i++) {
        recs[i] = record(i);
      }
      try (KafkaRequestLog log = new KafkaRequestLog(cfg)) {
        for (int i = 0; i < 20_000; i++) { // warm-up
          log.append(record(-i - 1));
        }
        waitFor(() -> log.stats().delivered() >= 20_000, Duration.ofSeconds(120), log);
        for (int i = 0; i < n; i++) {
          long t0 = System.nanoTime();
          log.append(recs[i]);
          lat[i] = System.nanoTime() - t0;
          if (i % 1000 == 999) {
            // Traffic, not a burst: let the sender catch up before the next thousand.
            long behind = 20_000L + i - 2_000;
            waitFor(() -> log.stats().delivered() + log.stats().spooled() >= behind, Duration.ofSeconds(120), log);
          }
        }
        waitFor(() -> log.stats().delivered() >= 20_000 + n, Duration.ofSeconds(120), log);
        spooledDuringAppendRun = log.stats().spooled();
      }
      Arrays.sort(lat);
      md.append("## append() on the caller thread\n\n")
          .append(String.format(Locale.ROOT, "%d calls, paced in bursts of 1,000: p50 %.2f us, p99 %.2f us, p99.9 %.2f us, max %.1f us (target p50 <= 100 us). Records that went through the spool during this run: %d.%n%n",
              n, lat[n / 2] / 1e3, lat[(int) (n * 0.99)] / 1e3, lat[(int) (n * 0.999)] / 1e3, lat[n - 1] / 1e3, spooledDuringAppendRun));

      // 2. Throughput: append as fast as possible, time until Kafka acknowledged everything.
      RequestLogConfig big = new RequestLogConfig(kafka.connection(), "bench-throughput", 1,
          work.resolve("spool2"), 256L << 20, 16L << 20, SpoolFullPolicy.DROP_OLDEST, CaptureMode.FULL, n + 1,
          Duration.ofSeconds(30), Duration.ofMillis(500), Duration.ofSeconds(60), Map.of());
      long t0 = System.nanoTime();
      try (KafkaRequestLog log = new KafkaRequestLog(big)) {
        for (int i = 0; i < n; i++) {
          log.append(recs[i]);
        }
        waitFor(() -> log.stats().delivered() >= n, Duration.ofSeconds(300));
      }
      double s = (System.nanoTime() - t0) / 1e9;
      md.append("## Producer throughput (in-process broker, acks=all, idempotent)\n\n")
          .append(String.format(Locale.ROOT, "%d records in %.2f s: %.0f records/s.%n%n", n, s, n / s));

      // 3. Redacted capture costs CPU on the sender thread: same run with capture=redacted.
      t0 = System.nanoTime();
      try (KafkaRequestLog log = new KafkaRequestLog(big.withTopic("bench-redacted").withCapture(CaptureMode.REDACTED))) {
        for (int i = 0; i < n; i++) {
          log.append(recs[i]);
        }
        waitFor(() -> log.stats().delivered() >= n, Duration.ofSeconds(300));
      }
      s = (System.nanoTime() - t0) / 1e9;
      md.append(String.format(Locale.ROOT, "Same with capture=redacted: %.2f s, %.0f records/s.%n%n", s, n / s));
    }

    // 4. Spool write rate (what an outage costs), raw DiskSpool appends of serialised records.
    byte[] value = new ObjectMapper().writeValueAsBytes(record(0));
    try (DiskSpool spool = new DiskSpool(work.resolve("spool3"), 1L << 30, 16L << 20, SpoolFullPolicy.REFUSE_NEW)) {
      long t0 = System.nanoTime();
      for (int i = 0; i < n; i++) {
        spool.append("r-" + i, value);
      }
      spool.sync();
      double s = (System.nanoTime() - t0) / 1e9;
      md.append("## Spool write rate\n\n")
          .append(String.format(Locale.ROOT, "%d records (%.1f MB) appended and fsynced in %.2f s: %.0f records/s, %.1f MB/s.%n",
              n, n * (double) value.length / 1e6, s, n / s, n * (double) value.length / 1e6 / s));
      t0 = System.nanoTime();
      int read = 0;
      while (!spool.isEmpty()) {
        List<dev.switchboard.router.requestlog.SpooledRecord> b = spool.peek(500);
        read += b.size();
        spool.commit(b.get(b.size() - 1).next());
      }
      s = (System.nanoTime() - t0) / 1e9;
      md.append(String.format(Locale.ROOT, "Read back and committed in batches of 500: %.2f s, %.0f records/s (%d records).%n", s, read / s, read));
    }
    deleteTree(work);
    Files.createDirectories(out);
    Path file = out.resolve("requestlog-" + LocalDate.now(ZoneOffset.UTC) + ".md");
    Files.writeString(file, md.toString());
    System.out.println(md);
    System.out.println("written to " + file);
    System.exit(0);
  }

  static RequestLogRecord record(int i) {
    ObjectMapper m = new ObjectMapper();
    var messages = m.createArrayNode().add(m.createObjectNode().put("role", "user").put("content",
        ("Please review this function and tell me whether it handles empty input; my e-mail is dev" + i
            + "@example.com. ").repeat(6)));
    return new RequestLogRecord(1, "req-" + i, Instant.now().toString(), "default", "switchboard-auto",
        "cheap-model", List.of(new RequestLogRecord.Candidate("cheap-model", 0.8), new RequestLogRecord.Candidate("big-model", 0.9)),
        0.4, "v1", null, messages, "It does not: an empty list raises IndexError on line 3.",
        new RequestLogRecord.Tokens(150, 20), 0.0001, new RequestLogRecord.Latency(800, 780, 20, 2), 200,
        List.of(new RequestLogRecord.Attempt("flaky", 503, "SERVER_ERROR", 30), new RequestLogRecord.Attempt("cheap-model", 200, null, 750)),
        1, null, "coding", Map.of());
  }

  private static String machine() {
    StringBuilder b = new StringBuilder();
    b.append("Machine: ").append(Runtime.getRuntime().availableProcessors()).append(" cores");
    try {
      for (String line : Files.readAllLines(Path.of("/proc/cpuinfo"))) {
        if (line.startsWith("model name")) {
          b.append(", ").append(line.substring(line.indexOf(':') + 1).trim());
          break;
        }
      }
      b.append(", load average at start ").append(Files.readString(Path.of("/proc/loadavg")).split(" ")[0]);
    } catch (IOException e) {
      // not Linux
    }
    b.append(", Java ").append(System.getProperty("java.version"))
        .append(", heap max ").append(Runtime.getRuntime().maxMemory() >> 20).append(" MB")
        .append(", JVM args ").append(ManagementFactory.getRuntimeMXBean().getInputArguments()).append(".\n");
    return b.toString();
  }

  private static void waitFor(BooleanSupplier c, Duration max) throws InterruptedException {
    waitFor(c, max, null);
  }

  private static void waitFor(BooleanSupplier c, Duration max, KafkaRequestLog log) throws InterruptedException {
    long deadline = System.nanoTime() + max.toNanos();
    long nextPrint = System.nanoTime() + 5_000_000_000L;
    while (!c.getAsBoolean()) {
      if (log != null && System.nanoTime() > nextPrint) {
        System.err.println("  ... " + log.stats());
        nextPrint = System.nanoTime() + 5_000_000_000L;
      }
      if (System.nanoTime() > deadline) {
        throw new IllegalStateException("benchmark step did not finish within " + max);
      }
      java.util.concurrent.locks.LockSupport.parkNanos(20_000_000); // poll interval of a bench helper, not a timing
    }
  }

  private static void deleteTree(Path p) throws IOException {
    try (var s = Files.walk(p)) {
      s.sorted(java.util.Comparator.reverseOrder()).forEach(f -> f.toFile().delete());
    }
  }
}
