package dev.switchboard.classifier.heads;

/**
 * Hyper-parameters of {@link HeadsTrainer}.
 *
 * @param hidden hidden ReLU units (0 = logistic regression)
 * @param l2 L2 penalty on weights (not biases), loss term {@code l2/2 * ||W||^2} per example
 * @param learningRate Adam step size
 * @param batchSize mini-batch size
 * @param maxEpochs epoch limit
 * @param patience stop after this many epochs without a better validation loss
 * @param seed seeds initialisation and shuffling (training is single-threaded, so deterministic)
 * @param qualityWeight weight of the mean per-candidate quality loss next to the difficulty loss
 */
public record TrainConfig(int hidden, double l2, double learningRate, int batchSize, int maxEpochs,
                          int patience, long seed, double qualityWeight) {

  public static TrainConfig defaults(long seed, int maxEpochs) {
    // hidden 32 / l2 0.3: lowest validation loss in the sweep behind models/default (see its README).
    return new TrainConfig(32, 0.3, 1e-3, 32, maxEpochs, 25, seed, 1.0);
  }

  public TrainConfig {
    if (hidden < 0 || l2 < 0 || learningRate <= 0 || batchSize < 1 || maxEpochs < 1 || patience < 1 || qualityWeight < 0) {
      throw new IllegalArgumentException("invalid TrainConfig " + this);
    }
  }
}
