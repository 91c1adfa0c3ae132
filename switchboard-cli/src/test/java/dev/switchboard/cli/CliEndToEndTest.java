package dev.switchboard.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.switchboard.dataset.RoutingDataset;
import dev.switchboard.dataset.RoutingRow;
import dev.switchboard.dataset.parquet.RoutingDatasets;
import dev.switchboard.routing.Policy;
import dev.switchboard.routing.PolicyFiles;
import java.io.BufferedWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/**
 * The whole offline loop a user runs, through the real command line ({@link SwitchboardCli#commandLine()},
 * in-process): {@code dataset import} a JSONL file in the importer's schema → {@code train} →
 * {@code tune --target quality=0.9} → {@code eval --policy}. The JSONL is a slice of the shipped
 * AlpacaEval 2.0 data (120 prompts × 3 models, real prompts, qualities and costs), so the encoder
 * really runs on 120 prompts and every file is produced by the same code a user's run goes through.
 */
class CliEndToEndTest {

  static final List<String> MODELS = List.of("mixtral-8x7b-instruct-v0.1", "claude-instant-1.2", "gpt-4-1106-preview");
  static final int PROMPTS = 120;


  static CliRun cli(String... args) {
    return CliRun.switchboard(args);
  }

  @Test
  void importTrainTuneEvalOnASliceOfTheShippedData() throws Exception {
    Path repo = Path.of(System.getProperty("switchboard.repo.root", ".."));
    Path shipped = repo.resolve("datasets/alpacaeval2.parquet");
    assertTrue(Files.isRegularFile(shipped), "the shipped dataset is committed: " + shipped.toAbsolutePath());
    Path dir = Files.createTempDirectory("sb-cli-e2e");
    Path jsonl = dir.resolve("scores.jsonl");
    int written = writeSlice(RoutingDatasets.read(shipped), jsonl);
    assertEquals(PROMPTS * MODELS.size(), written);
    // one unusable line: the importer must report it by reason and line, and keep the rest
    Files.writeString(jsonl, "{\"prompt_id\":\"bad-1\",\"prompt\":\"x\",\"model\":\"m\",\"quality\":1.5,"
        + "\"input_tokens\":1,\"output_tokens\":1,\"cost_usd\":0.1}\n", java.nio.file.StandardOpenOption.APPEND);

    // 1. dataset import: splits come from the seeded hash (the JSONL has none)
    Path dataset = dir.resolve("datasets/slice.parquet");
    CliRun imp = cli("dataset", "import", "--in", jsonl.toString(), "--out", dataset.toString(),
        "--validation-fraction", "0.25", "--test-fraction", "0.25", "--seed", "7");
    assertEquals(0, imp.code(), imp.err());
    assertTrue(imp.out().contains("rejected 1"), imp.out());
    assertTrue(imp.out().contains("scores.jsonl:" + (written + 1)), "the bad line is named: " + imp.out());
    RoutingDataset ds = RoutingDatasets.load(dataset);
    assertEquals(PROMPTS, ds.prompts().size());
    assertEquals(Set.copyOf(MODELS), Set.copyOf(ds.models()));
    Map<String, Integer> perSplit = ds.promptsPerSplit();
    for (String split : List.of("train", "validation", "test")) {
      assertTrue(perSplit.getOrDefault(split, 0) >= 15, "split " + split + " too small: " + perSplit);
    }

    // 2. train (few epochs at a high learning rate; a fresh embedding cache, so the encoder runs on all 120 prompts)
    Path model = dir.resolve("models/slice");
    CliRun train = cli("train", "--dataset", dataset.toString(), "--candidates", String.join(",", MODELS),
        "--epochs", "40", "--lr", "0.01", "--hidden", "8", "--cache-dir", dir.resolve("cache").toString(), "--out", model.toString());
    assertEquals(0, train.code(), train.err());
    Path onnx = model.resolve("classifier.onnx");
    assertTrue(Files.size(onnx) > 1000);
    String onnxSha = sha256(onnx);
    JsonNode card = new ObjectMapper().readTree(model.resolve("card.json").toFile());
    assertEquals(onnxSha, card.at("/onnx/sha256").asText());
    assertEquals(MODELS, List.of(card.at("/candidates/0/model").asText(), card.at("/candidates/1/model").asText(),
        card.at("/candidates/2/model").asText()), "candidates cheapest first");
    assertTrue(card.at("/command").asText().startsWith("./switchboard train --dataset "), card.at("/command").asText());

    // 3. tune for 90% of the best single model's quality on validation
    Path policyFile = dir.resolve("policies/slice.yaml");
    Path scores = dir.resolve("scores");
    CliRun tune = cli("tune", "--dataset", dataset.toString(), "--classifier", model.toString(),
        "--cache-dir", scores.toString(), "--target", "quality=0.9", "--out", policyFile.toString());
    assertEquals(0, tune.code(), tune.err());
    assertFalse(tune.err().contains("not reachable"), tune.err());
    Policy policy = PolicyFiles.read(policyFile);
    assertEquals(onnxSha, policy.classifier().sha256(), "the policy is bound to the classifier just trained");
    assertEquals(MODELS, policy.candidates().stream().map(Policy.Candidate::model).toList());
    assertTrue(policy.validation().qualityFraction() >= 0.9 - 1e-9, "target met on validation: " + policy.validation());
    assertEquals(perSplit.get("validation").intValue(), policy.validation().prompts());
    assertEquals(perSplit.get("test").intValue(), policy.test().prompts());

    // 4. eval with the tuned policy on the test split
    Path report = dir.resolve("reports/slice");
    CliRun eval = cli("eval", "--dataset", dataset.toString(), "--classifier", model.toString(), "--policy",
        policyFile.toString(), "--cache-dir", scores.toString(), "--bootstrap", "200", "--out", report.toString());
    assertEquals(0, eval.code(), eval.err());
    assertTrue(eval.out().contains("router  APGR"), eval.out());
    for (String f : List.of("report.html", "report.md", "metrics.json", "decisions.parquet")) {
      assertTrue(Files.size(report.resolve(f)) > 0, f);
    }
    JsonNode m = new ObjectMapper().readTree(report.resolve("metrics.json").toFile());
    assertEquals(onnxSha, m.at("/meta/classifier_sha256").asText());
    assertEquals(sha256(dataset), m.at("/meta/dataset_sha256").asText());
    assertEquals(perSplit.get("test").intValue(), m.at("/meta/prompts").asInt());
    assertEquals("./switchboard eval --dataset " + dataset + " --classifier " + model + " --policy " + policyFile
        + " --cache-dir " + scores + " --bootstrap 200 --out " + report, m.at("/meta/command").asText(),
        "the report names the command that reproduces it");
    for (String k : List.of("meta", "candidates", "weak", "strong", "best", "cheapest", "beats_random", "policies",
        "two_model")) {
      assertTrue(m.has(k), "metrics.json key " + k);
    }
    assertEquals("mixtral-8x7b-instruct-v0.1", m.get("weak").asText());
    JsonNode router = m.at("/policies/router");
    for (String k : List.of("apgr", "apgr_ci", "cpt50", "cpt80", "aiq", "savings_at_95", "savings_at_95_ci",
        "savings_at_99", "savings_at_99_ci", "mean_quality", "cost_per_1k", "call_share", "sweep")) {
      assertTrue(router.has(k), "router key " + k);
    }
    double lo = router.get("apgr_ci").get(0).asDouble();
    double hi = router.get("apgr_ci").get(1).asDouble();
    assertTrue(lo <= router.get("apgr").asDouble() && router.get("apgr").asDouble() <= hi, router.toString());
    assertEquals(lo > 0.5, m.get("beats_random").asBoolean(), "beats_random is the CI excluding 0.5");
    // eval reproduces on test exactly what tune predicted there: the same selection function
    assertEquals(policy.test().meanQuality(), m.at("/policies/tuned/mean_quality").asDouble(), 1e-12);
    try (Connection c = DriverManager.getConnection("jdbc:duckdb:");
        ResultSet rs = c.createStatement().executeQuery("SELECT count(*), count(policy_model), "
            + "sum(CASE WHEN policy_model IN ('" + String.join("','", MODELS) + "') THEN 1 ELSE 0 END) "
            + "FROM read_parquet('" + report.resolve("decisions.parquet") + "')")) {
      rs.next();
      assertEquals(perSplit.get("test").intValue(), rs.getInt(1));
      assertEquals(rs.getInt(1), rs.getInt(2), "every decision carries the policy's choice");
      assertEquals(rs.getInt(1), rs.getInt(3));
    }
    for (CliRun r : List.of(imp, train, tune, eval)) {
      assertFalse(r.err().contains("\tat "), r.err());
    }
  }

