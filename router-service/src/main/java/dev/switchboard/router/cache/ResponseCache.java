package dev.switchboard.router.cache;

import com.fasterxml.jackson.databind.JsonNode;
import dev.switchboard.classifier.encoder.Encoder;
import dev.switchboard.classifier.encoder.Encoders;
import dev.switchboard.classifier.encoder.StaticManifest;
import dev.switchboard.router.chat.ChatExchange;
import dev.switchboard.router.chat.ParsedChat;
import dev.switchboard.router.config.CacheConfig;
import dev.switchboard.router.config.CacheMode;
import dev.switchboard.router.config.GatewayConfig;
import dev.switchboard.router.config.GatewaySnapshot;
import dev.switchboard.router.config.RouteConfig;
import dev.switchboard.router.metrics.GatewayMetrics;
import dev.switchboard.router.providers.contract.Usage;
import io.micrometer.core.instrument.Counter;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import java.time.Clock;
import java.util.EnumMap;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.atomic.AtomicBoolean;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/*
 * Where the cache sits
 * --------------------
 * In the chat pipeline, after the caller is authorised (so a key may only ever reach answers it could have asked for)
 * and before routing: a hit costs no scoring, no rate-limit or budget charge, no upstream call. Every front door that
 * turns its requests into a ParsedChat and runs them through the chat pipeline shares it, since the key is the
 * normalised chat request. A miss carries its fingerprint (and embedding) on the exchange; a fresh 200 answer is
 * stored with it. Errors are never cached.
 *
 * Off unless the route (routes[].cache) or the caller's key (its `cache` tag, which wins) says exact or semantic;
 * then every request gets an x-switchboard-cache header. Bypassed (nothing read, nothing stored): Cache-Control
 * no-cache/no-store, body switchboard.cache: false, a replay run's own calls, an explicit temperature above
 * cache.max_temperature.
 *
 * Semantic matching embeds the last user turn with the static encoder the router scores with (its table, every token
 * read: the scoring encoder reads only 64, and the cache must not take two prompts that differ in the middle for one).
 * Microseconds in plain Java, so it runs on the event loop; a last turn longer than SEMANTIC_MAX_CHARS is matched
 * exactly only.
 */
/** The response cache: exact and semantic matches of chat requests, per tenant. */
public final class ResponseCache implements AutoCloseable, dev.switchboard.router.chat.AnswerCache {
  private static final Logger LOG = LoggerFactory.getLogger(ResponseCache.class);
  /** The static encoder's table, reading every token of the text. */
  static final String ENCODER_ID = StaticManifest.idFor(Encoders.STATIC_DIM, 0);
  static final int SEMANTIC_MAX_CHARS = 16_384;

  private final CacheConfig config;
  private final CacheStore store;
  private final Clock clock;
  private volatile Encoder encoder;
  private final AtomicBoolean encoderRequested = new AtomicBoolean();
  private final Map<CacheOutcome, Counter> exactCounters = new EnumMap<>(CacheOutcome.class);
  private final Map<CacheOutcome, Counter> semanticCounters = new EnumMap<>(CacheOutcome.class);

  /** A cached answer served for a request. */
  public record Hit(CachedAnswer answer, CacheOutcome outcome, Double similarity) {}

  /** What a miss leaves on the exchange for {@link #store}. */
  private record Pending(Fingerprint fingerprint, float[] embedding) {}

  ResponseCache(CacheConfig config, CacheStore store, Clock clock, GatewayMetrics metrics) {
    this.config = config;
    this.store = store;
    this.clock = clock;
    for (CacheOutcome o : CacheOutcome.values()) {
      exactCounters.put(o, counter(metrics, o, CacheMode.EXACT));
      semanticCounters.put(o, counter(metrics, o, CacheMode.SEMANTIC));
    }
  }

  private static Counter counter(GatewayMetrics metrics, CacheOutcome o, CacheMode mode) {
    return metrics.counter("switchboard_cache_requests", "Requests the response cache saw, by outcome and the mode in effect",
        "outcome", o.wireName(), "mode", mode.wireName());
  }

