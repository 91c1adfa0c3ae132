package dev.switchboard.router.cache;

import dev.switchboard.classifier.encoder.Encoder;
import dev.switchboard.classifier.encoder.Encoders;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

/**
 * Semantic lookup of the response cache (issue #16: p99 at most 1 ms over 100,000 cached entries).
 *
 * <p>Workload: {@code entries} cached prompts, all in <em>one</em> bucket (one tenant, one route, no system prompt, no
 * numbers: the worst case, since a lookup only scans its own bucket), embedded with the static encoder the cache uses
 * (every token). Prompts are 8 to 40 words of {@code bench/words.txt} drawn with a Zipf-like skew, and half begin with
 * one of 20 common openers ("write a short summary of ..."), so embeddings cluster as real prompts do rather than
 * spreading like random vectors. Queries alternate: a cached prompt reworded (words in another order, upper case: a
 * hit) and a fresh prompt (a miss, the slower case: nothing ends the scan early, which it never does anyway).
 * {@code lookup} is the index alone (SimHash scan plus exact cosines of the candidates); {@code embedAndLookup} adds
 * embedding the query, what a request pays.
 *
 * <p>Run: {@code flock -x /tmp/bench.lock env OUT=bench/results/cache-semantic-DATE.md bench/jmh.sh SemanticLookupBenchmark}
 * (from the checkout, whose {@code .switchboard/encoders} holds the static encoder).
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.SampleTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(value = 1, jvmArgs = {"-Xmx2g", "-XX:+UseParallelGC"})
public class SemanticLookupBenchmark {
  private static final String[] OPENERS = {"write a short summary of", "explain to a beginner", "what is the difference between",
      "give me three examples of", "how do i fix", "translate into plain words", "list the steps to", "compare", "why does",
      "help me write an email about", "what are the risks of", "describe", "make a plan for", "suggest a name for",
      "rewrite this more politely", "what should i know about", "outline an essay on", "draft a tweet about", "is it true that",
      "find the mistake in"};

  @Param({"100000"})
  public int entries;

  private Encoder encoder;
  private SemanticIndex index;
  private String[] queries;
  private float[][] queryVectors;
  private int next;
  private long hits;

  @Setup(Level.Trial)
  public void setUp() throws IOException {
    List<String> words = new ArrayList<>();
    for (String line : Files.readAllLines(Path.of("bench/words.txt"))) if (!line.startsWith("#") && !line.isBlank()) words.add(line.trim());
    encoder = Encoders.open(ResponseCache.ENCODER_ID, null, 1, s -> {});
    index = new SemanticIndex(encoder.dim(), 0.95);
    Random r = new Random(16);
    List<String> cached = new ArrayList<>(entries);
    for (int i = 0; i < entries; i++) {
      String p = prompt(r, words);
      cached.add(p);
      index.add(new CachedAnswer("team:bench", "k" + i, "bucket", p, encoder.encode(p).embedding(), new byte[0], 0, 0, 0, "d", Long.MAX_VALUE));
    }
    int n = 2048;
    queries = new String[n];
    queryVectors = new float[n][];
    for (int i = 0; i < n; i++) {
      String q;
      if (i % 2 == 0) {
        List<String> ws = new ArrayList<>(List.of(cached.get(r.nextInt(entries)).split(" ")));
        Collections.shuffle(ws, r);
        q = String.join("  ", ws).toUpperCase();
      } else {
        q = prompt(r, words);
      }
      queries[i] = q;
      queryVectors[i] = encoder.encode(q).embedding();
    }
  }

  private static String prompt(Random r, List<String> words) {
    StringBuilder b = new StringBuilder();
    if (r.nextBoolean()) b.append(OPENERS[r.nextInt(OPENERS.length)]);
    int n = 8 + r.nextInt(33);
    for (int i = 0; i < n; i++) {
      // Zipf-like: small indices far more often
      int w = (int) Math.min(words.size() - 1, Math.floor(Math.pow(words.size(), r.nextDouble())) - 1);
      if (b.length() > 0) b.append(' ');
      b.append(words.get(Math.max(0, w)));
    }
    return b.toString();
  }

  @TearDown(Level.Trial)
  public void tearDown() {
    System.out.println("\nhits: " + hits + " (counted by lookup only; half its queries are reworded cached prompts), index size " + index.size());
    encoder.close();
  }

  @Benchmark
  public Object lookup() {
    int i = next++ & (queries.length - 1);
    SemanticIndex.Match m = index.best("bucket", queryVectors[i], a -> true);
    if (m != null) hits++;
    return m;
  }

  @Benchmark
  public Object embedAndLookup() {
    int i = next++ & (queries.length - 1);
    return index.best("bucket", encoder.encode(queries[i]).embedding(), a -> true);
  }
}
