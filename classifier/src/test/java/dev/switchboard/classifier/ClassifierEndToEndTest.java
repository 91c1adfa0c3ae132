package dev.switchboard.classifier;

import dev.switchboard.classifier.base.ClassifierException;
import dev.switchboard.classifier.base.Hashing;
import dev.switchboard.classifier.base.ScoringInput;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.switchboard.classifier.heads.TrainConfig;
import dev.switchboard.classifier.learn.Family;
import dev.switchboard.classifier.learn.RouterTrainer;
import dev.switchboard.classifier.train.TrainPipeline;
import dev.switchboard.classifier.train.TrainRequest;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** Train on a synthetic dataset, load the model directory through the public API, score. */
class ClassifierEndToEndTest {

  static Path root;
  static Path modelDir;
  static TrainPipeline.Result trained;
  static Classifier classifier;

  static TrainRequest request(Path out, long seed) {
    return new TrainRequest(List.of(root.resolve("synthetic.parquet")), SyntheticRouting.rows(1),
        List.of("strong", "cheap-a", "cheap-b"), 0.5, "static",
        new RouterTrainer.Options(3, seed, List.of(Family.values()), new TrainConfig(16, 1e-2, 3e-3, 16, 80, 15, seed, 1.0), 2),
        root.resolve("cache"), null, out, "test candidates", "synthetic quality", "test");
  }

  @BeforeAll
  static void train() throws IOException {
    root = Files.createTempDirectory("sb-e2e");
    Files.writeString(root.resolve("synthetic.parquet"), "stand-in for the dataset file (only hashed)");
    modelDir = root.resolve("model");
    trained = TrainPipeline.run(request(modelDir, 42), s -> {});
    classifier = Classifier.load(modelDir, new ClassifierOptions(1, 100));
  }

  @AfterAll
  static void close() {
    classifier.close();
  }

  @Test
  void cardDescribesCandidatesCheapestFirstAndHashesTheOnnxFile() throws IOException {
    ClassifierCard card = classifier.card();
    assertEquals(List.of("cheap-a", "cheap-b", "strong"), card.candidateNames());
    assertEquals(0.5, card.threshold());
    assertEquals(Hashing.sha256Hex(Files.readAllBytes(modelDir.resolve("classifier.onnx"))), card.onnxSha256());
    assertEquals(List.of("chat", "technical"), card.features().categories());
    assertTrue(card.json().path("metrics").path("calibration").size() == 10);
    double auc = trained.card().path("metrics").path("difficulty").path("auc_vs_cheapest_fails").asDouble();
    assertTrue(auc > 0.9, "synthetic task is learnable, difficulty AUC " + auc);
    assertEquals("static", card.json().path("encoder").path("kind").asText());
    assertEquals(card.json().path("router").path("chosen").asText(),
        card.json().path("router").path("candidates").findParents("chosen").stream()
            .filter(n -> n.path("chosen").asBoolean()).findFirst().orElseThrow().path("name").asText());
  }

  @Test
  void hardPromptsScoreHigherThanEasyOnesAndQualityFollows() {
    Scores hard = classifier.score(ScoringInput.ofText("Implement a persistent segment tree in Rust and prove its bounds."));
    Scores easy = classifier.score(ScoringInput.ofText("Can you suggest a nice song for a sunny morning?"));
    assertTrue(hard.difficulty() > easy.difficulty() + 0.3, hard + " vs " + easy);
    assertTrue(easy.quality("cheap-a") > hard.quality("cheap-a"));
    assertEquals(3, hard.quality().length);
    assertThrows(ClassifierException.class, () -> hard.quality("gpt-9"));
  }

