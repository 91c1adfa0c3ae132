package dev.switchboard.router.config;

/**
 * The {@code cache:} section: how the response cache stores answers. Whether a request is cached at all is per route
 * ({@code routes[].cache}) and per key (its {@code cache} tag); see {@code dev.switchboard.router.cache}.
 *
 * @param ttlMs how long an answer is served
 * @param maxEntries answers held in process at most
 * @param similarityThreshold cosine similarity from which a semantic match is served
 * @param maxTemperature requests with an explicit temperature above this bypass the cache
 * @param redis answers live in {@code limits.redis}, shared by every gateway using it
 */
public record CacheConfig(long ttlMs, long maxEntries, double similarityThreshold, double maxTemperature, boolean redis) {
  public static final CacheConfig DEFAULTS = new CacheConfig(ConfigKeys.CACHE_TTL_MS.defaultLong(), ConfigKeys.CACHE_MAX_ENTRIES.defaultLong(),
      ConfigKeys.CACHE_SIMILARITY_THRESHOLD.defaultDouble(), ConfigKeys.CACHE_MAX_TEMPERATURE.defaultDouble(), false);
}
