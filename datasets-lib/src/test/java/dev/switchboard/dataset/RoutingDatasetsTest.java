package dev.switchboard.dataset;

import dev.switchboard.dataset.parquet.RoutingDatasets;
import static dev.switchboard.dataset.TestRows.row;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.switchboard.dataset.parquet.ParquetFiles.ParquetFileException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class RoutingDatasetsTest {

  @TempDir Path dir;

  private static final List<RoutingRow> ROWS = List.of(
      new RoutingRow("p1", "Hello  there\n", "[{\"role\":\"user\",\"content\":\"Hello  there\\n\"}]", "chat", "train",
          "gpt-4-1106-preview", 0.75, 12, 340, 0.01032, "unit"),
      new RoutingRow("p1", "Hello  there\n", null, "chat", "train", "mistral-7b-instruct", 0.25, 12, 200, 0.0000424,
          "unit"),
      new RoutingRow("p2", "Ünïcödé 你好", null, null, "test", "gpt-4-1106-preview", 1.0, 5, 7, 0.00026, "unit"),
      new RoutingRow("p3", "third", null, "math", "validation", "mistral-7b-instruct", 0.0, 1, 1, 0.0000004, "unit"));

  @Test
  void roundTripKeepsEveryFieldIncludingNulls() {
    Path f = dir.resolve("sub/rt.parquet");
    RoutingDatasets.write(f, ROWS);
    assertEquals(ROWS, RoutingDatasets.read(f));
    assertFalse(Files.exists(dir.resolve("sub/rt.parquet.tmp")), "temp file is moved into place");
  }

  @Test
  void duckDbReadsTheSameRows() throws Exception {
    Path f = dir.resolve("duck.parquet");
    RoutingDatasets.write(f, ROWS);
    try (Connection c = DriverManager.getConnection("jdbc:duckdb:");
        Statement s = c.createStatement();
        ResultSet rs = s.executeQuery("SELECT count(*), avg(quality), sum(output_tokens), count(messages), "
            + "count(DISTINCT prompt_id) FROM '" + f + "'")) {
      assertTrue(rs.next());
      assertEquals(4, rs.getLong(1));
      assertEquals((0.75 + 0.25 + 1.0 + 0.0) / 4, rs.getDouble(2), 1e-12);
      assertEquals(340 + 200 + 7 + 1, rs.getLong(3));
      assertEquals(1, rs.getLong(4), "null messages stay null");
      assertEquals(3, rs.getLong(5));
    }
    try (Connection c = DriverManager.getConnection("jdbc:duckdb:");
        Statement s = c.createStatement();
        ResultSet rs = s.executeQuery("SELECT prompt, category FROM '" + f + "' WHERE prompt_id = 'p2'")) {
      assertTrue(rs.next());
      assertEquals("Ünïcödé 你好", rs.getString(1));
      assertEquals(null, rs.getString(2));
    }
  }

  @Test
  void missingFileErrorNamesTheFile() {
    Path f = dir.resolve("nope.parquet");
    ParquetFileException e = assertThrows(ParquetFileException.class, () -> RoutingDatasets.read(f));
    assertTrue(e.getMessage().contains(f.toString()), e.getMessage());
  }

  @Test
  void corruptFileErrorNamesTheFile() throws Exception {
    Path f = dir.resolve("corrupt.parquet");
    Files.writeString(f, "this is not parquet at all, just some text long enough to have a footer");
    ParquetFileException e = assertThrows(ParquetFileException.class, () -> RoutingDatasets.read(f));
    assertTrue(e.getMessage().contains(f.toString()), e.getMessage());
  }

  @Test
  void viewGroupsPromptsAndLooksUpQualityAndCost() {
    RoutingDataset ds = RoutingDataset.of(ROWS);
    assertEquals(List.of("p1", "p2", "p3"), ds.prompts().stream().map(RoutingDataset.Prompt::promptId).toList());
    assertEquals(List.of("gpt-4-1106-preview", "mistral-7b-instruct"), ds.models());
    assertEquals(0.25, ds.quality("p1", "mistral-7b-instruct").getAsDouble());
    assertTrue(ds.quality("p2", "mistral-7b-instruct").isEmpty());
    assertTrue(ds.quality("nope", "gpt-4-1106-preview").isEmpty());
    assertEquals(0.00026, ds.cost("p2", "gpt-4-1106-preview").getAsDouble());
    assertEquals(Map.of("train", 2, "validation", 1, "test", 1), ds.rowsPerSplit());
    assertEquals(Map.of("train", 1, "validation", 1, "test", 1), ds.promptsPerSplit());
    assertEquals(List.of("p2"), ds.prompts("test").stream().map(RoutingDataset.Prompt::promptId).toList());
    double[][] m = ds.qualityMatrix(ds.models());
    assertEquals(0.75, m[0][0]);
    assertTrue(Double.isNaN(m[1][1]));
    assertEquals(1, ds.withModels(List.of("mistral-7b-instruct")).split("train").rows().size());
  }

  @Test
  void viewRejectsDuplicatePromptModelRows() {
    List<RoutingRow> dup = List.of(row("a", "m", 0.1, 1, "train"), row("a", "m", 0.2, 1, "train"));
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> RoutingDataset.of(dup));
    assertTrue(e.getMessage().contains("prompt_id a"), e.getMessage());
  }

  @Test
  void statsCountAdequateAndCost() {
    DatasetStats s = DatasetStats.of(RoutingDataset.of(ROWS), 0.5);
    assertEquals(3, s.prompts());
    assertEquals(2, s.promptsWithAdequateModel(), "p1 and p2 have a model >= 0.5, p3 does not");
    DatasetStats.ModelStats cheap = s.perModel().get(0);
    assertEquals("mistral-7b-instruct", cheap.model());
    assertEquals(0.125, cheap.meanQuality(), 1e-12);
    assertEquals(0.0, cheap.adequateRate());
    assertEquals(1.0, s.perModel().get(1).adequateRate(), "gpt-4: 2 of 2 adequate");
  }
}
