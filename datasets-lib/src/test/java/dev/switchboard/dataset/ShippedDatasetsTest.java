package dev.switchboard.dataset;

import dev.switchboard.dataset.parquet.RoutingDatasets;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** The committed datasets load, match the counts in their cards, and every model has a price. */
class ShippedDatasetsTest {

  @ParameterizedTest
  @CsvSource({
    "datasets/alpacaeval2.parquet, 805, 27, 21730",
    "datasets/arenabench_v1.parquet, 300, 15, 4466",
    "datasets/routerdc_7x7b.parquet, 8020, 7, 56140"
  })
  void loadsWithCardCountsAndPricedModels(String file, int prompts, int models, int rows) {
    RoutingDataset ds = RoutingDatasets.load(RepoFiles.path(file));
    assertEquals(prompts, ds.prompts().size());
    assertEquals(models, ds.models().size());
    assertEquals(rows, ds.rows().size());
    ModelPrices prices = ModelPrices.load(RepoFiles.path("datasets/models.json"));
    for (String m : ds.models()) {
      assertTrue(prices.find(m).isPresent(), m + " has no price in datasets/models.json");
    }
    for (RoutingRow r : ds.rows()) {
      assertTrue(r.quality() >= 0 && r.quality() <= 1, r.toString());
      assertTrue(r.costUsd() >= 0 && r.inputTokens() >= 0 && r.outputTokens() >= 0, r.toString());
      assertTrue(RoutingDataset.SPLITS.contains(r.split()), r.toString());
    }
    ds.promptsPerSplit().values().forEach(n -> assertTrue(n > 0));
    for (String judgeAttack : List.of("NullModel", "gpt4_gamed")) {
      assertFalse(ds.models().contains(judgeAttack));
    }
  }
}
