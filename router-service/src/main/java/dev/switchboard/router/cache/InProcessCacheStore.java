package dev.switchboard.router.cache;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import com.github.benmanes.caffeine.cache.RemovalCause;
import io.vertx.core.Future;
import java.time.Clock;
import java.time.Duration;
import java.util.function.Predicate;

/**
 * Answers in this process: a Caffeine cache (size bound, expiry after write on the injected clock) keyed by the exact
 * fingerprint, and a {@link SemanticIndex} of those with an embedding, kept in step by Caffeine's removal listener.
 */
final class InProcessCacheStore implements CacheStore {
  private final Cache<String, CachedAnswer> answers;
  private final SemanticIndex index;
  private final Clock clock;

  InProcessCacheStore(long maxEntries, long ttlMs, Clock clock, SemanticIndex index) {
    this.clock = clock;
    this.index = index;
    this.answers = Caffeine.newBuilder()
        .maximumSize(maxEntries)
        .expireAfterWrite(Duration.ofMillis(ttlMs))
        .ticker(() -> clock.millis() * 1_000_000L)
        .executor(Runnable::run) // the listener runs at once: the index never serves an evicted answer for long
        .removalListener((String k, CachedAnswer a, RemovalCause c) -> {
          if (a != null && a.embedding() != null) index.remove(a);
        })
        .build();
  }

  @Override
  public Future<CachedAnswer> exact(String exactKey) {
    CachedAnswer a = answers.getIfPresent(exactKey);
    return Future.succeededFuture(a != null && a.expiresAtMs() > clock.millis() ? a : null);
  }

  @Override
  public Future<SemanticIndex.Match> similar(String bucketKey, float[] embedding, double threshold, Predicate<CachedAnswer> guard) {
    long now = clock.millis();
    return Future.succeededFuture(index.best(bucketKey, embedding, a -> a.expiresAtMs() > now && guard.test(a)));
  }

  @Override
  public void put(CachedAnswer a) {
    answers.put(a.exactKey(), a); // a replaced answer leaves the index through the removal listener
    if (a.embedding() != null && a.bucketKey() != null) index.add(a);
  }

  @Override
  public long size() {
    return answers.estimatedSize();
  }

  @Override
  public void close() {
    answers.invalidateAll();
  }
}
