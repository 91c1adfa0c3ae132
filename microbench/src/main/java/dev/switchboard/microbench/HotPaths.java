package dev.switchboard.microbench;

import dev.switchboard.classifier.base.Hashing;
import dev.switchboard.classifier.base.ScoringInput;
import dev.switchboard.classifier.encoder.EncoderVariant;
import dev.switchboard.classifier.features.PromptFeatures;
import dev.switchboard.classifier.text.PromptText;
import dev.switchboard.classifier.text.WordPieceTokenizer;
import dev.switchboard.router.chat.ChatRequestParser;
import dev.switchboard.router.providers.sse.SseParser;
import dev.switchboard.router.requestlog.Redactor;
import dev.switchboard.routing.Decision;
import dev.switchboard.routing.Policy;
import dev.switchboard.routing.PolicyFiles;
import dev.switchboard.routing.Selection;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * The gateway's hot pure functions, one prompt size at a time: what a routed request pays besides
 * the ONNX calls. Prompts are random words of {@code bench/words.txt} (one token each), as in
 * bench/routing.sh; run from the repository root (bench/jmh.sh does).
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(value = 1, jvmArgs = {"-Xmx1g", "-XX:+UseParallelGC"})
public class HotPaths {

  @Param({"20", "256"})
  public int words;

  private String prompt;
  private byte[] body;
  private byte[] sse;
  private String prose;
  private WordPieceTokenizer tokenizer;
  private PromptText.View view;
  private Policy policy;
  private double[] predicted;

  @Setup
  public void setUp() throws Exception {
    List<String> vocab = Files.readAllLines(Path.of("bench/words.txt")).stream().filter(w -> !w.isBlank() && !w.startsWith("#")).toList();
    Random r = new Random(7);
    StringBuilder b = new StringBuilder();
    for (int i = 0; i < words; i++) {
      b.append(i == 0 ? "" : " ").append(vocab.get(r.nextInt(vocab.size())));
    }
    prompt = b.toString();
    body = ("{\"model\":\"auto\",\"messages\":[{\"role\":\"user\",\"content\":\"" + prompt + "\"}]}").getBytes(StandardCharsets.UTF_8);
    StringBuilder s = new StringBuilder();
    for (String w : prompt.split(" ")) {
      s.append("data: {\"choices\":[{\"index\":0,\"delta\":{\"content\":\"").append(w).append(" \"}}]}\n\n");
    }
    sse = s.append("data: [DONE]\n\n").toString().getBytes(StandardCharsets.UTF_8);
    prose = prompt + " Call me at (415) 555-0100 or write to jane@example.org.";
    tokenizer = WordPieceTokenizer.fromClasspath(EncoderVariant.QUANTIZED.tokenizerResource());
    view = PromptText.of(ScoringInput.ofText(prompt));
    policy = PolicyFiles.read(Path.of("policies/default.yaml"));
    predicted = new double[policy.candidates().size()];
    for (int i = 0; i < predicted.length; i++) {
      predicted[i] = 0.5 + 0.1 * i;
    }
  }

  @Benchmark
  public Object parseChatRequest() {
    return ChatRequestParser.parse(body);
  }

  @Benchmark
  public Object parseSseStream() {
    return new SseParser().feed(sse);
  }

  @Benchmark
  public String redact() {
    return Redactor.redact(prose);
  }

  @Benchmark
  public int[] tokenize() {
    return tokenizer.encode(prompt);
  }

  @Benchmark
  public double[] cheapFeatures() {
    return PromptFeatures.compute(view, words + 2);
  }

  @Benchmark
  public String cacheKey() {
    return Hashing.sha256Hex(body);
  }

  @Benchmark
  public Decision select() {
    return Selection.choose(policy, predicted, 0.4);
  }
}
