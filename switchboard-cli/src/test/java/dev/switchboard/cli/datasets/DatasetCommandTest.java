package dev.switchboard.cli.datasets;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.switchboard.cli.CliRun;
import dev.switchboard.dataset.RoutingDataset;
import dev.switchboard.dataset.parquet.RoutingDatasets;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.zip.GZIPOutputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Runs the real `dataset` commands end to end on small files and checks output and exit codes. */
class DatasetCommandTest {

  @TempDir Path dir;


  private static CliRun run(String... args) {
    return CliRun.command(new DatasetCommand(), args);
  }

  private Path scores() throws IOException {
    List<String> lines = new ArrayList<>();
    for (int p = 0; p < 40; p++) {
      lines.add(String.format("{\"dataset\":\"unit\",\"prompt_id\":\"p%d\",\"prompt\":\"Question %d\",\"model\":\"big\","
          + "\"model_id\":\"big-1\",\"quality\":%s,\"prompt_tokens_cl100k\":100,\"response_tokens_cl100k\":200,"
          + "\"est_cost_usd\":null,\"subset\":\"s%d\"}", p, p, p % 4 == 0 ? "0.4" : "0.9", p % 2));
      lines.add(String.format("{\"dataset\":\"unit\",\"prompt_id\":\"p%d\",\"prompt\":\"Question %d\",\"model\":\"small\","
          + "\"model_id\":null,\"quality\":%s,\"prompt_tokens_cl100k\":100,\"response_tokens_cl100k\":200,"
          + "\"price_in_usd_per_mtok\":0.1,\"price_out_usd_per_mtok\":0.2,\"subset\":\"s%d\"}", p, p,
          p % 2 == 0 ? "0.6" : "0.1", p % 2));
    }
    lines.add("{\"prompt_id\":\"broken\""); // line 81
    lines.add("{\"prompt_id\":\"p1\",\"prompt\":\"Question 1\",\"model\":\"small\",\"quality\":7,"
        + "\"prompt_tokens_cl100k\":1,\"response_tokens_cl100k\":1,\"cost_usd\":0.1}"); // line 82
    Path f = dir.resolve("scores.jsonl.gz");
    try (OutputStream o = new GZIPOutputStream(Files.newOutputStream(f))) {
      o.write((String.join("\n", lines) + "\n").getBytes(StandardCharsets.UTF_8));
    }
    return f;
  }

  private Path prices() throws IOException {
    Path f = dir.resolve("models.json");
    Files.writeString(f, "{\"models\":{\"big-1\":{\"input_usd_per_mtok\":10,\"output_usd_per_mtok\":30,"
        + "\"price_is_proxy\":false,\"source\":\"test\"}}}");
    return f;
  }

  @Test
  void importWritesTheDatasetAndReportsRejectedLines() throws IOException {
    Path out = dir.resolve("out/ds.parquet");
    CliRun r = run("import", "--in", scores().toString(), "--out", out.toString(), "--prices", prices().toString(),
        "--category-field", "subset", "--seed", "3");
    assertEquals(0, r.code(), r.err());
    assertTrue(r.out().contains("Read 82 rows: kept 80"), r.out());
    assertTrue(r.out().contains("scores.jsonl.gz:81"), r.out());
    assertTrue(r.out().contains("QUALITY_OUT_OF_RANGE") && r.out().contains("scores.jsonl.gz:82"), r.out());
    assertTrue(r.out().contains("40 prompts, 2 models"), r.out());
    RoutingDataset ds = RoutingDatasets.load(out);
    assertEquals(List.of("big-1", "small"), ds.models());
    // big-1: (100*10 + 200*30)/1e6 from the price file; small: from its row prices
    assertEquals(0.007, ds.cost("p0", "big-1").getAsDouble(), 1e-12);
    assertEquals(0.00005, ds.cost("p0", "small").getAsDouble(), 1e-12);
    assertEquals("s1", ds.prompt("p1").orElseThrow().category());
  }

  @Test
  void infoPrintsPerModelTableAndSplits() throws IOException {
    Path out = dir.resolve("ds.parquet");
    assertEquals(0, run("import", "--in", scores().toString(), "--out", out.toString(), "--prices", prices().toString()).code());
    CliRun r = run("info", out.toString(), "--threshold", "0.5");
    assertEquals(0, r.code(), r.err());
    assertTrue(r.out().contains("prompts 40, models 2, rows 80"), r.out());
    // big-1 adequate on 30 of 40 (quality 0.9 unless p % 4 == 0); small on 20 of 40
    assertTrue(r.out().lines().anyMatch(l -> l.contains("big-1") && l.contains("75.0%") && l.contains("0.007000")), r.out());
    assertTrue(r.out().lines().anyMatch(l -> l.contains("small") && l.contains("50.0%")), r.out());
    assertTrue(r.out().contains("train") && r.out().contains("validation") && r.out().contains("test"));
    // where big-1 fails (p % 4 == 0, even) small scores 0.6, so every prompt has an adequate model
    assertTrue(r.out().contains("at least one adequate model (quality >= 0.50): 40 (100.0%)"), r.out());
  }

  @Test
  void missingInputIsExitTwoWithAMessageAndNoStackTrace() {
    Path missing = dir.resolve("nope.jsonl");
    CliRun r = run("import", "--in", missing.toString(), "--out", dir.resolve("x.parquet").toString());
    assertEquals(2, r.code());
    assertTrue(r.err().contains("Input file not found: " + missing), r.err());
    assertFalse(r.err().contains("Exception") || r.err().contains("\tat "), r.err());
    assertFalse(Files.exists(dir.resolve("x.parquet")));
  }

  @Test
  void fileWithNoUsableRowsIsExitTwoAndWritesNothing() throws IOException {
    Path f = dir.resolve("junk.jsonl");
    Files.writeString(f, "not json\n{\"prompt_id\":\"a\"}\n");
    Path out = dir.resolve("junk.parquet");
    CliRun r = run("import", "--in", f.toString(), "--out", out.toString());
    assertEquals(2, r.code());
    assertTrue(r.out().contains("junk.jsonl:1") && r.out().contains("junk.jsonl:2"), r.out());
    assertTrue(r.err().contains("no usable rows"), r.err());
    assertFalse(Files.exists(out));
  }

  @Test
  void badOptionsAndUnreadableDatasetAreUserErrors() throws IOException {
    CliRun r = run("import", "--in", scores().toString(), "--out", dir.resolve("y.parquet").toString(),
        "--test-fraction", "0.9", "--validation-fraction", "0.5");
    assertEquals(2, r.code());
    assertTrue(r.err().contains("--test-fraction"), r.err());

    Path notParquet = dir.resolve("not.parquet");
    Files.writeString(notParquet, "hello");
    r = run("info", notParquet.toString());
    assertEquals(2, r.code());
    assertTrue(r.err().contains(notParquet.toString()), r.err());
    assertFalse(r.err().contains("\tat "), r.err());

    r = run("import", "--in", scores().toString(), "--out", dir.resolve("z.parquet").toString(), "--prices",
        dir.resolve("missing-prices.json").toString());
    assertEquals(2, r.code());
    assertTrue(r.err().contains("missing-prices.json"), r.err());
  }
}
