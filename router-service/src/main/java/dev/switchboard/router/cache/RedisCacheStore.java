package dev.switchboard.router.cache;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.switchboard.router.providers.chat.Json;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.redis.client.Command;
import io.vertx.redis.client.Redis;
import io.vertx.redis.client.Request;
import io.vertx.redis.client.Response;
import java.nio.ByteBuffer;
import java.time.Clock;
import java.util.function.Predicate;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/*
 * Layout in Redis (the server of limits.redis, through the same client options as the counters):
 *   sb:cache:e:<exactKey>   the answer as JSON, SET with PX = ttl: Redis expires it.
 *   sb:cache:s:<bucketKey>  a hash, field = exactKey, value = the same JSON (embedding included), for semantic lookups:
 *                           HGETALL brings the bucket, compared here (buckets are per tenant, route, context and numbers,
 *                           so small). The hash's expiry is pushed out on every write; each answer also carries its own
 *                           expiresAt, checked on read, and stale fields are dropped as they are found.
 * Keys hold hashes only (the tenant is inside them), so nothing in Redis names a tenant or a prompt in clear.
 * The size bound in Redis is Redis's own: set maxmemory with an LRU policy (allkeys-lru) on a server the cache shares.
 */
/** Answers in Redis, shared by every gateway pointing at the same server. */
final class RedisCacheStore implements CacheStore {
  private static final Logger LOG = LoggerFactory.getLogger(RedisCacheStore.class);
  private static final String EXACT = "sb:cache:e:";
  private static final String BUCKET = "sb:cache:s:";

  private final Redis redis;
  private final long ttlMs;
  private final Clock clock;

  RedisCacheStore(Vertx vertx, String redisUrl, long ttlMs, Clock clock) {
    this.redis = Redis.createClient(vertx, dev.switchboard.router.governance.Governance.redisOptions(redisUrl));
    this.ttlMs = ttlMs;
    this.clock = clock;
  }

  @Override
  public Future<CachedAnswer> exact(String exactKey) {
    return redis.send(Request.cmd(Command.GET).arg(EXACT + exactKey)).map(r -> {
      CachedAnswer a = r == null ? null : decode(r.toBytes());
      return a != null && a.expiresAtMs() > clock.millis() ? a : null;
    }).otherwise(e -> {
      LOG.warn("response cache: Redis GET failed ({}); treated as a miss", e.toString());
      return null;
    });
  }

  @Override
  public Future<SemanticIndex.Match> similar(String bucketKey, float[] v, double threshold, Predicate<CachedAnswer> guard) {
    return redis.send(Request.cmd(Command.HGETALL).arg(BUCKET + bucketKey)).map(r -> {
      if (r == null) return null;
      long now = clock.millis();
      CachedAnswer best = null;
      double bestSim = threshold;
      for (String field : r.getKeys()) {
        CachedAnswer a = decode(r.get(field).toBytes());
        if (a == null || a.expiresAtMs() <= now) {
          redis.send(Request.cmd(Command.HDEL).arg(BUCKET + bucketKey).arg(field));
          continue;
        }
        if (a.embedding() == null || a.embedding().length != v.length) continue;
        double sim = SemanticIndex.dot(a.embedding(), 0, v, v.length);
        if (sim >= bestSim && guard.test(a)) {
          best = a;
          bestSim = sim;
        }
      }
      return best == null ? null : new SemanticIndex.Match(best, bestSim);
    }).otherwise(e -> {
      LOG.warn("response cache: Redis HGETALL failed ({}); treated as a miss", e.toString());
      return null;
    });
  }

  @Override
  public void put(CachedAnswer a) {
    byte[] json = encode(a);
    long px = Math.max(1, a.expiresAtMs() - clock.millis());
    java.util.List<Request> batch = new java.util.ArrayList<>(3);
    batch.add(Request.cmd(Command.SET).arg(EXACT + a.exactKey()).arg(json).arg("PX").arg(px));
    if (a.embedding() != null && a.bucketKey() != null) {
      batch.add(Request.cmd(Command.HSET).arg(BUCKET + a.bucketKey()).arg(a.exactKey()).arg(json));
      batch.add(Request.cmd(Command.PEXPIRE).arg(BUCKET + a.bucketKey()).arg(ttlMs));
    }
    redis.batch(batch).onFailure(e -> LOG.warn("response cache: storing in Redis failed: {}", e.toString()));
  }

  @Override
  public long size() {
    return -1;
  }

  @Override
  public void close() {
    redis.close();
  }

  // ---------------------------------------------------------------- wire format

  static byte[] encode(CachedAnswer a) {
    ObjectNode o = Json.MAPPER.createObjectNode();
    o.put("tenant", a.tenant()).put("exact", a.exactKey()).put("bucket", a.bucketKey()).put("last_turn", a.lastTurn())
        .put("completion", a.completion()).put("prompt_tokens", a.promptTokens()).put("completion_tokens", a.completionTokens())
        .put("cost_usd", a.costUsd()).put("deployment", a.deployment()).put("expires_at_ms", a.expiresAtMs());
    if (a.embedding() != null) {
      ByteBuffer b = ByteBuffer.allocate(a.embedding().length * 4);
      for (float f : a.embedding()) b.putFloat(f);
      o.put("embedding", b.array());
    }
    return Json.writeBytes(o);
  }

  /** The answer, or null when the bytes are not one (another version's format): a miss, never a failure. */
  static CachedAnswer decode(byte[] bytes) {
    try {
      JsonNode o = Json.MAPPER.readTree(bytes);
      float[] e = null;
      if (o.hasNonNull("embedding")) {
        ByteBuffer b = ByteBuffer.wrap(o.get("embedding").binaryValue());
        e = new float[b.remaining() / 4];
        for (int i = 0; i < e.length; i++) e[i] = b.getFloat();
      }
      return new CachedAnswer(o.get("tenant").asText(), o.get("exact").asText(), text(o, "bucket"), text(o, "last_turn"), e,
          o.get("completion").binaryValue(), o.get("prompt_tokens").asLong(), o.get("completion_tokens").asLong(),
          o.get("cost_usd").asDouble(), text(o, "deployment"), o.get("expires_at_ms").asLong());
    } catch (Exception ex) {
      return null;
    }
  }

  private static String text(JsonNode o, String f) {
    JsonNode n = o.get(f);
    return n == null || n.isNull() ? null : n.asText();
  }
}
