package dev.switchboard.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.switchboard.cli.eval.EvalCommand;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.List;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

/** {@code switchboard eval} with the shipped classifier on the shipped AlpacaEval 2.0 test split. */
class ShippedModelEvalTest {

  @Test
  void shippedClassifierOnShippedDataset() throws Exception {
    Path root = Paths.get(System.getProperty("switchboard.repo.root", ".."));
    Path dataset = root.resolve("datasets/alpacaeval2.parquet");
    Path model = root.resolve("models/default");
    assertTrue(Files.isRegularFile(dataset) && Files.isDirectory(model), "the shipped dataset and model are committed");
    Path out = Files.createTempDirectory("sb-shipped");
    StringWriter err = new StringWriter();
    CommandLine cl = new CommandLine(new EvalCommand());
    cl.setOut(new PrintWriter(new StringWriter()));
    cl.setErr(new PrintWriter(err));
    int code = cl.execute("--dataset", dataset.toString(), "--classifier", model.toString(), "--bootstrap", "300",
        "--cache-dir", out.resolve("cache").toString(), "--out", out.resolve("report").toString());
    assertEquals(0, code, err.toString());
    JsonNode m = new ObjectMapper().readTree(out.resolve("report/metrics.json").toFile());
    JsonNode p = m.get("policies");
    double random = m.get("two_model").get("random").get("apgr").asDouble();
    assertEquals(0.5, random, 0.06, "random routing averages APGR 0.5");
    assertTrue(m.get("two_model").get("oracle").get("apgr").asDouble() >= p.get("router").get("apgr").asDouble());
    assertTrue(p.get("oracle").get("aiq").asDouble() >= p.get("router").get("aiq").asDouble());
    assertEquals(0.0, p.get("single:" + m.get("best").asText()).get("savings_at_99").asDouble(), 1e-12);
    assertTrue(m.get("meta").get("prompts").asInt() > 100);
    // The baselines are always in the report: fitted on the train split, each compared with a paired interval.
    JsonNode b = m.get("baselines");
    assertEquals(List.of("baseline:prior", "baseline:knn", "baseline:logreg", "baseline:mlp"),
        java.util.stream.StreamSupport.stream(b.spliterator(), false).map(n -> n.get("id").asText()).toList());
    for (JsonNode n : b) {
      JsonNode ci = n.get("router_minus_baseline_aiq_ci");
      assertTrue(ci.get(0).asDouble() <= n.get("router_minus_baseline_aiq").asDouble()
          && n.get("router_minus_baseline_aiq").asDouble() <= ci.get(1).asDouble(), n.toString());
      assertEquals(p.get("router").get("aiq").asDouble() - n.get("aiq").asDouble(), n.get("router_minus_baseline_aiq").asDouble(), 1e-9);
      assertTrue(List.of("beats", "worse", "indistinguishable").contains(n.get("verdict").asText()), n.toString());
    }
  }
}
