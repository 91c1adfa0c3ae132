package dev.switchboard.cli.train;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.switchboard.classifier.Classifier;
import dev.switchboard.classifier.ClassifierOptions;
import dev.switchboard.classifier.base.ScoringInput;
import dev.switchboard.cli.CliRun;
import dev.switchboard.dataset.RoutingRow;
import dev.switchboard.dataset.parquet.RoutingDatasets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** {@code switchboard train} end to end on a small Parquet dataset written with the real writer. */
class TrainCommandTest {

  static Path dir;
  static Path dataset;


  static CliRun run(String... args) {
    return CliRun.command(new TrainCommand(), args);
  }

  /** Maths/code prompts: the cheap model fails; chit-chat: it is fine. */
  static List<RoutingRow> rows(boolean withTest) {
    Random r = new Random(3);
    String[] easy = {"Suggest a name for my %d-th goldfish.", "What is a fun weekend idea number %d?", "Say hi to friend %d."};
    String[] hard = {"Prove that the sum of the first %d odd numbers is a square.", "Implement an AVL tree with %d-way fan-out in C++.",
        "Solve x^2 - %dx + 6 = 0 and show every step."};
    List<RoutingRow> rows = new ArrayList<>();
    for (int i = 0; i < 48; i++) {
      boolean isHard = i % 2 == 0;
      String prompt = String.format((isHard ? hard : easy)[i % 3], i + 2);
      String split = i < 30 ? "train" : i < 39 ? "validation" : withTest ? "test" : "validation";
      double cheapQ = isHard ? 0.1 + r.nextDouble() * 0.2 : 0.8 + r.nextDouble() * 0.2;
      rows.add(new RoutingRow("p" + i, prompt, null, null, split, "small-model", cheapQ, 12, 100, 0.0001, "test"));
      rows.add(new RoutingRow("p" + i, prompt, null, null, split, "big-model", 0.7, 12, 150, 0.01, "test"));
      rows.add(new RoutingRow("p" + i, prompt, null, null, split, "other-model", 0.5, 12, 150, 0.001, "test"));
    }
    return rows;
  }

  @BeforeAll
  static void writeDataset() throws Exception {
    dir = Files.createTempDirectory("sb-train-cmd");
    dataset = dir.resolve("tiny.parquet");
    RoutingDatasets.write(dataset, rows(true));
  }

  @Test
  void trainsWritesOnnxAndCardAndTheModelLoads() throws Exception {
    Path out = dir.resolve("model");
    CliRun r = run("--dataset", dataset.toString(), "--candidates", "big-model,small-model", "--epochs", "30",
        "--hidden", "8", "--lr", "0.01", "--seed", "7", "--folds", "3", "--rationale", "tiny test",
        "--semantics", "synthetic grades", "--out", out.toString());
    assertEquals(0, r.code(), r.err());
    assertTrue(r.out().contains("candidates (cheapest first): [small-model, big-model]"), r.out());
    assertTrue(r.out().contains("cross-validating the model family (3 folds on 30 train prompts"), r.out());
    assertTrue(r.out().contains("the IRT head also learns from 1 other models"), r.out());
    JsonNode card = new ObjectMapper().readTree(out.resolve("card.json").toFile());
    assertEquals("small-model", card.at("/candidates/0/model").asText());
    assertEquals(0.5, card.get("threshold").asDouble());
    assertEquals(7, card.get("seed").asInt());
    assertEquals("tiny test", card.get("candidates_rationale").asText());
    assertEquals(64, card.at("/dataset/sha256").asText().length());
    assertTrue(card.at("/metrics/difficulty/auc_vs_cheapest_fails").isNumber());
    assertEquals(10, card.at("/metrics/calibration").size());
    assertTrue(card.at("/metrics/quality/small-model/mae").isNumber());
    assertEquals("synthetic grades", card.at("/labels/semantics").asText());
    assertEquals("static", card.at("/encoder/kind").asText());
    // every family tried is on the record with its scores, exactly one chosen, the chosen one named
    JsonNode cands = card.at("/router/candidates");
    assertTrue(cands.size() >= 4, cands.toString());
    int chosen = 0;
    for (JsonNode c : cands) {
      assertTrue(c.path("cv_score").isNumber() && c.path("validation_score").isNumber() && c.path("test_score").isNumber(), c.toString());
      if (c.path("chosen").asBoolean()) {
        chosen++;
        assertEquals(card.at("/router/chosen").asText(), c.path("name").asText());
      }
    }
    assertEquals(1, chosen);
    assertTrue(card.at("/irt/abilities/big-model").isNumber());
    assertTrue(card.at("/command").asText().startsWith("./switchboard train --dataset"));
    try (Classifier c = Classifier.load(out, new ClassifierOptions(1, 0))) {
      double hard = c.score(ScoringInput.ofText("Prove that the sum of the first 99 odd numbers is a square.")).difficulty();
      double easy = c.score(ScoringInput.ofText("Say hi to friend 99.")).difficulty();
      assertTrue(hard > easy, hard + " vs " + easy);
    }
  }

  @Test
  void unknownEncoderIsAClearError() {
    CliRun r = run("--dataset", dataset.toString(), "--encoder", "bert-huge", "--out", dir.resolve("e").toString());
    assertEquals(2, r.code());
    assertTrue(r.err().contains("unknown encoder 'bert-huge'") && r.err().contains("static, minilm"), r.err());
  }

  @Test
  void unknownFamilyIsAClearError() {
    CliRun r = run("--dataset", dataset.toString(), "--families", "prior,forest", "--out", dir.resolve("f").toString());
    assertEquals(2, r.code());
    assertTrue(r.err().contains("--families") && r.err().contains("forest"), r.err());
  }

  @Test
  void emptyDatasetIsAClearError() throws Exception {
    Path empty = dir.resolve("empty.parquet");
    RoutingDatasets.write(empty, List.of());
    CliRun r = run("--dataset", empty.toString(), "--out", dir.resolve("g").toString());
    assertEquals(2, r.code());
    assertTrue(r.err().contains("empty.parquet has no rows"), r.err());
  }

  @Test
  void missingDatasetIsAClearError() {
    CliRun r = run("--dataset", dir.resolve("nope.parquet").toString(), "--out", dir.resolve("x").toString());
    assertEquals(2, r.code());
    assertTrue(r.err().contains("dataset") && r.err().contains("nope.parquet") && r.err().contains("not found"), r.err());
  }

  @Test
  void unknownCandidateIsAClearError() {
    CliRun r = run("--dataset", dataset.toString(), "--candidates", "big-model,gpt-9", "--out", dir.resolve("y").toString());
    assertEquals(2, r.code());
    assertTrue(r.err().contains("candidate 'gpt-9' is not in dataset") && r.err().contains("small-model"), r.err());
  }

  @Test
  void emptySplitIsAClearError() throws Exception {
    Path noTest = dir.resolve("no-test.parquet");
    RoutingDatasets.write(noTest, rows(false));
    CliRun r = run("--dataset", noTest.toString(), "--candidates", "big-model,small-model", "--out", dir.resolve("z").toString());
    assertEquals(2, r.code());
    assertTrue(r.err().contains("split 'test'") && r.err().contains("is empty"), r.err());
  }
}
