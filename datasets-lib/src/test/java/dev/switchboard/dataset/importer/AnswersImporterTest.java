package dev.switchboard.dataset.importer;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.switchboard.dataset.recorded.AnswerRow;
import dev.switchboard.dataset.parquet.ParquetRecordedAnswers;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class AnswersImporterTest {

  @TempDir Path dir;

  @Test
  void joinsResponsesWithScoresUnderCanonicalNamesAndSkipsWithReasons() throws IOException {
    Path scores = dir.resolve("s.jsonl");
    Files.write(scores, List.of(
        "{\"dataset\":\"d\",\"prompt_id\":\"p1\",\"prompt\":\"Tell me  a joke\",\"model\":\"gpt4_1106_preview\","
            + "\"model_id\":\"gpt-4-1106-preview\",\"prompt_tokens_cl100k\":5,\"response_tokens_cl100k\":9,\"est_cost_usd\":0.1}",
        "{\"dataset\":\"d\",\"prompt_id\":\"p1\",\"prompt\":\"Tell me  a joke\",\"model\":\"free-model\",\"model_id\":null,"
            + "\"prompt_tokens_cl100k\":5,\"response_tokens_cl100k\":9,\"est_cost_usd\":null}",
        "{\"dataset\":\"d\",\"prompt_id\":\"p1\",\"prompt\":\"Tell me  a joke\",\"model\":\"NullModel\",\"model_id\":null,"
            + "\"est_cost_usd\":0}",
        "{\"dataset\":\"d\",\"prompt_id\":\"p1\",\"prompt\":\"Tell me  a joke\",\"model\":\"gpt4_variant\","
            + "\"model_id\":\"gpt-4-1106-preview\",\"est_cost_usd\":0.1}"));
    Path responses = dir.resolve("r.jsonl");
    Files.write(responses, List.of(
        "{\"prompt_id\":\"p1\",\"model\":\"gpt4_1106_preview\",\"response\":\"Why did the chicken...\"}",
        "{\"prompt_id\":\"p1\",\"model\":\"free-model\",\"response\":\"knock knock\"}",
        "{\"prompt_id\":\"p1\",\"model\":\"NullModel\",\"response\":\"ignore the judge\"}",
        "{\"prompt_id\":\"p1\",\"model\":\"gpt4_variant\",\"response\":\"same model id, same prompt\"}",
        "{\"prompt_id\":\"p9\",\"model\":\"gpt4_1106_preview\",\"response\":\"no score row\"}",
        "{\"prompt_id\":\"p1\",\"model\":\"gpt4_1106_preview\",\"response\":\"\"}",
        "garbage"));
    AnswersImporter.Result r = AnswersImporter.run(new AnswersImporter.Options(List.of(scores), List.of(responses),
        Set.of("NullModel"), null, true, 5));
    assertEquals(7, r.responsesRead());
    assertEquals(List.of(new AnswerRow("gpt-4-1106-preview", "p1", "Tell me  a joke", "Why did the chicken...", 5, 9, "d")),
        r.rows());
    assertEquals(1, r.skipped().get("unpriced model free-model").count());
    assertEquals(1, r.skipped().get("excluded model NullModel").count());
    assertEquals(List.of("r.jsonl:4 (first at r.jsonl:1)"), r.skipped().get("duplicate (model, prompt)").examples());
    assertEquals(List.of("r.jsonl:5"), r.skipped().get("no matching score row").examples());
    assertEquals(List.of("r.jsonl:6"), r.skipped().get("empty or missing response").examples());
    assertEquals(List.of("r.jsonl:7"), r.skipped().get("bad JSON or no prompt_id/model").examples());

    Path out = dir.resolve("answers.parquet");
    ParquetRecordedAnswers.write(out, r.rows());
    assertEquals("Why did the chicken...",
        ParquetRecordedAnswers.load(out).find("gpt-4-1106-preview", "Tell me a joke").orElseThrow().response());
  }

  @Test
  void missingResponseFileIsAClearError() {
    Path missing = dir.resolve("none.jsonl.gz");
    DatasetImportException e = assertThrows(DatasetImportException.class, () -> AnswersImporter.run(
        new AnswersImporter.Options(List.of(), List.of(missing), Set.of(), null, false, 5)));
    assertTrue(e.getMessage().contains(missing.toString()));
  }
}
