package dev.switchboard.eval.replay;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.switchboard.dataset.RoutingDataset;
import dev.switchboard.dataset.parquet.RoutingDatasets;
import dev.switchboard.dataset.RoutingRow;
import java.nio.file.Path;
import java.util.Map;
import java.util.OptionalDouble;
import org.junit.jupiter.api.Test;

/** The recorded grader over the datasets shipped in the repository. */
class RecordedGraderTest {

  private static final Path DATASETS = Path.of(System.getProperty("switchboard.repo.root", "..")).resolve("datasets");

  @Test
  void gradesAShippedPromptWithTheQualityItsDatasetRecorded() {
    RecordedGrader grader = RecordedGrader.load(DATASETS);
    RoutingDataset ds = RoutingDatasets.load(DATASETS.resolve("alpacaeval2.parquet"));
    RoutingDataset.Prompt p = ds.prompts().get(7);
    RoutingRow row = p.byModel().values().iterator().next();
    // Clients re-encode whitespace; the lookup must not care.
    String reWhitespaced = "  " + p.prompt().replace(" ", "  ").replace("\n", "\r\n") + "\n";
    LoggedRequest req = GradersTest.request(reWhitespaced, Map.of());
    Map<String, OptionalDouble> q = grader.grade(req, Map.of(
        row.model(), new CandidateAnswer(row.model(), "whatever", 1, 1, 1),
        "no-such-model", new CandidateAnswer("no-such-model", "x", 1, 1, 1))).join();
    assertEquals(row.quality(), q.get(row.model()).getAsDouble());
    assertTrue(q.get("no-such-model").isEmpty());
    assertTrue(grader.grade(GradersTest.request("a prompt no dataset has, surely 9f3b", Map.of()),
        Map.of(row.model(), new CandidateAnswer(row.model(), "x", 1, 1, 1))).join().get(row.model()).isEmpty());
  }
}
