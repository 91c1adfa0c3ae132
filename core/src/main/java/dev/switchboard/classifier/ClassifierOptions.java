package dev.switchboard.classifier;

import dev.switchboard.classifier.base.ClassifierException;

/**
 * Runtime options of a loaded {@link Classifier}.
 *
 * @param intraOpThreads ONNX Runtime intra-op threads per session (encoder and heads); 1 is the
 *     most stable when many request threads score concurrently
 * @param cacheSize entries in the LRU cache of recent prompts (by hash); 0 disables it
 */
public record ClassifierOptions(int intraOpThreads, int cacheSize) {

  public ClassifierOptions {
    if (intraOpThreads < 1) {
      throw new ClassifierException("ClassifierOptions.intraOpThreads must be >= 1, was " + intraOpThreads);
    }
    if (cacheSize < 0) {
      throw new ClassifierException("ClassifierOptions.cacheSize must be >= 0, was " + cacheSize);
    }
  }

  /** One intra-op thread, 10,000 cached prompts. */
  public static ClassifierOptions defaults() {
    return new ClassifierOptions(1, 10_000);
  }
}
