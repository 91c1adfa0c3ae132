package dev.switchboard.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.switchboard.classifier.heads.TrainConfig;
import dev.switchboard.classifier.learn.Family;
import dev.switchboard.classifier.learn.RouterTrainer;
import dev.switchboard.classifier.train.TrainPipeline;
import dev.switchboard.classifier.train.TrainRequest;
import dev.switchboard.cli.eval.EvalCommand;
import dev.switchboard.cli.tune.TuneCommand;
import dev.switchboard.dataset.RoutingRow;
import dev.switchboard.dataset.parquet.RoutingDatasets;
import dev.switchboard.eval.run.SyntheticRouting;
import dev.switchboard.routing.Policy;
import dev.switchboard.routing.PolicyFiles;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * eval and tune end to end through picocli, on a synthetic Parquet dataset and a real classifier
 * trained on it with the classifier module's pipeline (MiniLM + heads + ONNX).
 */
class EvalTuneCommandTest {

  static Path root;
  static Path dataset;
  static Path model;

  @BeforeAll
  static void setUp() throws Exception {
    root = Files.createTempDirectory("sb-evalcli");
    dataset = root.resolve("synthetic.parquet");
    List<RoutingRow> rows = new ArrayList<>(SyntheticRouting.rows(450, 5));
    // a fourth model the classifier is not trained on
    for (RoutingRow r : SyntheticRouting.rows(450, 5)) {
      if (r.model().equals("tiny-1b")) {
        rows.add(new RoutingRow(r.promptId(), r.prompt(), r.messagesJson(), r.category(), r.split(), "extra-4b",
            r.quality(), r.inputTokens(), r.outputTokens(), r.costUsd() * 2, r.source()));
      }
    }
    RoutingDatasets.write(dataset, rows);
    model = root.resolve("models/syn");
    TrainPipeline.run(new TrainRequest(List.of(dataset), rows, SyntheticRouting.MODELS, 0.5, "static",
        new RouterTrainer.Options(3, 42, List.of(Family.values()), new TrainConfig(16, 1e-2, 3e-3, 16, 60, 10, 42, 1.0), 2),
        root.resolve("cache"), null, model, "synthetic", "synthetic quality", "test"), s -> {});
  }


  static CliRun run(Object command, String... args) {
    return CliRun.command(command, args);
  }

  String[] evalArgs(Path out, String... extra) {
    List<String> a = new ArrayList<>(List.of("--dataset", dataset.toString(), "--classifier", model.toString(),
        "--cache-dir", root.resolve("scores").toString(), "--bootstrap", "200", "--out", out.toString()));
    a.addAll(List.of(extra));
    return a.toArray(new String[0]);
  }

  /** Issue #17: the report projects monthly cost and savings at the volume the reader sets. */
  @Test
  void eval_monthlyRequests_projectsTheRoutersMonthlyCost() throws Exception {
    Path out = root.resolve("reports/monthly");
    CliRun r = run(new EvalCommand(), evalArgs(out, "--monthly-requests", "250000"));
    assertEquals(0, r.code(), r.err());
    JsonNode router = new ObjectMapper().readTree(out.resolve("metrics.json").toFile()).get("policies").get("router");
    String md = Files.readString(out.resolve("report.md"));
    assertTrue(md.contains("At 250,000 requests a month"), md);
    String monthly = String.format(java.util.Locale.ROOT, "$%,.0f", router.get("cost_per_1k").asDouble() / 1000 * 250_000);
    assertTrue(md.contains("| Eval-driven router (reported setting) | ") && md.contains(monthly), monthly + " in " + md);
    assertTrue(md.contains("Latency: Choosing a model means scoring the prompt"), md);
    assertTrue(Files.readString(out.resolve("report.html")).contains("id=\"router-did\""));

    CliRun zero = run(new EvalCommand(), evalArgs(root.resolve("reports/zero"), "--monthly-requests", "0"));
    assertEquals(2, zero.code(), zero.err());
    assertTrue(zero.err().contains("--monthly-requests must be at least 1, was 0"), zero.err());
  }

  @Test
  void evalWritesAllOutputs() throws Exception {
    Path out = root.resolve("reports/syn");
    CliRun r = run(new EvalCommand(), evalArgs(out));
    assertEquals(0, r.code(), r.err());
    assertTrue(r.out().contains("router  APGR"), r.out());
    for (String f : List.of("report.html", "report.md", "metrics.json", "decisions.parquet")) {
      assertTrue(Files.size(out.resolve(f)) > 0, f);
    }
    JsonNode m = new ObjectMapper().readTree(out.resolve("metrics.json").toFile());
    assertEquals(List.of("tiny-1b", "mid-8b", "big-70b"),
        List.of(m.get("candidates").get(0).asText(), m.get("candidates").get(1).asText(), m.get("candidates").get(2).asText()));
    JsonNode router = m.get("policies").get("router");
    for (String k : List.of("apgr", "apgr_ci", "cpt50", "cpt80", "aiq", "savings_at_95", "savings_at_99",
        "mean_quality", "cost_per_1k", "call_share")) {
      assertTrue(router.has(k), k);
    }
    assertTrue(router.get("apgr").isNumber());
    assertEquals(41, router.get("sweep").size()); // 4 x 10 bins + 1
    String html = Files.readString(out.resolve("report.html"));
    assertFalse(html.contains("<script"), "no scripts");
    assertFalse(html.contains("http://") && html.replace("http://www.w3.org/2000/svg", "").contains("http://"), "no network");
    assertTrue(html.contains("switchboard eval --dataset"));
    int prompts = m.get("meta").get("prompts").asInt();
    try (Connection c = DriverManager.getConnection("jdbc:duckdb:");
        ResultSet rs = c.createStatement().executeQuery("SELECT count(*), count(DISTINCT chosen_model), "
            + "sum(CASE WHEN quality = CASE chosen_model WHEN 'tiny-1b' THEN quality__tiny_1b WHEN 'mid-8b' THEN quality__mid_8b "
            + "ELSE quality__big_70b END THEN 1 ELSE 0 END) FROM read_parquet('" + out.resolve("decisions.parquet") + "')")) {
      rs.next();
      assertEquals(prompts, rs.getInt(1));
      assertEquals(prompts, rs.getInt(3));
    }
    // second run is served from the score cache and gives the same numbers
    Path again = root.resolve("reports/again");
    assertEquals(0, run(new EvalCommand(), evalArgs(again)).code());
    JsonNode m2 = new ObjectMapper().readTree(again.resolve("metrics.json").toFile());
    assertEquals(m.get("policies").get("router").get("apgr_ci"), m2.get("policies").get("router").get("apgr_ci"));
    assertEquals(m.get("policies").get("random").get("apgr"), m2.get("policies").get("random").get("apgr"));
  }

