package dev.switchboard.router.requestlog;

import dev.switchboard.router.chat.ChatExchange;
import dev.switchboard.router.chat.ExchangeObserver;
import dev.switchboard.router.chat.ParsedChat;
import dev.switchboard.router.api.ApiError.AttemptView;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Turns every finished exchange into a {@link RequestLogRecord} and appends it to the log.
 * Runs on the event loop: it only builds a record (references, no copies of message bodies);
 * serialisation and sending happen on the log's own thread.
 */
public final class RequestLogObserver implements ExchangeObserver {
  private final RequestLog log;

  public RequestLogObserver(RequestLog log) {
    this.log = log;
  }

  /**
   * The request log's state for {@code /readyz}: {@code direct} (records go to Kafka) or
   * {@code spooling} (Kafka is not taking them; they wait on disk and nothing is lost, but the
   * topic lags), with the records waiting.
   */
  @Override
  public Map<String, Object> status() {
    RequestLogStats s = log.stats();
    Map<String, Object> rl = new java.util.LinkedHashMap<>();
    rl.put("state", s.spooling() ? "spooling" : "direct");
    rl.put("spool_pending", s.spoolPending());
    rl.put("delivered", s.delivered());
    return Map.of("request_log", rl);
  }

  /** Metadata keys of the response cache (issue #16): its outcome and, on a hit, what it saved. */
  public static final String CACHE = "cache", CACHE_SAVED_USD = "cache_saved_usd", CACHE_SIMILARITY = "cache_similarity",
      CACHE_DEPLOYMENT = "cache_deployment";

  /**
   * The response cache's verdict when it was on for the request ({@code hit}, {@code semantic-hit}, {@code miss},
   * {@code bypass}); on a hit, the cost saved (what the cached answer cost when it was made), the similarity of a
   * semantic hit and the deployment that made the answer. A hit's own {@code cost_usd} is 0 and its usage 0.
   */
  private static void cache(ChatExchange ex, Map<String, String> m) {
    if (ex.cacheOutcome == null) return;
    m.put(CACHE, ex.cacheOutcome);
    if (!ex.cacheOutcome.endsWith("hit")) return;
    m.put(CACHE_SAVED_USD, dev.switchboard.router.api.Decimals.fixed(ex.cacheSavedUsd, 8));
    if (ex.cacheSimilarity != null) m.put(CACHE_SIMILARITY, String.format(java.util.Locale.ROOT, "%.4f", ex.cacheSimilarity));
    if (ex.cacheDeployment != null) m.put(CACHE_DEPLOYMENT, ex.cacheDeployment);
  }

  @Override
  public void completed(ParsedChat chat, ChatExchange ex, String responseText) {
    long now = System.nanoTime();
    double totalMs = (now - ex.startNanos) / 1e6;
    double upstreamMs = ex.upstreamNanos / 1e6;
    List<RequestLogRecord.Attempt> attempts = new ArrayList<>(ex.attempts.size());
    String previous = null;
    int fallbacks = 0;
    for (AttemptView a : ex.attempts) {
      attempts.add(new RequestLogRecord.Attempt(a.deployment(), a.status(), "ok".equals(a.outcome()) ? null : a.outcome(), a.latencyMs()));
      if (previous != null && !previous.equals(a.deployment())) fallbacks++;
      previous = a.deployment();
    }
    List<RequestLogRecord.Candidate> candidates = new ArrayList<>(ex.predictedQuality.size());
    for (Map.Entry<String, Double> e : ex.predictedQuality.entrySet()) {
      candidates.add(new RequestLogRecord.Candidate(e.getKey(), e.getValue()));
    }
    log.append(new RequestLogRecord(RequestLogRecord.SCHEMA_VERSION, ex.requestId, Instant.ofEpochMilli(ex.startEpochMs).toString(),
        ex.route, chat == null ? null : chat.request().model(), ex.answered == null ? null : ex.answered.name(), candidates,
        ex.difficulty, ex.policyVersion, null, chat == null ? null : chat.request().body().get("messages"), responseText,
        new RequestLogRecord.Tokens(ex.usage.promptTokens(), ex.usage.completionTokens()), ex.costUsd(),
        new RequestLogRecord.Latency(totalMs, upstreamMs, Math.max(0, totalMs - upstreamMs - ex.backoffNanos / 1e6), ex.scoringNanos / 1e6),
        ex.status, attempts, fallbacks, ex.status == 200 ? null : ex.errorMessage, ex.category,
        metadata(ex)));
  }

  /**
   * Replays call the gateway too; marking their records keeps the next replay from replaying them. With auth on,
   * the caller's key id and team id (public ids, never the secret) say whose request it was.
   */
  private static Map<String, String> metadata(ChatExchange ex) {
    if (ex.replayRun == null && ex.keyId == null && ex.cacheOutcome == null) return Map.of();
    Map<String, String> m = new java.util.LinkedHashMap<>(4);
    if (ex.replayRun != null) m.put("replay_run", ex.replayRun);
    if (ex.keyId != null) m.put("key_id", ex.keyId);
    if (ex.teamId != null) m.put("team_id", ex.teamId);
    cache(ex, m);
    return m;
  }
}
