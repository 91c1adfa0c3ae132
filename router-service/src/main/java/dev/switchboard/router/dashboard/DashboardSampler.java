package dev.switchboard.router.dashboard;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.switchboard.router.governance.BudgetUse;
import dev.switchboard.router.providers.chat.Json;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.MeterRegistry;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.LongSupplier;
import java.util.function.Supplier;

/*
 * Design
 * ------
 * The gateway's Prometheus meters are cumulative; the dashboard wants rates. Each sample() reads the totals once,
 * keeps them with their time in a short history, and derives rates from the difference to an older sample: requests
 * and errors per second over the last RATE_WINDOW_MS (one second is too jumpy to read), spend per hour over the last
 * minute. Nothing is added to the request path: the only per-request work is DecisionFeed's.
 */
/** Turns the meters, the decision feed and the budget reader into one JSON snapshot. Call from one thread at a time. */
final class DashboardSampler {
  static final long RATE_WINDOW_MS = 5_000;
  static final long SPEND_WINDOW_MS = 60_000;
  /** The window of the overhead percentiles. */
  static final long OVERHEAD_WINDOW_MS = 60_000;

  /** The cumulative figures of one sample. */
  record Totals(long atMs, double requests, double errors, double costUsd) {}

  private final MeterRegistry registry;
  private final DecisionFeed feed;
  private final Supplier<List<BudgetUse>> budgets;
  private final LongSupplier epochMs;
  private final String capture;
  private final long startedMs;
  private final Deque<Totals> history = new ArrayDeque<>();

  DashboardSampler(MeterRegistry registry, DecisionFeed feed, Supplier<List<BudgetUse>> budgets, LongSupplier epochMs, String capture) {
    this.registry = registry;
    this.feed = feed;
    this.budgets = budgets;
    this.epochMs = epochMs;
    this.capture = capture;
    this.startedMs = epochMs.getAsLong();
  }

