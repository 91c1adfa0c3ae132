package dev.switchboard.eval.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.switchboard.eval.run.EvalCommand;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

/** {@code switchboard eval} with the shipped classifier on the shipped AlpacaEval 2.0 test split. */
class ShippedModelEvalTest {

  @Test
  void shippedClassifierOnShippedDataset() throws Exception {
    Path root = Paths.get(System.getProperty("switchboard.repo.root", ".."));
    Path dataset = root.resolve("datasets/alpacaeval2.parquet");
    Path model = root.resolve("models/default");
    assumeTrue(Files.isRegularFile(dataset) && Files.isDirectory(model), "shipped data not present");
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
  }
}