  /** The first {@link #PROMPTS} prompt ids (sorted) that have all {@link #MODELS}, as importer-schema JSONL without a split. */
  static int writeSlice(List<RoutingRow> rows, Path out) throws Exception {
    Map<String, List<RoutingRow>> byPrompt = rows.stream().filter(r -> MODELS.contains(r.model()))
        .collect(Collectors.groupingBy(RoutingRow::promptId, TreeMap::new, Collectors.toList()));
    List<RoutingRow> slice = new ArrayList<>();
    byPrompt.values().stream().filter(rs -> rs.size() == MODELS.size()).limit(PROMPTS).forEach(slice::addAll);
    ObjectMapper om = new ObjectMapper();
    try (BufferedWriter w = Files.newBufferedWriter(out)) {
      for (RoutingRow r : slice) {
        ObjectNode n = om.createObjectNode();
        n.put("prompt_id", r.promptId());
        n.put("prompt", r.prompt());
        if (r.category() != null) {
          n.put("category", r.category());
        }
        n.put("model", r.model());
        n.put("quality", r.quality());
        n.put("input_tokens", r.inputTokens());
        n.put("output_tokens", r.outputTokens());
        n.put("cost_usd", r.costUsd());
        n.put("source", "alpacaeval2-slice");
        w.write(om.writeValueAsString(n));
        w.newLine();
      }
    }
    return slice.size();
  }

  static String sha256(Path file) throws Exception {
    return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(Files.readAllBytes(file)));
  }
}