  /** Reads everything now and returns the snapshot the page draws. */
  ObjectNode sample() {
    long now = epochMs.getAsLong();
    double requests = 0;
    double errors = 0;
    Map<String, Double> calls = new TreeMap<>();
    for (Counter c : registry.find("switchboard_requests").counters()) {
      double n = c.count();
      requests += n;
      String status = c.getId().getTag("status");
      if (status == null || !status.startsWith("2")) errors += n;
      else calls.merge(c.getId().getTag("deployment"), n, Double::sum);
    }
    double cost = sum("switchboard_cost_usd");
    Totals totals = new Totals(now, requests, errors, cost);
    history.addLast(totals);
    while (history.size() > 2 && history.peekFirst().atMs() < now - SPEND_WINDOW_MS - 1_000) history.removeFirst();

    ObjectNode s = Json.MAPPER.createObjectNode();
    s.put("at_ms", now);
    s.put("uptime_s", (now - startedMs) / 1000);
    s.put("capture", capture);

    Totals rateBase = olderThan(now - RATE_WINDOW_MS);
    double rateSeconds = Math.max(1e-3, (now - rateBase.atMs()) / 1000.0);
    ObjectNode req = s.putObject("requests");
    req.put("total", (long) requests);
    req.put("errors_total", (long) errors);
    req.put("per_s", round((requests - rateBase.requests()) / rateSeconds, 2));
    req.put("errors_per_s", round((errors - rateBase.errors()) / rateSeconds, 2));

    ObjectNode overhead = s.putObject("overhead_ms");
    overhead.put("window_s", OVERHEAD_WINDOW_MS / 1000);
    double[] p = feed.overheadMs(now - OVERHEAD_WINDOW_MS, 0.5, 0.99);
    if (p == null) {
      overhead.putNull("p50");
      overhead.putNull("p99");
    } else {
      overhead.put("p50", round(p[0], 3));
      overhead.put("p99", round(p[1], 3));
    }

    Totals spendBase = olderThan(now - SPEND_WINDOW_MS);
    double spendHours = Math.max(1e-3, (now - spendBase.atMs()) / 3_600_000.0);
    ObjectNode spend = s.putObject("spend");
    spend.put("total_usd", round(cost, 6));
    spend.put("per_hour_usd", now == spendBase.atMs() ? 0 : round((cost - spendBase.costUsd()) / spendHours, 4));

    double saved = sum("switchboard_estimated_savings_usd");
    double evalCost = feed.evalDrivenCostUsd();
    ObjectNode savings = s.putObject("savings");
    savings.put("saved_usd", round(saved, 6));
    savings.put("eval_driven_spend_usd", round(evalCost, 6));
    if (saved + evalCost > 0) savings.put("percent", round(100 * saved / (saved + evalCost), 1));
    else savings.putNull("percent");

    ArrayNode models = s.putArray("models");
    double answered = calls.values().stream().mapToDouble(Double::doubleValue).sum();
    calls.entrySet().stream().sorted(Map.Entry.<String, Double>comparingByValue().reversed()).forEach(e -> models.addObject()
        .put("model", e.getKey()).put("calls", e.getValue().longValue()).put("share", round(e.getValue() / answered, 4)));

    ObjectNode fallbacks = s.putObject("scoring");
    fallbacks.put("decisions", (long) sum("switchboard_routing_decisions"));
    ObjectNode byReason = fallbacks.putObject("fallbacks_by_reason");
    double fb = 0;
    for (Counter c : registry.find("switchboard_routing_fallback").counters()) {
      fb += c.count();
      byReason.put(c.getId().getTag("reason"), byReason.path(c.getId().getTag("reason")).asLong() + (long) c.count());
    }
    fallbacks.put("fallbacks", (long) fb);

    cache(s);

    ArrayNode budgetRows = s.putArray("budgets");
    for (BudgetUse b : budgets.get()) {
      budgetRows.addObject().put("scope", b.scope()).put("id", b.id()).put("name", b.name()).put("period", b.period())
          .put("spent_usd", round(b.spentUsd(), 6)).put("limit_usd", round(b.limitUsd(), 6))
          .put("used", round(b.limitUsd() > 0 ? b.spentUsd() / b.limitUsd() : 0, 4));
    }

    ArrayNode recent = s.putArray("recent");
    for (RecentDecision d : feed.recent()) {
      ObjectNode r = recent.addObject();
      r.put("at_ms", d.atEpochMs()).put("id", d.requestId()).put("route", d.route()).put("model", d.model()).put("status", d.status());
      if (d.difficulty() == null) r.putNull("difficulty"); else r.put("difficulty", round(d.difficulty(), 3));
      if (d.predictedQuality() == null) r.putNull("predicted_quality"); else r.put("predicted_quality", round(d.predictedQuality(), 3));
      r.put("why", d.why()).put("attempts", d.attempts()).put("cost_usd", round(d.costUsd(), 6)).put("overhead_ms", round(d.overheadMs(), 3));
      r.put("excerpt", d.excerpt());
    }
    return s;
  }

  /** The response cache's hit rate from its counter ({@code switchboard_cache_requests}, by outcome); null when no request met a cache. */
  private void cache(ObjectNode s) {
    double hits = 0;
    double misses = 0;
    boolean seen = false;
    for (Meter m : registry.find("switchboard_cache_requests").meters()) {
      if (!(m instanceof Counter c)) continue;
      String outcome = m.getId().getTag("outcome");
      if ("hit".equals(outcome) || "semantic-hit".equals(outcome)) hits += c.count();
      else if ("miss".equals(outcome)) misses += c.count();
      else continue;
      seen = true;
    }
    if (!seen) {
      s.putNull("cache");
      return;
    }
    ObjectNode cache = s.putObject("cache");
    cache.put("hits", (long) hits).put("misses", (long) misses);
    if (hits + misses > 0) cache.put("hit_rate", round(hits / (hits + misses), 4)); else cache.putNull("hit_rate");
  }

  /** The newest sample at or before {@code ms}, else the oldest kept (rates over a shorter window right after start). */
  private Totals olderThan(long ms) {
    Totals best = history.peekFirst();
    for (Totals t : history) {
      if (t.atMs() <= ms) best = t; else break;
    }
    return best;
  }

  private double sum(String name) {
    double total = 0;
    for (Counter c : registry.find(name).counters()) total += c.count();
    return total;
  }

  static double round(double v, int decimals) {
    if (!Double.isFinite(v)) return 0;
    double f = Math.pow(10, decimals);
    return Math.round(v * f) / f;
  }
}
