package dev.switchboard.dataset.importer;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.switchboard.dataset.ModelPrices;
import dev.switchboard.dataset.RoutingRow;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.function.Function;
import java.util.stream.Collectors;
import java.util.zip.GZIPOutputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class DatasetImporterTest {

  @TempDir Path dir;

  /** A row in the source-folder schema (model_id, *_cl100k tokens, est_cost_usd). */
  private static String sourceRow(String pid, String model, String modelId, Object quality, Double cost) {
    return String.format(
        "{\"dataset\":\"unit\",\"prompt_id\":\"%s\",\"prompt\":\"Prompt %s\",\"model\":\"%s\",\"model_id\":%s,"
            + "\"quality\":%s,\"prompt_tokens_cl100k\":10,\"response_tokens_cl100k\":100,\"est_cost_usd\":%s,"
            + "\"subset\":\"s-%s\"}",
        pid, pid, model, modelId == null ? "null" : "\"" + modelId + "\"", quality, cost, pid.substring(0, 1));
  }

  private Path write(String name, List<String> lines) throws IOException {
    Path f = dir.resolve(name);
    Files.write(f, lines, StandardCharsets.UTF_8);
    return f;
  }

  private Path writeGz(String name, List<String> lines) throws IOException {
    Path f = dir.resolve(name);
    try (OutputStream out = new GZIPOutputStream(Files.newOutputStream(f))) {
      out.write((String.join("\n", lines) + "\n").getBytes(StandardCharsets.UTF_8));
    }
    return f;
  }

  private static ImportOptions opts(List<Path> in, ModelPrices prices, Set<String> exclude, String categoryField) {
    return new ImportOptions(in, prices, 0.2, 0.1, 42, exclude, categoryField, null, false, null, 10);
  }

  @Test
  void badRowsAreReportedWithLineNumbersAndReasons() throws IOException {
    Path f = write("mixed.jsonl", List.of(
        sourceRow("a1", "m", null, 0.5, 0.001),                          // 1 ok
        "{not json",                                                    // 2 bad json
        "",                                                             // 3 blank: not a row
        "{\"prompt\":\"x\",\"model\":\"m\",\"quality\":0.5}",           // 4 no prompt_id
        "{\"prompt_id\":\"a2\",\"prompt\":\"x\",\"quality\":0.5}",      // 5 no model
        sourceRow("a3", "m", null, "null", 0.001),                       // 6 quality null
        sourceRow("a4", "m", null, 1.5, 0.001),                          // 7 quality out of range
        sourceRow("a5", "unpriced", null, 0.5, null),                    // 8 no cost, no price
        sourceRow("a1", "m", null, 0.9, 0.001),                          // 9 duplicate of line 1
        "[1,2]",                                                        // 10 not an object
        sourceRow("a6", "m", null, "\"high\"", 0.001)));                 // 11 quality not a number
    DatasetImporter.Result r = DatasetImporter.importRows(opts(List.of(f), null, Set.of(), null));
    assertEquals(1, r.rows().size());
    ImportReport rep = r.report();
    assertEquals(10, rep.linesRead());
    assertEquals(9, rep.rejectedCount());
    assertEquals(List.of("mixed.jsonl:2", "mixed.jsonl:10"),
        rep.rejected().get(RejectReason.BAD_JSON).examples().stream().map(s -> s.split(": ")[0]).toList());
    assertLine(rep, RejectReason.MISSING_PROMPT_ID, "mixed.jsonl:4");
    assertLine(rep, RejectReason.MISSING_MODEL, "mixed.jsonl:5");
    assertLine(rep, RejectReason.QUALITY_MISSING, "mixed.jsonl:6");
    assertLine(rep, RejectReason.QUALITY_OUT_OF_RANGE, "mixed.jsonl:7");
    assertLine(rep, RejectReason.NO_COST_NO_PRICE, "mixed.jsonl:8");
    assertLine(rep, RejectReason.DUPLICATE, "mixed.jsonl:9");
    assertLine(rep, RejectReason.QUALITY_NOT_A_NUMBER, "mixed.jsonl:11");
    assertTrue(rep.rejected().get(RejectReason.DUPLICATE).examples().get(0).contains("first at mixed.jsonl:1"));
    assertEquals(Map.of("unpriced", 1), rep.unpricedModels());
    String text = rep.render();
    assertTrue(text.contains("QUALITY_OUT_OF_RANGE") && text.contains("mixed.jsonl:7"), text);
  }

  private static void assertLine(ImportReport rep, RejectReason reason, String where) {
    ImportReport.Rejections r = rep.rejected().get(reason);
    assertEquals(1, r == null ? 0 : r.count(), reason + " count");
    assertTrue(r.examples().get(0).startsWith(where), reason + ": " + r.examples());
  }

  @Test
  void exampleListIsCappedButCountIsNot() throws IOException {
    List<String> lines = new ArrayList<>();
    for (int i = 0; i < 25; i++) {
      lines.add("{bad " + i);
    }
    ImportOptions o = new ImportOptions(List.of(write("bad.jsonl", lines)), null, 0.2, 0.1, 42, Set.of(), null, null,
        false, null, 3);
    ImportReport rep = DatasetImporter.importRows(o).report();
    assertEquals(25, rep.rejected().get(RejectReason.BAD_JSON).count());
    assertEquals(3, rep.rejected().get(RejectReason.BAD_JSON).examples().size());
    assertTrue(rep.render().contains("... and 22 more"));
  }

  @Test
  void splitIsStableAcrossRunsIndependentOfRowOrderAndSharedByAllModelsOfAPrompt() throws IOException {
    List<String> lines = new ArrayList<>();
    for (int p = 0; p < 300; p++) {
      for (String m : List.of("m1", "m2", "m3")) {
        lines.add(sourceRow("p" + p, m, null, 0.5, 0.001));
      }
    }
    List<String> shuffled = new ArrayList<>(lines);
    Collections.shuffle(shuffled, new Random(7));
    Map<String, String> a = splits(DatasetImporter.importRows(opts(List.of(write("a.jsonl", lines)), null, Set.of(), null)).rows());
    Map<String, String> b = splits(DatasetImporter.importRows(opts(List.of(write("b.jsonl", shuffled)), null, Set.of(), null)).rows());
    Map<String, String> again = splits(DatasetImporter.importRows(opts(List.of(write("a.jsonl", lines)), null, Set.of(), null)).rows());
    assertEquals(a, b);
    assertEquals(a, again);
    Map<String, Long> counts = a.values().stream().collect(Collectors.groupingBy(Function.identity(), Collectors.counting()));
    // 300 prompts at 20%/10%: loose bounds, the hash is uniform but not exact
    assertTrue(counts.get("test") > 35 && counts.get("test") < 85, counts.toString());
    assertTrue(counts.get("validation") > 12 && counts.get("validation") < 50, counts.toString());
    // a different seed gives a different assignment
    ImportOptions seed7 = new ImportOptions(List.of(write("a.jsonl", lines)), null, 0.2, 0.1, 7, Set.of(), null, null,
        false, null, 10);
    assertTrue(!a.equals(splits(DatasetImporter.importRows(seed7).rows())));
  }

  /** prompt_id -> split, failing if two models of one prompt disagree. */
  private static Map<String, String> splits(List<RoutingRow> rows) {
    Map<String, String> m = new HashMap<>();
    for (RoutingRow r : rows) {
      String prev = m.putIfAbsent(r.promptId(), r.split());
      assertTrue(prev == null || prev.equals(r.split()), "prompt " + r.promptId() + " split across models");
    }
    return m;
  }

  @Test
  void existingSplitIsKeptForEveryRowOfThePromptAndConflictsAreRejected() throws IOException {
    Path f = write("split.jsonl", List.of(
        "{\"prompt_id\":\"x\",\"prompt\":\"q\",\"model\":\"m1\",\"quality\":1,\"input_tokens\":1,\"output_tokens\":2,\"cost_usd\":0.1,\"split\":\"dev\"}",
        "{\"prompt_id\":\"x\",\"prompt\":\"q\",\"model\":\"m2\",\"quality\":0,\"input_tokens\":1,\"output_tokens\":2,\"cost_usd\":0.1}",
        "{\"prompt_id\":\"x\",\"prompt\":\"q\",\"model\":\"m3\",\"quality\":0,\"input_tokens\":1,\"output_tokens\":2,\"cost_usd\":0.1,\"split\":\"test\"}",
        "{\"prompt_id\":\"y\",\"prompt\":\"q2\",\"model\":\"m1\",\"quality\":0,\"input_tokens\":1,\"output_tokens\":2,\"cost_usd\":0.1,\"split\":\"holdout\"}"));
    DatasetImporter.Result r = DatasetImporter.importRows(opts(List.of(f), null, Set.of(), null));
    assertEquals(List.of("validation", "validation"), r.rows().stream().map(RoutingRow::split).toList());
    assertEquals(List.of("m1", "m2"), r.rows().stream().map(RoutingRow::model).toList());
    assertLine(r.report(), RejectReason.SPLIT_CONFLICT, "split.jsonl:3");
    assertLine(r.report(), RejectReason.BAD_SPLIT, "split.jsonl:4");
  }

  @Test
  void costIsComputedFromRowPricesThenFromThePriceFile() throws IOException {
    Path prices = dir.resolve("prices.json");
    Files.writeString(prices, "{\"models\":{\"big-model\":{\"input_usd_per_mtok\":10,\"output_usd_per_mtok\":30,"
        + "\"price_is_proxy\":false,\"source\":\"test\",\"aliases\":[\"BigModel_v1\"]}}}");
    Path f = write("cost.jsonl", List.of(
        // row prices: (1000*2 + 500*4)/1e6
        "{\"prompt_id\":\"c1\",\"prompt\":\"q\",\"model\":\"any\",\"quality\":0.5,\"prompt_tokens_cl100k\":1000,"
            + "\"response_tokens_cl100k\":500,\"price_in_usd_per_mtok\":2,\"price_out_usd_per_mtok\":4}",
        // price file by id: (1000*10 + 500*30)/1e6
        "{\"prompt_id\":\"c1\",\"prompt\":\"q\",\"model\":\"big-model\",\"quality\":0.5,\"input_tokens\":1000,\"output_tokens\":500}",
        // price file by alias (no model_id): model keeps its source name
        "{\"prompt_id\":\"c2\",\"prompt\":\"q2\",\"model\":\"BigModel_v1\",\"quality\":0.5,\"input_tokens\":100,\"output_tokens\":0}",
        // explicit cost wins over prices
        "{\"prompt_id\":\"c2\",\"prompt\":\"q2\",\"model\":\"big-model\",\"quality\":0.5,\"input_tokens\":100,\"output_tokens\":5,\"cost_usd\":0.5}"));
    DatasetImporter.Result r = DatasetImporter.importRows(opts(List.of(f), ModelPrices.load(prices), Set.of(), null));
    assertEquals(4, r.rows().size(), r.report().render());
    assertEquals(0.004, r.rows().get(0).costUsd(), 1e-12);
    assertEquals(0.025, r.rows().get(1).costUsd(), 1e-12);
    assertEquals(0.001, r.rows().get(2).costUsd(), 1e-12);
    assertEquals("BigModel_v1", r.rows().get(2).model());
    assertEquals(0.5, r.rows().get(3).costUsd());
    // without the price file the price-less rows are rejected, not dropped
    DatasetImporter.Result noPrices = DatasetImporter.importRows(opts(List.of(f), null, Set.of(), null));
    assertEquals(2, noPrices.report().rejected().get(RejectReason.NO_COST_NO_PRICE).count());
  }

  @Test
  void gzipAndPlainInputGiveTheSameRowsAndModelIdWinsOverModel() throws IOException {
    List<String> lines = List.of(
        sourceRow("g1", "gpt4_1106_preview", "gpt-4-1106-preview", 0.5, 0.002),
        sourceRow("g1", "weird-model", null, 0.25, 0.001),
        sourceRow("h2", "gpt4_1106_preview", "gpt-4-1106-preview", 0.75, 0.003));
    // gzip detected from content, whatever the name says
    Path gz = writeGz("data.jsonl.gz", lines);
    Path gzNoExt = writeGz("data-without-extension", lines);
    Path plain = write("data.jsonl", lines);
    List<RoutingRow> fromGz = DatasetImporter.importRows(opts(List.of(gz), null, Set.of(), "subset")).rows();
    assertEquals(fromGz, DatasetImporter.importRows(opts(List.of(gzNoExt), null, Set.of(), "subset")).rows());
    List<RoutingRow> fromPlain = DatasetImporter.importRows(opts(List.of(plain), null, Set.of(), "subset")).rows();
    assertEquals(fromGz, fromPlain);
    assertEquals(List.of("gpt-4-1106-preview", "weird-model", "gpt-4-1106-preview"),
        fromGz.stream().map(RoutingRow::model).toList());
    RoutingRow first = fromGz.get(0);
    assertEquals("s-g", first.category());
    assertEquals("unit", first.source());
    assertEquals(10, first.inputTokens());
    assertEquals(100, first.outputTokens());
    assertNull(first.messagesJson());
  }

  @Test
  void excludedModelsAreCountedByNameNotRejected() throws IOException {
    Path f = write("ex.jsonl", List.of(
        sourceRow("e1", "NullModel", null, 0.9, 0.0),
        sourceRow("e1", "alpaca-7b_concise", "alpaca-7b", 0.1, 0.0),
        sourceRow("e1", "alpaca-7b", "alpaca-7b", 0.2, 0.0)));
    DatasetImporter.Result r = DatasetImporter.importRows(
        opts(List.of(f), null, Set.of("NullModel", "alpaca-7b_concise"), null));
    assertEquals(1, r.rows().size());
    assertEquals(0.2, r.rows().get(0).quality());
    assertEquals(Map.of("NullModel", 1, "alpaca-7b_concise", 1), r.report().excludedByModel());
    assertEquals(0, r.report().rejectedCount());
  }

  @Test
  void messagesGiveThePromptAndMissingTokensCanBeEstimated() throws IOException {
    Path f = write("chat.jsonl", List.of(
        "{\"prompt_id\":\"t1\",\"model\":\"m\",\"quality\":1,\"cost_usd\":0.1,\"category\":\"chat\",\"source\":\"mine\","
            + "\"messages\":[{\"role\":\"system\",\"content\":\"be brief\"},{\"role\":\"user\",\"content\":\"first\"},"
            + "{\"role\":\"assistant\",\"content\":\"ok\"},{\"role\":\"user\",\"content\":[{\"type\":\"text\",\"text\":\"你好 world!!\"}]}]}",
        "{\"prompt_id\":\"t2\",\"model\":\"m\",\"quality\":1,\"cost_usd\":0.1,\"messages\":\"not json\"}"));
    DatasetImporter.Result strict = DatasetImporter.importRows(opts(List.of(f), null, Set.of(), null));
    assertEquals(0, strict.rows().size());
    assertEquals(1, strict.report().rejected().get(RejectReason.MISSING_TOKENS).count());
    assertEquals(1, strict.report().rejected().get(RejectReason.BAD_MESSAGES).count());

    ImportOptions lenient = new ImportOptions(List.of(f), null, 0.2, 0.1, 42, Set.of(), null, null, true, 64L, 10);
    RoutingRow r = DatasetImporter.importRows(lenient).rows().get(0);
    assertEquals("你好 world!!", r.prompt());
    assertTrue(r.messagesJson().startsWith("[{\"role\":\"system\""));
    assertEquals(2 + 2, r.inputTokens(), "2 Han characters + ceil(8 other chars / 4)");
    assertEquals(64, r.outputTokens());
    assertEquals("chat", r.category());
    assertEquals("mine", r.source());
  }

  @Test
  void missingInputFileIsAClearError() {
    Path missing = dir.resolve("does-not-exist.jsonl");
    DatasetImportException e = assertThrows(DatasetImportException.class,
        () -> DatasetImporter.importRows(opts(List.of(missing), null, Set.of(), null)));
    assertTrue(e.getMessage().contains(missing.toString()), e.getMessage());
  }

  @Test
  void brokenGzipIsAClearError() throws IOException {
    Path f = writeGz("broken.jsonl.gz", List.of(sourceRow("a", "m", null, 0.5, 0.1), sourceRow("b", "m", null, 0.5, 0.1)));
    byte[] bytes = Files.readAllBytes(f);
    Files.write(f, java.util.Arrays.copyOf(bytes, bytes.length / 2));
    DatasetImportException e = assertThrows(DatasetImportException.class,
        () -> DatasetImporter.importRows(opts(List.of(f), null, Set.of(), null)));
    assertTrue(e.getMessage().contains("broken.jsonl.gz"), e.getMessage());
  }

  @Test
  void fractionsAreValidated() {
    assertThrows(IllegalArgumentException.class,
        () -> new ImportOptions(List.of(), null, 0.8, 0.3, 1, Set.of(), null, null, false, null, 10));
  }
}
