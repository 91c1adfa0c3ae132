package dev.switchboard.classifier.bench;

import dev.switchboard.classifier.Classifier;
import dev.switchboard.classifier.ClassifierOptions;
import dev.switchboard.classifier.base.ScoringInput;
import dev.switchboard.classifier.encoder.EncoderVariant;
import dev.switchboard.classifier.encoder.Encoders;
import dev.switchboard.classifier.encoder.MiniLmEncoder;
import dev.switchboard.classifier.text.WordPieceTokenizer;
import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

/**
 * Scoring benchmark (not a test): latency percentiles by prompt length at 1 thread, batch and
 * 2-thread throughput, cache-hit latency, model load time, RSS. Writes a Markdown report.
 *
 * <p>Usage: {@code java -cp ... dev.switchboard.classifier.bench.ScoringBench MODEL_DIR OUT.md}
 */
public final class ScoringBench {

  /**
   * Words the prompts are drawn from, each one token ({@code bench/words.txt}): random draws from
   * 1,000 of them give a 256-token prompt ~170 distinct tokens, as real prompts have. The static
   * encoder reads one table row per distinct token, so a short repeated list would flatter it.
   */
  private static final List<String> WORDS = words(Path.of("bench/words.txt"));

  private ScoringBench() {}

  public static void main(String[] args) throws Exception {
    if (args.length < 2 || args.length > 3 || (args.length == 3 && !List.of("java", "onnxruntime").contains(args[2]))) {
      System.err.println("usage: ScoringBench MODEL_DIR OUT.md [java|onnxruntime]");
      System.exit(2);
    }
    Path modelDir = Path.of(args[0]);
    Path outFile = Path.of(args[1]);
    ClassifierOptions.GraphRuntime runtime = args.length == 3 && args[2].equals("onnxruntime")
        ? ClassifierOptions.GraphRuntime.ONNX_RUNTIME : ClassifierOptions.GraphRuntime.JAVA;
    StringBuilder md = new StringBuilder();
    String loadBefore = loadAverage();
    long rss0 = rssKb();

    long t0 = System.nanoTime();
    Classifier first = Classifier.load(modelDir, new ClassifierOptions(1, 0, runtime));
    double loadColdMs = (System.nanoTime() - t0) / 1e6;
    first.close();
    t0 = System.nanoTime();
    Classifier clf = Classifier.load(modelDir, new ClassifierOptions(1, 0, runtime));
    double loadWarmMs = (System.nanoTime() - t0) / 1e6;
    long rssLoaded = rssKb();

    List<String[]> latencyRows = new ArrayList<>();
    boolean isStatic = Encoders.isStatic(clf.card().encoderId());
    // The static encoder takes microseconds: many more samples, so p99 means something.
    int scale = isStatic ? 20 : 1;
    WordPieceTokenizer tok = WordPieceTokenizer.fromClasspath(EncoderVariant.QUANTIZED.tokenizerResource());
    try {
      for (int[] spec : new int[][] {{20, 300}, {256, 200}, {1000, 100}, {4096, 50}}) {
        List<String> prompts = prompts(tok, spec[0], 16, spec[0]);
        String prompt = prompts.get(0);
        int actual = tok.encode(prompt).length;
        // PromptText keeps the first and last 8,192 characters of longer texts; the rest is not embedded.
        int embedded = tok.encode(dev.switchboard.classifier.text.PromptText.of(ScoringInput.ofText(prompt)).embedText()).length;
        int n = spec[1] * scale;
        double[][] lc = latencies(clf, prompts, 30 * scale, n);
        double[] lat = lc[0];
        double[] cpu = lc[1];
        latencyRows.add(new String[] {String.valueOf(spec[0]), String.valueOf(actual),
            String.valueOf(isStatic ? embedded : Math.min(embedded, MiniLmEncoder.MAX_TOKENS)), ms(pct(lat, 50)), ms(pct(lat, 90)),
            ms(pct(lat, 99)), ms(lat[lat.length - 1]), ms(pct(cpu, 50)), ms(pct(cpu, 99)), String.valueOf(n)});
      }
      // The same calls with 2 ONNX Runtime threads per call (classifier.intra_op_threads: 2): lower
      // latency for long prompts on an idle machine, at the price of both cores per call.
      List<String[]> twoOpRows = new ArrayList<>();
      try (Classifier two = Classifier.load(modelDir, new ClassifierOptions(2, 0, runtime))) {
        for (int[] spec : new int[][] {{20, 300}, {256, 200}}) {
          double[] lat = latencies(two, prompts(tok, spec[0], 16, spec[0]), 30 * scale, spec[1] * scale)[0];
          twoOpRows.add(new String[] {String.valueOf(spec[0]), ms(pct(lat, 50)), ms(pct(lat, 90)), ms(pct(lat, 99)),
              ms(lat[lat.length - 1]), String.valueOf(spec[1] * scale)});
        }
      }

      // Batch throughput: 64 distinct ~50-token prompts per call, cache off.
      List<ScoringInput> batch = new ArrayList<>();
      for (int i = 0; i < 64; i++) {
        batch.add(ScoringInput.ofText(promptOfTokens(tok, 50, 1000 + i)));
      }
      clf.scoreBatch(batch);
      int rounds = 5;
      t0 = System.nanoTime();
      for (int r = 0; r < rounds; r++) {
        clf.scoreBatch(batch);
      }
      double batchPerSec = rounds * batch.size() / ((System.nanoTime() - t0) / 1e9);

      // Two request threads, one intra-op thread each (the router's configuration on 2 cores).
      ExecutorService pool = Executors.newFixedThreadPool(2);
      List<Future<?>> fs = new ArrayList<>();
      t0 = System.nanoTime();
      for (int w = 0; w < 2; w++) {
        final int off = w;
        fs.add(pool.submit(() -> {
          for (int r = 0; r < rounds; r++) {
            for (int i = off; i < batch.size(); i += 2) {
              clf.score(batch.get(i));
            }
          }
        }));
      }
      for (Future<?> f : fs) {
        f.get(10, TimeUnit.MINUTES);
      }
      double twoThreadsPerSec = rounds * batch.size() / ((System.nanoTime() - t0) / 1e9);
      pool.shutdown();

      // Cache hits.
      double[] hit;
      try (Classifier cached = Classifier.load(modelDir, new ClassifierOptions(1, 10_000, runtime))) {
        ScoringInput in = ScoringInput.ofText(promptOfTokens(tok, 256, 7));
        cached.score(in);
        hit = new double[20_000];
        for (int i = 0; i < 2_000; i++) {
          cached.score(in);
        }
        for (int i = 0; i < hit.length; i++) {
          long s = System.nanoTime();
          cached.score(in);
          hit[i] = (System.nanoTime() - s) / 1e3;
        }
        Arrays.sort(hit);
      }
      long rssEnd = rssKb();

      md.append("# Classifier scoring benchmark — ").append(LocalDate.now(ZoneOffset.UTC)).append("\n\n");
      md.append("- Runtime of the static encoder and the router graph: ").append(runtime == ClassifierOptions.GraphRuntime.JAVA
          ? "plain Java (JavaGraph; the gateway's default)" : "ONNX Runtime through DJL").append("\n");
      md.append("- Machine: ").append(cpuModel()).append(", nproc ").append(Runtime.getRuntime().availableProcessors())
          .append("; load average (1/5/15 min) before ").append(loadBefore).append(", after ").append(loadAverage())
          .append(" — the machine is shared, so a load above nproc inflates every number below\n");
      md.append("- JVM: ").append(System.getProperty("java.vm.name")).append(' ').append(System.getProperty("java.version"))
          .append(", max heap ").append(Runtime.getRuntime().maxMemory() >> 20).append(" MB\n");
      md.append("- Model: `").append(modelDir).append("` (").append(clf.card().candidateNames()).append(")\n");
      md.append("- Encoder: ").append(clf.card().encoderId()).append(isStatic ? " (distilled table, Java WordPiece)" : "")
          .append(" via DJL OnnxRuntime (ONNX Runtime ")
          .append(ai.onnxruntime.OrtEnvironment.class.getPackage().getImplementationVersion())
          .append("), intra-op threads 1, one encoder call per prompt (`score`)")
          .append(isStatic ? " and per batch (`scoreBatch`)\n" : "; `scoreBatch` batches the router graph only\n");
      md.append("- Command: `bench/classifier.sh`\n\n");
      md.append("## Latency, 1 thread, cache off (`Classifier.score`)\n\n");
      md.append("| target tokens | prompt tokens | tokens encoded | wall p50 ms | wall p90 ms | wall p99 ms | wall max ms | CPU p50 ms | CPU p99 ms | n |\n|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|\n");
      for (String[] r : latencyRows) {
        md.append("| ").append(String.join(" | ", r)).append(" |\n");
      }
      md.append("\nTargets (static encoder, one thread): p99 <= 1 ms at 256 tokens and <= 3 ms at 4,096 tokens. The static encoder"
          + " embeds every token of the prompt text; MiniLM cuts prompts to 256 tokens (head 128 + tail 128)."
          + " Prompts: 16 per length, scored in turn, of random words from bench/words.txt (one token each: a"
          + " 256-token prompt has ~170 distinct tokens, as real ones do)."
          + " CPU = the scoring thread's CPU time (ONNX Runtime with 1 intra-op thread and the tokenizer run on the caller),"
          + " i.e. the latency on an idle core; wall time includes waiting for a core on this shared machine.\n\n");
      md.append("## Latency with 2 intra-op threads, 1 calling thread, cache off\n\n");
      md.append("| target tokens | wall p50 ms | wall p90 ms | wall p99 ms | wall max ms | n |\n|---:|---:|---:|---:|---:|---:|\n");
      for (String[] r : twoOpRows) {
        md.append("| ").append(String.join(" | ", r)).append(" |\n");
      }
      md.append("\n`classifier.intra_op_threads: 2` (with `workers: 1`): one prompt uses both cores. Not the router's default,"
          + " which keeps one core per worker for throughput under load.\n\n");
      md.append("## Throughput (~50-token prompts, cache off)\n\n");
      md.append(String.format(Locale.ROOT, "| mode | prompts/s |\n|---|---:|\n| `scoreBatch` of 64, 1 thread | %.0f |\n| `score`, 2 threads | %.0f |\n\n",
          batchPerSec, twoThreadsPerSec));
      md.append("## Cache hit (`score` of a cached 256-token prompt)\n\n");
      md.append(String.format(Locale.ROOT, "p50 %.1f us, p99 %.1f us, max %.1f us (n=%d). Target <= 50 us.\n\n",
          pct(hit, 50), pct(hit, 99), hit[hit.length - 1], hit.length));
      md.append("## Load time and memory\n\n");
      md.append(String.format(Locale.ROOT, "| | value |\n|---|---:|\n| first `Classifier.load` (engine + natives + encoder + heads) | %.0f ms |\n"
          + "| second `Classifier.load` (same JVM) | %.0f ms |\n| RSS before load | %d MB |\n| RSS after load | %d MB |\n| RSS at end | %d MB |\n",
          loadColdMs, loadWarmMs, rss0 >> 10, rssLoaded >> 10, rssEnd >> 10));
    } finally {
      clf.close();
    }
    Files.createDirectories(outFile.toAbsolutePath().getParent());
    Files.writeString(outFile, md.toString());
    System.out.print(md);
  }

