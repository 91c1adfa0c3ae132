package dev.switchboard.router.config;

/**
 * The {@code classifier:} section, used by eval-driven routes.
 *
 * @param path model directory ({@code classifier.onnx} + {@code card.json}), e.g. {@code models/default}
 * @param scoringDeadlineMs if scoring takes longer, the route uses its default deployment
 * @param workers scoring threads (0 = one per core)
 * @param maxBatch most prompts scored in one batch when requests queue up
 * @param cacheSize prompts kept in the classifier's LRU score cache
 * @param intraOpThreads ONNX Runtime threads per encoder call (1: parallelism comes from the workers)
 * @param inlineMaxTokens prompts up to about this many tokens are scored on the request's own thread
 *     when the classifier makes no native call (0: every prompt goes to the workers)
 */
public record ClassifierConfig(String path, long scoringDeadlineMs, int workers, int maxBatch, int cacheSize, int intraOpThreads,
    int inlineMaxTokens) {
  /** Every key but the path at its default ({@link ConfigKeys}). */
  public static ClassifierConfig defaults(String path) {
    return new ClassifierConfig(path, ConfigKeys.DEFAULT_SCORING_DEADLINE_MS, ConfigKeys.WORKERS.defaultInt(), ConfigKeys.MAX_BATCH.defaultInt(),
        ConfigKeys.CACHE_SIZE.defaultInt(), ConfigKeys.INTRA_OP_THREADS.defaultInt(), ConfigKeys.INLINE_MAX_TOKENS.defaultInt());
  }

  public ClassifierConfig withScoringDeadlineMs(long ms) {
    return new ClassifierConfig(path, ms, workers, maxBatch, cacheSize, intraOpThreads, inlineMaxTokens);
  }

  public int effectiveWorkers() {
    return workers > 0 ? workers : Math.max(1, Runtime.getRuntime().availableProcessors());
  }
}