  @Test
  void tuneWritesAPolicyMeetingTheTargetAndEvalUsesIt() throws Exception {
    Path policyFile = root.resolve("policies/syn.yaml");
    CliRun r = run(new TuneCommand(), "--dataset", dataset.toString(), "--classifier", model.toString(),
        "--cache-dir", root.resolve("scores").toString(), "--target", "quality=0.9", "--out", policyFile.toString());
    assertEquals(0, r.code(), r.err());
    Policy p = PolicyFiles.read(policyFile);
    assertEquals(Policy.Kind.QUALITY_THRESHOLD, p.kind());
    assertEquals(List.of("tiny-1b", "mid-8b", "big-70b"), p.candidates().stream().map(Policy.Candidate::model).toList());
    assertTrue(p.validation().qualityFraction() >= 0.9 - 1e-9, "validation " + p.validation());
    assertEquals("test", p.test().split());
    assertEquals("validation", p.tunedOn().split());
    assertTrue(r.out().contains("test       quality"), r.out());
    // the prices come from the fit of the recorded costs (the card has none here): big-70b is 5 $/M in
    assertEquals(5.0, p.candidates().get(2).inputPricePerMtok(), 1e-6);

    Path out = root.resolve("reports/with-policy");
    CliRun e = run(new EvalCommand(), evalArgs(out, "--policy", policyFile.toString()));
    assertEquals(0, e.code(), e.err());
    JsonNode m = new ObjectMapper().readTree(out.resolve("metrics.json").toFile());
    // eval on the test split reproduces the test point tune printed: same Selection function
    assertEquals(p.test().meanQuality(), m.get("policies").get("tuned").get("mean_quality").asDouble(), 1e-12);

    CliRun cheap = run(new TuneCommand(), "--dataset", dataset.toString(), "--classifier", model.toString(),
        "--cache-dir", root.resolve("scores").toString(), "--target", "cost=0.0002", "--out", root.resolve("policies/cheap.yaml").toString());
    assertEquals(0, cheap.code(), cheap.err());
    assertTrue(PolicyFiles.read(root.resolve("policies/cheap.yaml")).validation().costPerRequestUsd() <= 0.0002);
  }

  @Test
  void userErrorsAreOneLineWithoutStackTraces() {
    CliRun missing = run(new EvalCommand(), evalArgs(root.resolve("x"), "--candidates", "tiny-1b,gpt-9"));
    assertEquals(2, missing.code());
    assertTrue(missing.err().startsWith("error: " + dataset + " has no rows for model gpt-9 in split 'test'"), missing.err());
    CliRun split = run(new EvalCommand(), evalArgs(root.resolve("x"), "--split", "dev"));
    assertEquals(2, split.code());
    assertEquals("error: split 'dev' of " + dataset + " is empty (splits present: test, train, validation)", split.err().trim());
    CliRun notScored = run(new EvalCommand(), evalArgs(root.resolve("x"), "--candidates", "tiny-1b,extra-4b"));
    assertEquals(2, notScored.code());
    assertEquals("error: classifier " + model + " does not score extra-4b (its candidates: tiny-1b, mid-8b, big-70b)",
        notScored.err().trim());
    CliRun badTarget = run(new TuneCommand(), "--dataset", dataset.toString(), "--classifier", model.toString(),
        "--target", "speed=9", "--out", root.resolve("p.yaml").toString());
    assertEquals(2, badTarget.code());
    assertEquals("error: --target must be quality=F or cost=USD, was 'speed=9'", badTarget.err().trim());
    CliRun noClassifier = run(new EvalCommand(), "--dataset", dataset.toString(), "--classifier", root.resolve("nope").toString(),
        "--out", root.resolve("x").toString());
    assertEquals(2, noClassifier.code());
    assertEquals("error: --classifier: model directory " + root.resolve("nope") + " does not exist; fix the path (expected card.json"
        + " + classifier.onnx written by `./switchboard train --out DIR`)", noClassifier.err().trim());
    for (CliRun r : List.of(missing, split, notScored, badTarget, noClassifier)) {
      assertFalse(r.err().contains("\tat "), r.err());
    }
  }
}