  /** A text whose tokenisation (with [CLS]/[SEP]) has at least {@code tokens} ids, usually exactly. */
  /** A prompt of exactly {@code tokens} tokens ([CLS] and [SEP] included): random words, one token each. */
  static String promptOfTokens(WordPieceTokenizer tok, int tokens, long seed) {
    java.util.Random r = new java.util.Random(seed);
    StringBuilder sb = new StringBuilder();
    for (int i = 0; i < tokens - 2; i++) {
      sb.append(i == 0 ? "" : " ").append(WORDS.get(r.nextInt(WORDS.size())));
    }
    String p = sb.toString();
    if (tok.encode(p).length != tokens) {
      throw new IllegalStateException("bench/words.txt has a word that is not one token");
    }
    return p;
  }

  private static List<String> prompts(WordPieceTokenizer tok, int tokens, int count, long seed) {
    List<String> out = new ArrayList<>();
    for (int i = 0; i < count; i++) {
      out.add(promptOfTokens(tok, tokens, seed * 1000 + i));
    }
    return out;
  }

  private static List<String> words(Path file) {
    try {
      return Files.readAllLines(file).stream().filter(l -> !l.isBlank() && !l.startsWith("#")).toList();
    } catch (java.io.IOException e) {
      throw new java.io.UncheckedIOException("run from the repository root (bench/classifier.sh does): " + file, e);
    }
  }


