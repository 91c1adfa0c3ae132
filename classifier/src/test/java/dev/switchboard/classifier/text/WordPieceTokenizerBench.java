package dev.switchboard.classifier.text;

import ai.djl.huggingface.tokenizers.HuggingFaceTokenizer;
import dev.switchboard.dataset.RepoFiles;
import dev.switchboard.dataset.parquet.RoutingDatasets;
import dev.switchboard.dataset.RoutingRow;
import java.io.ByteArrayInputStream;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.function.ToIntFunction;

/**
 * Benchmark (not a test): microseconds per encode call of {@link WordPieceTokenizer} and of
 * DJL's HuggingFaceTokenizer, single thread, after warm-up, for prompts of about 20, 256 and 4,096
 * tokens cut from the shipped datasets' real prompts (alpacaeval2: English; routerdc_7x7b: code
 * first; "routerdc_7x7b CJK": its prompts that contain CJK ideographs), plus the head+tail
 * variant {@code encode(text, 256)}.
 *
 * <p>Run: {@code bench/tokenizer.sh} (builds offline, prints a Markdown table).
 */
public final class WordPieceTokenizerBench {

  private static final int[] TARGETS = {20, 256, 4096};
  private static final long WARMUP_NANOS = 2_000_000_000L;
  private static final long MEASURE_NANOS = 3_000_000_000L;

  private WordPieceTokenizerBench() {}

  public static void main(String[] args) throws Exception {
    String resource = DjlReference.RESOURCE;
    long t0 = System.nanoTime();
    WordPieceTokenizer ours = WordPieceTokenizer.fromClasspath(resource);
    long loadMs = (System.nanoTime() - t0) / 1_000_000;
    HuggingFaceTokenizer djl;
    try (InputStream in = WordPieceTokenizerBench.class.getClassLoader().getResourceAsStream(resource)) {
      djl = HuggingFaceTokenizer.newInstance(new ByteArrayInputStream(in.readAllBytes()),
          Map.of("addSpecialTokens", "true", "truncation", "false", "padding", "false",
              "maxLength", String.valueOf(Integer.MAX_VALUE / 2)));
    }
    System.out.println("CPU: " + cpuModel() + ", " + Runtime.getRuntime().availableProcessors() + " cores visible, Java "
        + System.getProperty("java.version") + "; WordPieceTokenizer load " + loadMs + " ms (first in JVM)");
    System.out.println();
    System.out.println("| corpus | tokens | chars | CJK chars | WordPieceTokenizer µs/call | ns/char | DJL µs/call | speed-up |");
    System.out.println("|---|---:|---:|---:|---:|---:|---:|---:|");
    for (String corpus : List.of("alpacaeval2", "routerdc_7x7b", "routerdc_7x7b CJK")) {
      String all = corpus(corpus.split(" ")[0], corpus.endsWith("CJK"));
      for (int target : TARGETS) {
        String text = prefixWithTokens(ours, all, target);
        int tokens = ours.encode(text).length;
        double mine = microsPerCall(s -> ours.encode(s).length, text);
        double theirs = microsPerCall(s -> djl.encode(s).getIds().length, text);
        System.out.printf(Locale.ROOT, "| %s | %d | %d | %.0f %% | %.2f | %.1f | %.1f | %.0fx |%n",
            corpus, tokens, text.length(), cjkPercent(text), mine, 1000 * mine / text.length(), theirs, theirs / mine);
      }
      String longest = prefixWithTokens(ours, all, 4096);
      double cut = microsPerCall(s -> ours.encode(s, 256).length, longest);
      System.out.printf(Locale.ROOT, "| %s, encode(text, 256) | 4096 -> 256 | %d | %.0f %% | %.2f | %.1f | | |%n",
          corpus, longest.length(), cjkPercent(longest), cut, 1000 * cut / longest.length());
    }
    djl.close();
  }

  /** Distinct prompts of one shipped dataset (only those with CJK chars if asked), joined by blank lines. */
  private static String corpus(String name, boolean cjkOnly) {
    Set<String> prompts = new LinkedHashSet<>();
    for (RoutingRow r : RoutingDatasets.read(RepoFiles.path("datasets/" + name + ".parquet"))) {
      if (!cjkOnly || cjkPercent(r.prompt()) > 0) {
        prompts.add(r.prompt());
      }
    }
    return String.join("\n\n", prompts);
  }

  /** The shortest prefix of {@code all} ending at a space whose encoding has at least {@code tokens} ids. */
  private static String prefixWithTokens(WordPieceTokenizer tok, String all, int tokens) {
    int lo = 1;
    int hi = all.length();
    while (lo < hi) {
      int mid = (lo + hi) >>> 1;
      if (tok.encode(all.substring(0, mid)).length >= tokens) {
        hi = mid;
      } else {
        lo = mid + 1;
      }
    }
    return all.substring(0, lo);
  }

  private static double microsPerCall(ToIntFunction<String> encode, String text) {
    long sink = 0;
    long end = System.nanoTime() + WARMUP_NANOS;
    while (System.nanoTime() < end) {
      sink += encode.applyAsInt(text);
    }
    long calls = 0;
    long start = System.nanoTime();
    end = start + MEASURE_NANOS;
    long now;
    do {
      for (int i = 0; i < 16; i++) {
        sink += encode.applyAsInt(text);
      }
      calls += 16;
      now = System.nanoTime();
    } while (now < end);
    if (sink == 42) {
      System.out.print("");
    }
    return (now - start) / 1000.0 / calls;
  }

  private static double cjkPercent(String text) {
    return 100.0 * text.codePoints().filter(BertUnicode::isChinese).count() / text.codePointCount(0, text.length());
  }

  private static String cpuModel() {
    try {
      return Files.readAllLines(Path.of("/proc/cpuinfo")).stream()
          .filter(l -> l.startsWith("model name"))
          .map(l -> l.substring(l.indexOf(':') + 1).trim())
          .findFirst().orElse("unknown");
    } catch (Exception e) {
      return "unknown";
    }
  }
}
