package dev.switchboard.cli.bench;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.switchboard.cli.SwitchboardCli;
import dev.switchboard.dataset.RoutingDataset;
import dev.switchboard.dataset.parquet.ParquetRecordedAnswers;
import dev.switchboard.dataset.parquet.RoutingDatasets;
import dev.switchboard.dataset.recorded.RecordedAnswer;
import dev.switchboard.dataset.recorded.RecordedAnswers;
import dev.switchboard.router.embedded.SwitchboardHome;
import dev.switchboard.router.kafka.EmbeddedKafka;
import dev.switchboard.router.requestlog.CaptureMode;
import dev.switchboard.router.requestlog.KafkaRequestLog;
import dev.switchboard.router.requestlog.RequestLogConfig;
import dev.switchboard.router.requestlog.RequestLogRecord;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * {@code bench/replay.sh}: replay throughput with the {@code recorded} grader. Starts an embedded
 * broker, writes N request-log records through the gateway's own request log (real prompts of the
 * shipped AlpacaEval 2.0 data, with the answer the router's chosen model recorded), then runs
 * {@code switchboard replay} (the command line, in-process recorded provider, no simulated
 * latency) against three candidates and writes {@code bench/results/replay-YYYY-MM-DD.md}.
 *
 * <p>Args: results dir, records (20000), concurrency (64).
 */
public final class ReplayBench {
  static final List<String> CANDIDATES = List.of("mixtral-8x7b-instruct-v0.1", "gpt-3.5-turbo-1106", "gpt-4-1106-preview");