  /**
   * {wall ms sorted, thread-CPU ms sorted}. With one intra-op thread ONNX Runtime and the
   * tokenizer run on the calling thread, so its CPU time is the latency an idle core would give;
   * on a shared, overloaded machine it is the more telling number.
   */
  /** Cache off: each call scores the next of {@code prompts} (distinct texts, so distinct table rows). */
  private static double[][] latencies(Classifier clf, List<String> prompts, int warmup, int n) {
    List<ScoringInput> in = prompts.stream().map(ScoringInput::ofText).toList();
    for (int i = 0; i < warmup; i++) {
      clf.score(in.get(i % in.size()));
    }
    ThreadMXBean mx = ManagementFactory.getThreadMXBean();
    double[] lat = new double[n];
    double[] cpu = new double[n];
    for (int i = 0; i < n; i++) {
      long c = mx.getCurrentThreadCpuTime();
      long s = System.nanoTime();
      clf.score(in.get(i % in.size()));
      lat[i] = (System.nanoTime() - s) / 1e6;
      cpu[i] = (mx.getCurrentThreadCpuTime() - c) / 1e6;
    }
    Arrays.sort(lat);
    Arrays.sort(cpu);
    return new double[][] {lat, cpu};
  }

  private static double pct(double[] sorted, double p) {
    int idx = (int) Math.ceil(p / 100.0 * sorted.length) - 1;
    return sorted[Math.max(0, Math.min(sorted.length - 1, idx))];
  }

  private static String ms(double v) {
    return String.format(Locale.ROOT, "%.2f", v);
  }

  private static long rssKb() {
    try {
      for (String line : Files.readAllLines(Path.of("/proc/self/status"))) {
        if (line.startsWith("VmRSS:")) {
          return Long.parseLong(line.replaceAll("\\D", ""));
        }
      }
    } catch (IOException | NumberFormatException e) {
      return -1;
    }
    return -1;
  }

  private static String loadAverage() {
    try {
      String[] f = Files.readString(Path.of("/proc/loadavg")).trim().split("\\s+");
      return f[0] + "/" + f[1] + "/" + f[2];
    } catch (IOException e) {
      return "unknown";
    }
  }

  private static String cpuModel() {
    try {
      return Files.readAllLines(Path.of("/proc/cpuinfo")).stream().filter(l -> l.startsWith("model name"))
          .map(l -> l.substring(l.indexOf(':') + 1).trim()).findFirst().orElse("unknown CPU");
    } catch (IOException e) {
      return "unknown CPU";
    }
  }
}
