package dev.switchboard.dataset.recorded;

import dev.switchboard.dataset.parquet.ParquetRecordedAnswers;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.switchboard.dataset.RepoFiles;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ParquetRecordedAnswersTest {

  private static final Path FILE = RepoFiles.path("datasets/recorded/answers.parquet");
  private static final String MODEL = "fusechat-gemma-2-9b-instruct";
  private static final String PROMPT_ID = "ae-fb5e4d4705fb";

  private static RecordedAnswers answers;
  private static String expectedPrompt;
  private static String expectedResponse;
  private static long expectedOutputTokens;

  @BeforeAll
  static void load() throws Exception {
    answers = ParquetRecordedAnswers.load(FILE);
    // The expected values come from the committed file through DuckDB, an independent reader.
    try (Connection c = DriverManager.getConnection("jdbc:duckdb:");
        PreparedStatement s = c.prepareStatement(
            "SELECT prompt, response, output_tokens FROM '" + FILE + "' WHERE model = ? AND prompt_id = ?")) {
      s.setString(1, MODEL);
      s.setString(2, PROMPT_ID);
      try (ResultSet rs = s.executeQuery()) {
        assertTrue(rs.next(), "the committed file has " + MODEL + "'s answer to " + PROMPT_ID);
        expectedPrompt = rs.getString(1);
        expectedResponse = rs.getString(2);
        expectedOutputTokens = rs.getLong(3);
        assertFalse(rs.next());
      }
    }
  }

  @Test
  void knownAlpacaEvalPromptReturnsThatModelsRealResponse() {
    assertEquals("What are the names of some famous actors that started their careers on Broadway?", expectedPrompt);
    RecordedAnswer a = answers.find(MODEL, expectedPrompt).orElseThrow();
    assertEquals(expectedResponse, a.response());
    assertTrue(a.response().startsWith("Many renowned actors honed their craft on the grand stages of Broadway"));
    assertEquals(MODEL, a.model());
    assertEquals(PROMPT_ID, a.promptId());
    assertEquals(expectedOutputTokens, a.outputTokens());
  }

  @Test
  void whitespaceVariantsOfThePromptStillMatch() {
    String variant = "  What are the names of some\r\nfamous actors   that started their careers\ton Broadway?\n";
    assertEquals(expectedResponse, answers.find(MODEL, variant).orElseThrow().response());
  }

  @Test
  void unknownPromptOrModelIsEmpty() {
    assertTrue(answers.find(MODEL, "What are the names of some famous actors that started on Broadway?").isEmpty());
    assertTrue(answers.find("no-such-model", expectedPrompt).isEmpty());
    assertTrue(answers.find(MODEL, null).isEmpty());
  }

  @Test
  void modelsUseTheRoutingDatasetNamesAndExcludeJudgeAttacks() {
    assertTrue(answers.models().contains("gpt-4-1106-preview"));
    assertTrue(answers.models().contains("claude-2.1"), "arena-bench answers are there too");
    assertFalse(answers.models().contains("NullModel"));
    assertFalse(answers.models().contains("gpt4_gamed"));
    assertFalse(answers.models().contains("gpt4_1106_preview"), "source names are mapped to model_id");
  }

  @Test
  void firstRowWinsWhenPromptsNormaliseToTheSameKey(@TempDir Path dir) {
    Path f = dir.resolve("a.parquet");
    ParquetRecordedAnswers.write(f, List.of(
        new AnswerRow("m", "p1", "Hi  there", "first", 2, 1, "t"),
        new AnswerRow("m", "p2", "Hi there", "second", 2, 1, "t"),
        new AnswerRow("n", "p1", "Hi  there", "other model", 2, 3, "t")));
    ParquetRecordedAnswers a = ParquetRecordedAnswers.load(f);
    assertEquals(2, a.size());
    assertEquals("first", a.find("m", "Hi there").orElseThrow().response());
    assertEquals("other model", a.find("n", " Hi there ").orElseThrow().response());
    assertEquals(List.of("m", "n"), List.copyOf(a.models()));
  }
}