  @Test
  void batchEqualsSingleAndCacheReturnsSameScores() {
    List<ScoringInput> in = List.of(ScoringInput.ofText("What is 17 * 23 + 4?"),
        ScoringInput.ofMessages("[{\"role\":\"system\",\"content\":\"You are terse.\"},{\"role\":\"user\",\"content\":\"Hi there!\"}]"),
        ScoringInput.ofText("Tell me about owls.", "chat"));
    List<Scores> batch = classifier.scoreBatch(in);
    try (Classifier fresh = Classifier.load(modelDir, new ClassifierOptions(1, 0))) {
      for (int i = 0; i < in.size(); i++) {
        Scores single = fresh.score(in.get(i));
        assertEquals(single.difficulty(), batch.get(i).difficulty(), 1e-6);
        assertArrayEquals(single.quality(), batch.get(i).quality(), 1e-6);
      }
    }
    assertSame(batch.get(0), classifier.score(in.get(0)), "second call is a cache hit");
    assertNotEquals(classifier.score(ScoringInput.ofText("Tell me about owls.", "technical")).difficulty(),
        batch.get(2).difficulty(), "category is part of the input (and the cache key)");
  }

  @Test
  void concurrentScoringMatchesSequential() throws Exception {
    List<String> prompts = new ArrayList<>();
    for (int i = 0; i < 24; i++) {
      prompts.add((i % 2 == 0 ? "Prove lemma " : "Suggest a snack number ") + i);
    }
    double[] expected;
    try (Classifier seq = Classifier.load(modelDir, new ClassifierOptions(1, 0))) {
      expected = prompts.stream().mapToDouble(p -> seq.score(ScoringInput.ofText(p)).difficulty()).toArray();
    }
    try (Classifier shared = Classifier.load(modelDir, new ClassifierOptions(1, 0))) {
      ExecutorService pool = Executors.newFixedThreadPool(4);
      try {
        List<Future<Double>> fs = new ArrayList<>();
        for (String p : prompts) {
          fs.add(pool.submit(() -> shared.score(ScoringInput.ofText(p)).difficulty()));
        }
        for (int i = 0; i < prompts.size(); i++) {
          assertEquals(expected[i], fs.get(i).get(60, TimeUnit.SECONDS), 1e-6);
        }
      } finally {
        pool.shutdownNow();
      }
    }
  }

  @Test
  void badInputsGiveTypedExceptions() {
    assertThrows(ClassifierException.class, () -> classifier.score(ScoringInput.ofText("   ")));
    assertThrows(ClassifierException.class, () -> classifier.score(ScoringInput.ofMessages("[]")));
    ClassifierException json = assertThrows(ClassifierException.class, () -> classifier.score(ScoringInput.ofMessages("[{\"role\":")));
    assertTrue(json.getMessage().contains("messages"), json.getMessage());
    ClassifierException content = assertThrows(ClassifierException.class,
        () -> classifier.score(ScoringInput.ofMessages("[{\"role\":\"user\",\"content\":42}]")));
    assertTrue(content.getMessage().contains("messages[0].content"), content.getMessage());
    ClassifierException utf8 = assertThrows(ClassifierException.class,
        () -> ScoringInput.fromUtf8(new byte[] {'h', 'i', (byte) 0xC3, (byte) 0x28}, null));
    assertTrue(utf8.getMessage().contains("UTF-8"), utf8.getMessage());
    ClassifierException batch = assertThrows(ClassifierException.class,
        () -> classifier.scoreBatch(List.of(ScoringInput.ofText("ok"), ScoringInput.ofText(""))));
    assertTrue(batch.getMessage().startsWith("inputs[1]"), batch.getMessage());
  }

  @Test
  void hugeAndMalformedTextIsScoredNotCrashed() {
    String mb = "Explain this log line. ".repeat((1 << 20) / 23 + 1);
    assertTrue(mb.length() >= 1 << 20);
    Scores big = classifier.score(ScoringInput.ofText(mb));
    assertTrue(big.difficulty() >= 0 && big.difficulty() <= 1);
    Scores lone = classifier.score(ScoringInput.ofText("broken \uD800 surrogate and \uDC00 another"));
    Scores replaced = classifier.score(ScoringInput.ofText("broken \uFFFD surrogate and \uFFFD another"));
    assertEquals(replaced.difficulty(), lone.difficulty(), 1e-9, "lone surrogates are read as U+FFFD");
    Scores valid = classifier.score(ScoringInput.fromUtf8("naïve café \uD83D\uDE00".getBytes(StandardCharsets.UTF_8), null));
    assertTrue(valid.difficulty() >= 0 && valid.difficulty() <= 1);
  }