  /**
   * The cache of a gateway: in process, or in {@code limits.redis} when {@code cache.store} is {@code redis}.
   *
   * @param clock expiry's time source (the governance clock, injected in tests)
   * @return the cache; {@link #start} it before serving
   */
  public static ResponseCache create(Vertx vertx, GatewayConfig config, Clock clock, GatewayMetrics metrics) {
    CacheConfig c = config.cache();
    CacheStore store = c.redis()
        ? new RedisCacheStore(vertx, config.limits().redis(), c.ttlMs(), clock)
        : new InProcessCacheStore(c.maxEntries(), c.ttlMs(), clock, new SemanticIndex(Encoders.STATIC_DIM, c.similarityThreshold()));
    return new ResponseCache(c, store, clock, metrics);
  }

  /**
   * Loads the encoder (off the event loop) when a route of {@code config} caches semantically; otherwise the first
   * semantic request of a key loads it in the background, and is matched exactly until it is there.
   */
  public Future<Void> start(Vertx vertx, GatewayConfig config) {
    boolean semantic = config.routes().values().stream().anyMatch(r -> r.cache() == CacheMode.SEMANTIC);
    return semantic ? loadEncoder(vertx) : Future.succeededFuture();
  }

  private Future<Void> loadEncoder(Vertx vertx) {
    if (!encoderRequested.compareAndSet(false, true)) return Future.succeededFuture();
    return vertx.<Encoder>executeBlocking(() -> Encoders.open(ENCODER_ID, null, 1, LOG::info), false)
        .onSuccess(e -> encoder = e)
        .onFailure(e -> LOG.warn("response cache: cannot open the static encoder ({}); semantic matching is off", e.toString()))
        .<Void>mapEmpty().recover(e -> Future.succeededFuture());
  }

  // ---------------------------------------------------------------- lookup

  /**
   * Looks {@code chat} up for the caller on {@code ex}; sets {@code ex.cacheOutcome} and, on a miss, what
   * {@link #store} needs. Never fails.
   *
   * @param cacheControl the request's {@code Cache-Control} header, or null
   * @return the hit, or null (off, bypass or miss)
   */
  /** Whether the cache is on for this request (its route's or key's mode); when not, {@link #lookup} does nothing. */
  @Override
  public boolean appliesTo(GatewaySnapshot snap, ParsedChat chat, ChatExchange ex) {
    return mode(snap, chat, ex) != CacheMode.OFF;
  }

  @Override
  public Future<dev.switchboard.router.chat.AnswerCache.Hit> find(GatewaySnapshot snap, ParsedChat chat, ChatExchange ex,
      String cacheControl) {
    return lookup(snap, chat, ex, cacheControl).map(h -> h == null ? null : new dev.switchboard.router.chat.AnswerCache.Hit(
        h.answer().completion(), h.answer().promptTokens(), h.answer().completionTokens(), h.answer().deployment()));
  }

  @Override
  public StreamRecorder recorder(ChatExchange ex) {
    return pending(ex) ? new StreamCapture() : null;
  }

  @Override
  public java.util.List<String> chunks(com.fasterxml.jackson.databind.JsonNode completion) {
    return CachedStream.chunks(completion, false);
  }

  @Override
  public dev.switchboard.router.providers.contract.StreamTranslator replayed(com.fasterxml.jackson.databind.JsonNode completion,
      Usage usage) {
    return CachedStream.replayed(completion, usage);
  }

  public Future<Hit> lookup(GatewaySnapshot snap, ParsedChat chat, ChatExchange ex, String cacheControl) {
    CacheMode mode = mode(snap, chat, ex);
    if (mode == CacheMode.OFF) return Future.succeededFuture();
    Map<CacheOutcome, Counter> counters = mode == CacheMode.SEMANTIC ? semanticCounters : exactCounters;
    if (bypassed(chat, ex, cacheControl)) {
      outcome(ex, CacheOutcome.BYPASS, counters);
      return Future.succeededFuture();
    }
    boolean semantic = mode == CacheMode.SEMANTIC;
    if (semantic && encoder == null) loadEncoder(Vertx.currentContext().owner());
    Fingerprint fp = Fingerprint.of(tenant(ex), chat.request().body(), semantic);
    return store.exact(fp.exactKey()).compose(hit -> {
      if (hit != null) return Future.succeededFuture(served(ex, new Hit(hit, CacheOutcome.HIT, null), counters));
      Encoder e = encoder;
      if (!semantic || fp.bucketKey() == null || e == null || fp.lastTurn().length() > SEMANTIC_MAX_CHARS) {
        return Future.succeededFuture(miss(ex, fp, null, counters));
      }
      float[] v = e.encode(fp.lastTurn()).embedding();
      String turn = fp.lastTurn();
      return store.similar(fp.bucketKey(), v, config.similarityThreshold(), a -> a.tenant().equals(fp.tenant())
              && a.lastTurn() != null && Entities.compatible(turn, a.lastTurn()))
          .map(m -> m == null ? miss(ex, fp, v, counters)
              : served(ex, new Hit(m.answer(), CacheOutcome.SEMANTIC_HIT, m.similarity()), counters));
    }).otherwise(err -> {
      LOG.warn("request {}: response cache lookup failed: {}", ex.requestId, err.toString());
      return null;
    });
  }

