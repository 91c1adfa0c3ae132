package dev.switchboard.router.dashboard;

import com.fasterxml.jackson.databind.JsonNode;
import dev.switchboard.router.chat.ChatExchange;
import dev.switchboard.router.chat.ExchangeObserver;
import dev.switchboard.router.chat.ParsedChat;
import dev.switchboard.router.requestlog.CaptureMode;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.atomic.DoubleAdder;
import java.util.function.LongSupplier;

/*
 * Design
 * ------
 * Runs on every request's event loop, so it only copies a few fields into preallocated rings under a short lock:
 * the last DECISIONS requests (for the table) and the last OVERHEAD_SAMPLES overheads with their times (for p50/p99
 * over a recent window). The prompt excerpt is cut before the capture mode is applied, so redaction works on at
 * most EXCERPT_CHARS characters, and under capture mode none nothing of the prompt is kept at all.
 * The gateway keeps no overhead meter (its latency histogram includes upstream time), hence the sample ring here.
 */
/** Keeps the recent routing decisions and gateway-overhead samples the dashboard shows. */
public final class DecisionFeed implements ExchangeObserver {
  /** Rows in the "recent decisions" table. */
  public static final int DECISIONS = 50;
  /** Overhead samples kept; at high rates the p50/p99 window is the last this many requests. */
  static final int OVERHEAD_SAMPLES = 4096;
  /** Characters of the prompt kept for the excerpt. */
  static final int EXCERPT_CHARS = 140;

  private final CaptureMode capture;
  private final LongSupplier epochMs;
  private final RecentDecision[] decisions = new RecentDecision[DECISIONS];
  private final long[] overheadNanos = new long[OVERHEAD_SAMPLES];
  private final long[] overheadAtMs = new long[OVERHEAD_SAMPLES];
  private long decisionCount;
  private long overheadCount;
  /** Actual cost of answered eval-driven requests: the base of the savings percentage. */
  private final DoubleAdder evalDrivenCostUsd = new DoubleAdder();

  /**
   * @param capture the request log's capture mode: what of the prompt the excerpt may show
   * @param epochMs the wall clock (milliseconds), for the sample times
   */
  public DecisionFeed(CaptureMode capture, LongSupplier epochMs) {
    this.capture = capture;
    this.epochMs = epochMs;
  }

  @Override
  public boolean needsResponseText() {
    return false;
  }

  @Override
  public void completed(ParsedChat chat, ChatExchange ex, String responseText) {
    long overhead = ex.overheadNanos(System.nanoTime());
    long now = epochMs.getAsLong();
    double cost = ex.costUsd();
    if (ex.referencePrices != null && ex.status == 200) evalDrivenCostUsd.add(cost);
    RecentDecision d = new RecentDecision(ex.startEpochMs, ex.requestId, ex.route, ex.answered == null ? null : ex.answered.name(),
        ex.status, ex.difficulty, ex.answered == null ? null : ex.predictedQuality.get(ex.answered.name()), why(ex),
        ex.attempts.size(), cost, overhead / 1e6, chat == null ? null : excerpt(chat.request().body().get("messages")));
    synchronized (this) {
      decisions[(int) (decisionCount++ % DECISIONS)] = d;
      int i = (int) (overheadCount++ % OVERHEAD_SAMPLES);
      overheadNanos[i] = overhead;
      overheadAtMs[i] = now;
    }
  }

  private static String why(ChatExchange ex) {
    if (ex.routingReason != null) return ex.routingReason;
    return ex.referencePrices == null ? "static" : null;
  }

  /** The last user message's start, as the capture mode allows. */
  String excerpt(JsonNode messages) {
    if (capture == CaptureMode.NONE || messages == null || !messages.isArray()) return null;
    String text = null;
    for (JsonNode m : messages) {
      if (!"user".equals(m.path("role").asText())) continue;
      JsonNode c = m.get("content");
      if (c == null) continue;
      if (c.isTextual()) text = c.asText();
      else if (c.isArray()) {
        StringBuilder sb = new StringBuilder();
        for (JsonNode p : c) sb.append(p.path("text").asText(""));
        text = sb.toString();
      }
    }
    if (text == null) return null;
    String cut = collapsedPrefix(text.strip());
    if (cut.length() > EXCERPT_CHARS) cut = cut.substring(0, EXCERPT_CHARS) + "…";
    return capture.text(cut);
  }

  /**
   * The text with each run of ASCII whitespace ({@code \\s}) made one space, read only until one character past the
   * excerpt: this runs on every request, and a regular expression over a whole long prompt cost what its length costs.
   */
  private static String collapsedPrefix(String text) {
    StringBuilder out = new StringBuilder(Math.min(text.length(), EXCERPT_CHARS + 1));
    boolean inSpace = false;
    for (int i = 0; i < text.length() && out.length() <= EXCERPT_CHARS; i++) {
      char c = text.charAt(i);
      boolean space = c == ' ' || c == '\t' || c == '\n' || c == '\u000B' || c == '\f' || c == '\r';
      if (space) {
        if (!inSpace) out.append(' ');
      } else {
        out.append(c);
      }
      inSpace = space;
    }
    return out.toString();
  }

  /** @return the recent decisions, newest first */
  public synchronized List<RecentDecision> recent() {
    int n = (int) Math.min(decisionCount, DECISIONS);
    List<RecentDecision> out = new ArrayList<>(n);
    for (int k = 1; k <= n; k++) out.add(decisions[(int) ((decisionCount - k) % DECISIONS)]);
    return out;
  }

  /**
   * Overhead percentiles of the requests finished since {@code sinceEpochMs}.
   *
   * @param quantiles e.g. 0.5 and 0.99
   * @return milliseconds per quantile, or null when no request finished in the window
   */
  public double[] overheadMs(long sinceEpochMs, double... quantiles) {
    long[] window;
    synchronized (this) {
      int n = (int) Math.min(overheadCount, OVERHEAD_SAMPLES);
      window = new long[n];
      int w = 0;
      for (int i = 0; i < n; i++) if (overheadAtMs[i] >= sinceEpochMs) window[w++] = overheadNanos[i];
      window = Arrays.copyOf(window, w);
    }
    if (window.length == 0) return null;
    Arrays.sort(window);
    double[] out = new double[quantiles.length];
    for (int q = 0; q < quantiles.length; q++) {
      int rank = (int) Math.ceil(quantiles[q] * window.length) - 1; // nearest-rank
      out[q] = window[Math.max(0, Math.min(window.length - 1, rank))] / 1e6;
    }
    return out;
  }

  /** Actual spend of answered eval-driven requests since start. */
  public double evalDrivenCostUsd() {
    return evalDrivenCostUsd.sum();
  }
}