  public static void main(String[] args) throws Exception {
    Path results = Path.of(args.length > 0 ? args[0] : "bench/results");
    int n = args.length > 1 ? Integer.parseInt(args[1]) : 20_000;
    int concurrency = args.length > 2 ? Integer.parseInt(args[2]) : 64;
    String loadBefore = loadAverage();
    Path home = SwitchboardHome.find();
    Path tmp = Files.createTempDirectory("switchboard-replay-bench-");
    ObjectMapper json = new ObjectMapper();

    RoutingDataset ds = RoutingDatasets.load(home.resolve("datasets/alpacaeval2.parquet"));
    RecordedAnswers answers = ParquetRecordedAnswers.load(home.resolve("datasets/recorded/answers.parquet"));
    List<RoutingDataset.Prompt> prompts = ds.prompts().stream()
        .filter(p -> CANDIDATES.stream().allMatch(m -> p.quality(m).isPresent())).toList();

    try (EmbeddedKafka kafka = EmbeddedKafka.start(tmp.resolve("kafka"), 0)) {
      long p0 = System.nanoTime();
      RequestLogConfig cfg = RequestLogConfig.defaults(kafka.connection(), tmp.resolve("spool"))
          .withTopic("switchboard.requests").withCapture(CaptureMode.FULL);
      long bytes = 0;
      try (KafkaRequestLog log = new KafkaRequestLog(cfg)) {
        for (int i = 0; i < n; i++) {
          RoutingDataset.Prompt p = prompts.get(i % prompts.size());
          String chosen = CANDIDATES.get(i % CANDIDATES.size());
          String answer = answers.find(chosen, p.prompt()).map(RecordedAnswer::response).orElse("");
          JsonNode messages = json.createArrayNode().add(json.createObjectNode().put("role", "user").put("content", p.prompt()));
          List<RequestLogRecord.Candidate> cands = new ArrayList<>();
          for (String c : CANDIDATES) cands.add(new RequestLogRecord.Candidate(c, 0.5));
          RequestLogRecord r = RequestLogRecord.builder("bench-" + i).route("auto").alias("auto").deployment(chosen).candidates(cands)
              .difficulty(0.5).policyVersion("bench").messages(messages).response(answer).usage(p.prompt().length() / 4, answer.length() / 4)
              .costUsd(0.001).latency(new RequestLogRecord.Latency(100, 99, 1, 0.5)).category(p.category()).metadata(Map.of()).build();
          bytes += json.writeValueAsBytes(r).length;
          log.append(r);
        }
      } // close() waits until Kafka acknowledged every record
      double produceS = (System.nanoTime() - p0) / 1e9;
      System.out.printf(Locale.ROOT, "produced %d records (%.1f MB of JSON) in %.1f s%n", n, bytes / 1e6, produceS);

      Path run = tmp.resolve("runs/bench");
      long r0 = System.nanoTime();
      int code = SwitchboardCli.commandLine().execute("replay", "--kafka-config", dev.switchboard.router.kafka.EmbeddedKafka.clientPropertiesFile(kafka.dataDir()).toString(), "--from-beginning",
          "--candidates", String.join(",", CANDIDATES), "--grader", "recorded", "--datasets", home.resolve("datasets").toString(),
          "--concurrency", Integer.toString(concurrency), "--out", run.toString());
      double commandS = (System.nanoTime() - r0) / 1e9;
      if (code != 0) throw new IllegalStateException("replay exited with " + code);
      String loadAfter = loadAverage();
      JsonNode s = json.readTree(run.resolve("summary.json").toFile());
      JsonNode t = s.get("timings");

      String date = LocalDate.now(ZoneOffset.UTC).toString();
      String md = String.format(Locale.ROOT, """
          # Replay throughput, `recorded` grader (%s)

          `bench/replay.sh %d %d`: %d request-log records (real AlpacaEval 2.0 prompts, %d distinct, written by the
          gateway's `KafkaRequestLog` to an embedded KRaft broker; %.1f MB of JSON) replayed by `switchboard replay
          --grader recorded --concurrency %d` against 3 candidates (%s) through the in-process gateway adapters and the
          in-process recorded provider (embedded defaults, no simulated latency), consumer group from the beginning.

          Machine: %d cores (`nproc`), JVM %s %s, max heap %d MB; load average before %s, after %s
          (other work shares these cores).

          | metric | value |
          |---|---:|
          | records | %d (graded %d) |
          | rows in outcomes.parquet | %d |
          | **records/s** (replay run: Kafka to summary.json) | **%.0f** |
          | candidate calls/s | %.0f |
          | replay run wall time | %.2f s |
          | whole command (incl. loading recorded answers and grades, starting the in-process gateway) | %.2f s |

          | phase | seconds |
          |---|---:|
          | consume (poll + parse records) | %.2f |
          | candidate calls (dispatch + wait, grading included) | %.2f |
          | grade (inside the grader, overlaps the calls) | %.2f |
          | write segments (fsync) + commit offsets | %.2f |
          | write parquet (merge segments) | %.2f |

          Target: >= 2,000 records/s.
          """, date, n, concurrency, n, prompts.size(), bytes / 1e6, concurrency, String.join(", ", CANDIDATES),
          Runtime.getRuntime().availableProcessors(), System.getProperty("java.vm.name"), System.getProperty("java.version"),
          Runtime.getRuntime().maxMemory() / (1024 * 1024), loadBefore, loadAfter,
          s.get("consumed").asLong(), s.get("graded").asLong(), s.get("total_rows").asLong(), t.get("records_per_second").asDouble(),
          t.get("candidate_calls_per_second").asDouble(), t.get("total_ms").asDouble() / 1000, commandS,
          t.get("consume_ms").asDouble() / 1000, t.get("calls_ms").asDouble() / 1000, t.get("grade_ms").asDouble() / 1000,
          t.get("segments_ms").asDouble() / 1000, t.get("parquet_ms").asDouble() / 1000);
      Files.createDirectories(results);
      Path out = results.resolve("replay-" + date + ".md");
      Files.writeString(out, md);
      System.out.println(md);
      System.out.println("wrote " + out);
    } finally {
      try (var files = Files.walk(tmp)) { // the broker's log and the run directory: ~100 MB per run
        files.sorted(java.util.Comparator.reverseOrder()).forEach(f -> f.toFile().delete());
      }
    }
    System.exit(0);
  }

  private static String loadAverage() {
    try {
      String[] f = Files.readString(Path.of("/proc/loadavg")).trim().split("\\s+");
      return f[0] + " " + f[1] + " " + f[2];
    } catch (Exception e) {
      return String.format(Locale.ROOT, "%.2f", ManagementFactory.getOperatingSystemMXBean().getSystemLoadAverage());
    }
  }
}
