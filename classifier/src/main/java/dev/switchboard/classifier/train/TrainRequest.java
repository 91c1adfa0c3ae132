package dev.switchboard.classifier.train;

import dev.switchboard.classifier.learn.RouterTrainer;
import dev.switchboard.dataset.ModelPrices;
import dev.switchboard.dataset.RoutingRow;
import java.nio.file.Path;
import java.util.List;

/**
 * Everything one training run needs.
 *
 * @param datasetPaths the Parquet files the rows came from (hashed into the card)
 * @param rows their rows
 * @param candidates candidate models (any order; sorted cheapest first), or empty for all models
 * @param threshold quality bar in [0,1] at which an answer counts as adequate
 * @param encoder encoder id ({@link dev.switchboard.classifier.encoder.Encoders#resolveId})
 * @param options families, folds, seed
 * @param cacheDir embedding cache directory (MiniLM only)
 * @param prices list prices for the card and alias resolution of candidate names (null: none)
 * @param outDir model directory to write
 * @param candidatesRationale free text for the card: why these candidates (may be null)
 * @param labelSemantics what the quality column means, for the card (may be null)
 * @param command the command line that produced the model, for the card (may be null)
 */
public record TrainRequest(List<Path> datasetPaths, List<RoutingRow> rows, List<String> candidates, double threshold,
                           String encoder, RouterTrainer.Options options, Path cacheDir, ModelPrices prices, Path outDir,
                           String candidatesRationale, String labelSemantics, String command) {

  public TrainRequest {
    datasetPaths = List.copyOf(datasetPaths);
  }
}
