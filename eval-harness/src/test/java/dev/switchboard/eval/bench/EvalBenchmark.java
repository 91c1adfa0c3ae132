package dev.switchboard.eval.bench;

import dev.switchboard.dataset.parquet.RoutingDatasets;
import dev.switchboard.dataset.RoutingRow;
import dev.switchboard.eval.report.DecisionsParquet;
import dev.switchboard.eval.report.HtmlReport;
import dev.switchboard.eval.report.MarkdownReport;
import dev.switchboard.eval.report.MetricsJson;
import dev.switchboard.eval.run.EvalOptions;
import dev.switchboard.eval.run.EvalResult;
import dev.switchboard.eval.run.EvalTable;
import dev.switchboard.eval.run.Evaluation;
import dev.switchboard.eval.run.Progress;
import dev.switchboard.eval.run.ScoreCache;
import dev.switchboard.eval.run.Scored;
import dev.switchboard.eval.run.SyntheticRouting;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.junit.jupiter.api.Test;

/**
 * Benchmark, not a test (the name does not match surefire's default includes): run with
 * {@code mvn -o -q -pl eval-harness -am test -Dtest=EvalBenchmark -Dsurefire.failIfNoSpecifiedTests=false}.
 * Times {@code eval} on 50,000 rows (all in one split) with scores served from the score cache, and
 * writes the timings to {@code bench/results/eval-50k.md}.
 */
class EvalBenchmark {

  @Test
  void eval50kRows() throws Exception {
    Path dir = Files.createTempDirectory("sb-bench");
    List<RoutingRow> rows = new ArrayList<>();
    for (RoutingRow r : SyntheticRouting.rows(16_667, 9)) {
      rows.add(new RoutingRow(r.promptId(), r.prompt(), r.messagesJson(), r.category(), "test", r.model(), r.quality(),
          r.inputTokens(), r.outputTokens(), r.costUsd(), r.source()));
    }
    Path file = dir.resolve("bench.parquet");
    RoutingDatasets.write(file, rows);
    SyntheticRouting.StandInScorer standIn = new SyntheticRouting.StandInScorer(9, 0.3);
    // warm the score cache, as a previous run would have
    EvalTable warm = EvalTable.build(rows, "bench", "test", SyntheticRouting.MODELS);
    ScoreCache cache = ScoreCache.open(standIn, dir.resolve("cache"));
    Scored.score(warm, cache, Progress.silent());
    cache.save();

    java.lang.management.ThreadMXBean mx = java.lang.management.ManagementFactory.getThreadMXBean();
    long cpu0 = mx.getCurrentThreadCpuTime();
    long t0 = System.nanoTime();
    List<RoutingRow> read = RoutingDatasets.read(file);
    long t1 = System.nanoTime();
    EvalTable t = EvalTable.build(read, file.toString(), "test", SyntheticRouting.MODELS);
    ScoreCache cached = ScoreCache.open(standIn, dir.resolve("cache"));
    Scored s = Scored.score(t, cached, Progress.silent());
    long t2 = System.nanoTime();
    EvalResult.Meta meta = new EvalResult.Meta("bench", file.toString(), "-", "stand-in", standIn.sha256(), "test",
        t.size(), 0, 0.5, 42, 10, 1000, "-");
    EvalResult r = Evaluation.run(t, s, new EvalOptions(0, 2, 0.5, 42, 10, 1000), meta, null);
    long t3 = System.nanoTime();
    Path out = Files.createDirectories(dir.resolve("out"));
    Files.writeString(out.resolve("report.html"), HtmlReport.render(r));
    Files.writeString(out.resolve("report.md"), MarkdownReport.render(r));
    Files.writeString(out.resolve("metrics.json"), MetricsJson.render(r));
    DecisionsParquet.write(out.resolve("decisions.parquet"), r, t, s);
    long t4 = System.nanoTime();
    long cpu = mx.getCurrentThreadCpuTime() - cpu0;

    String report = String.format(Locale.ROOT,
        "# eval on 50,000 rows (16,667 prompts x 3 models), scores cached%n%n"
            + "Measured %s by `EvalBenchmark` (eval-harness tests), %d cores available, shared machine.%n%n"
            + "| phase | seconds |%n|---|---:|%n| read Parquet (%d rows) | %.2f |%n| build table + cached scores (%d cache hits) | %.2f |%n"
            + "| all policies, sweeps (10 bins, router 40), bootstrap 1000 | %.2f |%n| write report.html/md, metrics.json, decisions.parquet | %.2f |%n"
            + "| **total** | **%.2f** |%n%nCPU time of the benchmark thread over all phases: %.2f s (wall time above includes waiting for%n"
            + "the CPU on this shared machine).%n",
        java.time.Instant.now().truncatedTo(java.time.temporal.ChronoUnit.SECONDS), Runtime.getRuntime().availableProcessors(),
        read.size(), (t1 - t0) / 1e9, cached.hits(), (t2 - t1) / 1e9, (t3 - t2) / 1e9, (t4 - t3) / 1e9, (t4 - t0) / 1e9, cpu / 1e9);
    System.out.println(report);
    Path results = Paths.get(System.getProperty("switchboard.repo.root", "."), "bench", "results", "eval-50k.md");
    Files.createDirectories(results.getParent());
    Files.writeString(results, report);
  }
}