  @Test
  void retrainingWithTheSameSeedIsBitIdentical() throws IOException {
    TrainPipeline.Result again = TrainPipeline.run(request(root.resolve("again"), 42), s -> {});
    assertArrayEquals(Files.readAllBytes(trained.onnxFile()), Files.readAllBytes(again.onnxFile()));
    TrainPipeline.Result other = TrainPipeline.run(request(root.resolve("other"), 7), s -> {});
    assertNotEquals(Hashing.sha256Hex(Files.readAllBytes(trained.onnxFile())),
        Hashing.sha256Hex(Files.readAllBytes(other.onnxFile())));
  }

  static Path copyModel(String name) throws IOException {
    Path dir = root.resolve(name);
    Files.createDirectories(dir);
    Files.copy(modelDir.resolve("card.json"), dir.resolve("card.json"));
    Files.copy(modelDir.resolve("classifier.onnx"), dir.resolve("classifier.onnx"));
    return dir;
  }

  static ClassifierException loadFails(Path dir) {
    return assertThrows(ClassifierException.class, () -> Classifier.load(dir, ClassifierOptions.defaults()));
  }

  @Test
  void brokenModelDirectoriesGiveMessagesNamingTheFileOrField() throws IOException {
    Path missing = copyModel("missing-onnx");
    Files.delete(missing.resolve("classifier.onnx"));
    assertTrue(loadFails(missing).getMessage().contains("has card.json but no classifier.onnx"), loadFails(missing).getMessage());

    Path noCard = copyModel("no-card");
    Files.delete(noCard.resolve("card.json"));
    assertTrue(loadFails(noCard).getMessage().contains("card.json"));

    Path corrupt = copyModel("corrupt");
    byte[] bytes = Files.readAllBytes(corrupt.resolve("classifier.onnx"));
    Files.write(corrupt.resolve("classifier.onnx"), java.util.Arrays.copyOf(bytes, bytes.length / 3));
    assertTrue(loadFails(corrupt).getMessage().contains("onnx.sha256"));

    // Corrupt ONNX whose hash the card matches: the runtime itself must reject it cleanly.
    Path garbage = copyModel("garbage");
    byte[] junk = "definitely not protobuf".getBytes(StandardCharsets.UTF_8);
    Files.write(garbage.resolve("classifier.onnx"), junk);
    ObjectMapper om = new ObjectMapper();
    ObjectNode card = (ObjectNode) om.readTree(garbage.resolve("card.json").toFile());
    ((ObjectNode) card.get("onnx")).put("sha256", Hashing.sha256Hex(junk));
    om.writeValue(garbage.resolve("card.json").toFile(), card);
    assertTrue(loadFails(garbage).getMessage().contains("classifier.onnx"));

    Path extra = copyModel("extra-candidate");
    ObjectNode c2 = (ObjectNode) om.readTree(extra.resolve("card.json").toFile());
    ((ArrayNode) c2.get("candidates")).addObject().put("model", "gpt-9");
    om.writeValue(extra.resolve("card.json").toFile(), c2);
    String msg = loadFails(extra).getMessage();
    assertTrue(msg.contains("4 candidates") && msg.contains("3 quality columns"), msg);

    Path noField = copyModel("no-threshold");
    ObjectNode c3 = (ObjectNode) om.readTree(noField.resolve("card.json").toFile());
    c3.remove("threshold");
    om.writeValue(noField.resolve("card.json").toFile(), c3);
    assertTrue(loadFails(noField).getMessage().contains("'threshold'"));

    Path badJson = copyModel("bad-json");
    Files.writeString(badJson.resolve("card.json"), "{ not json");
    assertTrue(loadFails(badJson).getMessage().contains("card.json"));
  }
}