  private Hit miss(ChatExchange ex, Fingerprint fp, float[] embedding, Map<CacheOutcome, Counter> counters) {
    outcome(ex, CacheOutcome.MISS, counters);
    ex.cachePending = new Pending(fp, embedding);
    return null;
  }

  private Hit served(ChatExchange ex, Hit hit, Map<CacheOutcome, Counter> counters) {
    outcome(ex, hit.outcome(), counters);
    ex.cacheSavedUsd = hit.answer().costUsd();
    ex.cacheDeployment = hit.answer().deployment();
    ex.cacheSimilarity = hit.similarity();
    if (hit.similarity() != null) {
      ex.extraHeaders.add(new String[] {"x-switchboard-cache-similarity", String.format(Locale.ROOT, "%.4f", hit.similarity())});
    }
    return hit;
  }

  private static void outcome(ChatExchange ex, CacheOutcome o, Map<CacheOutcome, Counter> counters) {
    ex.cacheOutcome = o.wireName();
    ex.extraHeaders.add(new String[] {"x-switchboard-cache", o.wireName()});
    counters.get(o).increment();
  }

  /** The key's {@code cache} tag if it has a valid one, else the route's setting; a plain deployment: off. */
  private static CacheMode mode(GatewaySnapshot snap, ParsedChat chat, ChatExchange ex) {
    CacheMode key = CacheMode.parse(ex.keyCacheTag);
    if (key != null) return key;
    RouteConfig r = snap.config().routes().get(chat.request().model());
    return r == null ? CacheMode.OFF : r.cache();
  }

  private boolean bypassed(ParsedChat chat, ChatExchange ex, String cacheControl) {
    if (Boolean.FALSE.equals(chat.options().cache()) || ex.replayRun != null) return true;
    if (cacheControl != null) {
      String cc = cacheControl.toLowerCase(Locale.ROOT);
      if (cc.contains("no-cache") || cc.contains("no-store")) return true;
    }
    JsonNode t = chat.request().body().get("temperature");
    return t != null && t.isNumber() && t.asDouble() > config.maxTemperature();
  }

  /** A team's keys share their team's cache; a key without a team has its own; with auth off, one shared tenant. */
  static String tenant(ChatExchange ex) {
    if (ex.teamId != null) return "team:" + ex.teamId;
    return ex.keyId != null ? "key:" + ex.keyId : "anonymous";
  }

  // ---------------------------------------------------------------- store

  /**
   * Stores a fresh answer for the miss {@link #lookup} left on {@code ex}; no-op for any other request.
   *
   * @param completion the {@code chat.completion} JSON as sent to the client
   * @param usage its usage
   * @param costUsd what it cost
   */
  @Override
  public void store(ChatExchange ex, byte[] completion, Usage usage, double costUsd) {
    if (!(ex.cachePending instanceof Pending p) || completion == null) return;
    ex.cachePending = null;
    Fingerprint fp = p.fingerprint();
    store.put(new CachedAnswer(fp.tenant(), fp.exactKey(), fp.bucketKey(), fp.lastTurn(), p.embedding(), completion,
        usage.promptTokens(), usage.completionTokens(), costUsd, ex.answered == null ? null : ex.answered.name(),
        clock.millis() + config.ttlMs()));
  }

  /** Whether a miss on {@code ex} waits to be stored (a stream then rebuilds its answer with a {@link StreamCapture}). */
  public static boolean pending(ChatExchange ex) {
    return ex.cachePending instanceof Pending;
  }

  /** Answers held in process (-1 with Redis). */
  public long size() {
    return store.size();
  }

  @Override
  public void close() {
    store.close();
    Encoder e = encoder;
    if (e != null) e.close();
  }
}
