package dev.switchboard.router.chat;

import dev.switchboard.router.config.Deployment;
import dev.switchboard.router.api.ApiError.AttemptView;
import dev.switchboard.router.providers.contract.Usage;
import java.util.ArrayList;
import java.util.List;

/**
 * The mutable record of one client request as it moves through the gateway: attempts,
 * upstream time, the deployment that answered, usage. Confined to the request's event loop.
 */
public final class ChatExchange {
  public final String requestId;
  public final long startNanos;
  public final long deadlineNanos;
  /** Wall-clock arrival time, for the request log. */
  public final long startEpochMs = System.currentTimeMillis();
  public final List<AttemptView> attempts = new ArrayList<>(2);
  public String route;
  public Deployment answered;
  public Usage usage = Usage.ZERO;
  /** Time spent waiting on upstreams, summed over attempts (excluded from gateway overhead). */
  public long upstreamNanos;
  /** Time spent sleeping between retries (also excluded from overhead). */
  public long backoffNanos;
  public int status;
  public String errorMessage;
  /** Eval-driven routing: difficulty, predicted quality per candidate, policy version, scoring time. */
  public Double difficulty;
  public java.util.Map<String, Double> predictedQuality = java.util.Map.of();
  public String policyVersion;
  public long scoringNanos;
  public String category;
  /** Eval-driven routing: why the model was chosen (a decision reason in lower case, or {@code fallback:<reason>}). */
  public String routingReason;
  /** The {@code x-switchboard-replay} header, when sent with the admin key: this request is a replay run's, not client traffic. */
  public String replayRun;
  /** Eval-driven routing: the expected cost of the chosen model (sent as the cost header on streams). */
  public Double expectedCostUsd;
  /** Eval-driven routing: prices of the route's most expensive candidate, for the savings metric. */
  public double[] referencePrices;
  /** The caller's key id and team id when auth is on (never the secret), for the request log. */
  public String keyId;
  /**
   * Budget-aware routing: set (by the key gate, before routing) to what an eval-driven route multiplies the quality
   * target by, when the key's or team's spend is past its budget's downgrade point; null otherwise.
   */
  public Double qualityDowngrade;
  public String teamId;
  /** Set by the {@link RequestGate} that admitted the request; settles its budget and token charge at the end. */
  public RequestGate.Settlement settlement;
  /** Chunks sent to the client on a stream: the completion-token estimate of a stream cut before its usage. */
  public int streamedChunks;
  /** This request's trace: {@link RequestTrace#OFF} unless tracing is on. */
  public RequestTrace trace = RequestTrace.OFF;
  /**
   * Why the request did not go where routing first meant it to: an eval-driven route's scoring fallback ({@code timeout},
   * {@code error}, ...) or {@code upstream_<outcome>} when an attempt failed and a later deployment was tried; null otherwise.
   */
  public String fallbackReason;
  /** The caller's key's {@code cache} tag ({@code off}, {@code exact}, {@code semantic}), or null: the route decides. */
  public String keyCacheTag;
  /** The response cache's verdict ({@code hit}, {@code semantic-hit}, {@code miss}, {@code bypass}), or null when it is off. */
  public String cacheOutcome;
  /** A cache hit: what the cached answer cost when it was made (what this request saved), its similarity and deployment. */
  public double cacheSavedUsd;
  public Double cacheSimilarity;
  public String cacheDeployment;
  /** A miss that will be stored once answered (the response cache's handle), or null. */
  public Object cachePending;
  /** What a front door ({@link Ingress}) keeps between parsing the request and writing its answer (its request's own fields). */
  public Object dialectState;
  /** Extra response headers set by routing (e.g. eval-driven decision headers). */
  public final List<String[]> extraHeaders = new ArrayList<>(0);

  /**
   * The exchange of a request that just arrived: its id (the client's {@code x-request-id} when usable, else a new one,
   * echoed in the response's header) and its deadline from {@code server.request_deadline_ms}.
   */
  public static ChatExchange begin(io.vertx.ext.web.RoutingContext rc, dev.switchboard.router.config.GatewaySnapshot snap) {
    long start = System.nanoTime();
    String requestId = dev.switchboard.router.api.Responses.requestId(rc.request().getHeader("x-request-id"));
    rc.response().putHeader("x-request-id", requestId);
    return new ChatExchange(requestId, start, start + snap.config().server().requestDeadlineMs() * 1_000_000);
  }

  public ChatExchange(String requestId, long startNanos, long deadlineNanos) {
    this.requestId = requestId;
    this.startNanos = startNanos;
    this.deadlineNanos = deadlineNanos;
  }

  /** Gateway overhead so far: wall time minus upstream waits and retry backoff. */
  public long overheadNanos(long now) {
    return Math.max(0, now - startNanos - upstreamNanos - backoffNanos);
  }

  public double costUsd() {
    return answered == null ? 0 : usage.costUsd(answered.inputPricePerMTok(), answered.outputPricePerMTok());
  }
}
