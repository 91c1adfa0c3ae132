package dev.switchboard.classifier.train;

import dev.switchboard.classifier.encoder.EncoderVariant;
import dev.switchboard.dataset.RoutingRow;
import java.nio.file.Path;
import java.util.List;

/**
 * Everything one training run needs.
 *
 * @param datasetPath the Parquet file the rows came from (hashed into the card)
 * @param rows its rows
 * @param candidates candidate models (any order; sorted cheapest first), or empty for all models
 * @param threshold quality bar in [0,1]
 * @param labelRule how the difficulty label is derived
 * @param encoder encoder variant
 * @param cacheDir embedding cache directory
 * @param prices list prices for the card and alias resolution of candidate names (null: none)
 * @param outDir model directory to write
 * @param candidatesRationale free text for the card: why these candidates (may be null)
 * @param command the command line that produced the model, for the card (may be null)
 */
public record TrainRequest(Path datasetPath, List<RoutingRow> rows, List<String> candidates, double threshold,
                           DifficultyLabel labelRule, dev.switchboard.classifier.heads.TrainConfig config,
                           EncoderVariant encoder, Path cacheDir, dev.switchboard.dataset.ModelPrices prices, Path outDir,
                           String candidatesRationale, String command) {}
