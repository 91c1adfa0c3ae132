package dev.switchboard.router.cache;

import io.vertx.core.Future;
import java.util.function.Predicate;

/**
 * Where cached answers live: {@link InProcessCacheStore} (one gateway) or {@link RedisCacheStore} (shared). Calls come
 * from event loops and must not block; the in-process store answers with completed futures.
 */
interface CacheStore extends AutoCloseable {

  /** The answer stored under {@code exactKey} and not expired, or null. */
  Future<CachedAnswer> exact(String exactKey);

  /**
   * The most similar answer of {@code bucketKey} at or above {@code threshold}, not expired, that {@code guard} accepts,
   * or null.
   */
  Future<SemanticIndex.Match> similar(String bucketKey, float[] embedding, double threshold, Predicate<CachedAnswer> guard);

  /** Stores {@code a} (and indexes it when it has an embedding); failures are logged, never thrown. */
  void put(CachedAnswer a);

  /** Answers held (in process; -1 when the store cannot count cheaply). */
  long size();

  @Override
  void close();
}
