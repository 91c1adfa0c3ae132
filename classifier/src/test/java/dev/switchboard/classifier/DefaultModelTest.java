package dev.switchboard.classifier;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.switchboard.classifier.learn.RoutingScore;
import dev.switchboard.classifier.train.Metrics;
import dev.switchboard.classifier.train.PromptExample;
import dev.switchboard.classifier.train.TrainingSet;
import dev.switchboard.dataset.parquet.RoutingDatasets;
import dev.switchboard.dataset.RoutingRow;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The shipped {@code models/default}: its card's test numbers are what the shipped files give on
 * the datasets it names, it routes with the static encoder, and its choice is on the record.
 */
class DefaultModelTest {

  static Path repo() {
    return Path.of(System.getProperty("switchboard.repo.root", "..")).toAbsolutePath().normalize();
  }

  @Test
  void shippedFilesReproduceTheCardsTestNumbers() {
    try (Classifier c = Classifier.load(repo().resolve("models/default"), new ClassifierOptions(1, 0))) {
      ClassifierCard card = c.card();
      assertEquals("static", card.json().path("encoder").path("kind").asText(), "the default scores in microseconds");
      List<RoutingRow> rows = new ArrayList<>();
      for (String path : card.json().path("dataset").path("path").asText().split(",")) {
        rows.addAll(RoutingDatasets.read(repo().resolve(path)));
      }
      TrainingSet set = TrainingSet.build(rows, card.candidateNames(), "default");
      assertEquals(card.candidateNames(), set.candidates(), "card lists candidates cheapest first");
      List<PromptExample> test = set.split("test");
      List<Scores> scores = c.scoreBatch(test.stream().map(PromptExample::input).toList());
      double[][] p = scores.stream().map(Scores::quality).toArray(double[][]::new);
      double[][] q = test.stream().map(PromptExample::quality).toArray(double[][]::new);
      double[][] cost = test.stream().map(PromptExample::costUsd).toArray(double[][]::new);
      JsonNode m = card.json().path("metrics");
      assertEquals(test.size(), m.path("prompts").asInt());
      // The static table distilled on another CPU differs in its last bits (the card's probe check
      // allows 1e-3), so the score may too; on one CPU it is exact.
      assertEquals(m.path("router_score").asDouble(), RoutingScore.of(p, q, cost), 0.005,
          "the card's routing score is what the shipped files give");
      double[] failsCheapest = test.stream().mapToDouble(e -> e.quality()[0] < card.threshold() ? 1 : 0).toArray();
      double auc = Metrics.auc(scores.stream().mapToDouble(Scores::difficulty).toArray(), failsCheapest);
      assertTrue(auc > 0.7, "difficulty ranks the prompts the cheapest candidate fails first: AUC " + auc);
      assertEquals(m.path("difficulty").path("auc_vs_cheapest_fails").asDouble(), auc, 0.01);
      // Every candidate of the family has its scores in the card, and the chosen one is marked.
      JsonNode router = card.json().path("router");
      long chosen = 0;
      for (JsonNode cand : router.path("candidates")) {
        assertTrue(cand.path("cv_score").isNumber() && cand.path("validation_score").isNumber(), cand.toString());
        chosen += cand.path("chosen").asBoolean() ? 1 : 0;
      }
      assertEquals(1, chosen, router.toString());
      assertEquals(card.candidateNames().size(), card.abilities().size(), "an ability per candidate");
    }
  }
}
