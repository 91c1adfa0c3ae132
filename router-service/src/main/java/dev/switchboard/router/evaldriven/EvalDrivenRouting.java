package dev.switchboard.router.evaldriven;

import com.fasterxml.jackson.databind.JsonNode;
import dev.switchboard.classifier.Classifier;
import dev.switchboard.classifier.Scores;
import dev.switchboard.classifier.base.ScoringInput;
import dev.switchboard.classifier.text.PromptText;
import dev.switchboard.router.chat.ChatExchange;
import dev.switchboard.router.chat.ExchangeObserver;
import dev.switchboard.router.chat.ParsedChat;
import dev.switchboard.router.chat.RequestCategory;
import dev.switchboard.router.chat.RequestTrace;
import dev.switchboard.router.chat.RouteResolver;
import dev.switchboard.router.chat.SwitchboardOptions;
import dev.switchboard.router.config.Deployment;
import dev.switchboard.router.config.GatewayConfig;
import dev.switchboard.router.config.GatewaySnapshot;
import dev.switchboard.router.config.RouteConfig;
import dev.switchboard.router.config.RouteType;
import dev.switchboard.router.api.ApiError;
import dev.switchboard.router.api.ApiException;
import dev.switchboard.router.metrics.GatewayMetrics;
import dev.switchboard.router.routing.RoutePlanner.Plan;
import dev.switchboard.routing.Decision;
import dev.switchboard.routing.Policy;
import dev.switchboard.routing.PolicyQualities;
import dev.switchboard.routing.Selection;
import dev.switchboard.routing.SelectionOverrides;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Timer;
import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.MultiMap;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;

/**
 * Eval-driven routes: score the prompt (on the request's own thread when it is short and the
 * classifier makes no native call, else on a scoring worker), then pick through
 * {@link Selection#choose} (the same function the offline harness uses). If scoring is late or
 * fails, the route's default deployment answers and {@code switchboard_routing_fallback_total{reason}} counts it.
 */
final class EvalDrivenRouting implements RouteResolver, ExchangeObserver {
  /** Output tokens assumed for a max-cost check when the request sets no max_tokens. */
  static final int DEFAULT_OUTPUT_TOKENS = 512;

  private final Vertx vertx;
  private final ScoringService scoring;
  private final PolicyRegistry policies;
  private final GatewayMetrics metrics;
  private final long deadlineMs;
  private final int inlineMaxTokens;
  private final Timer classifierLatency;
  /** Prompts scored, by where: the cache, the request's own thread, a scoring worker. */
  private final Counter fromCache;
  private final Counter inline;
  private final Counter byWorker;

  /** @param inlineMaxTokens {@code classifier.inline_max_tokens}: see {@link #scoreHere} */
  public EvalDrivenRouting(Vertx vertx, ScoringService scoring, PolicyRegistry policies, GatewayMetrics metrics, long deadlineMs,
      int inlineMaxTokens) {
    this.vertx = vertx;
    this.inlineMaxTokens = inlineMaxTokens;
    this.scoring = scoring;
    this.policies = policies;
    this.metrics = metrics;
    this.deadlineMs = deadlineMs;
    this.classifierLatency = Timer.builder("switchboard_classifier_latency")
        .description("Time from queueing a prompt for scoring to its scores (queue + encoder + heads)")
        .serviceLevelObjectives(dev.switchboard.router.metrics.Buckets.SCORING).register(metrics.meterRegistry());
    String about = "Prompts scored for eval-driven routes, by where: the classifier's cache, the request's own thread"
        + " (inline: short prompts, classifier in plain Java) or a scoring worker";
    this.fromCache = metrics.counter("switchboard_classifier_scored", about, "where", "cache");
    this.inline = metrics.counter("switchboard_classifier_scored", about, "where", "inline");
    this.byWorker = metrics.counter("switchboard_classifier_scored", about, "where", "worker");
  }

  public PolicyRegistry policies() {
    return policies;
  }

  public ScoringService scoring() {
    return scoring;
  }

  /** The scoring deadline in force ({@code classifier.scoring_deadline_ms} or {@code serve --scoring-deadline-ms}). */
  public long deadlineMs() {
    return deadlineMs;
  }

  @Override
  public Future<Plan> resolve(GatewaySnapshot snap, ParsedChat chat, ChatExchange ex, MultiMap headers) {
    RouteConfig route = snap.config().routes().get(chat.request().model());
    if (route == null || route.type() != RouteType.EVAL_DRIVEN) return STATIC.resolve(snap, chat, ex, headers);
    RequestTrace.Stage span = ex.trace.stage(RequestTrace.SCORING);
    Future<RoutedDecision> decided;
    try {
      decided = decide(snap, route, chat, headers, ex);
    } catch (RuntimeException e) { // a bad switchboard option: the caller answers 400
      span.fail(e.getClass().getSimpleName());
      throw e;
    }
    return decided.map(d -> {
      record(ex, d);
      span.set("switchboard.route", d.route()).set("switchboard.model", d.chosen()).set("switchboard.fallback_reason", d.fallbackReason())
          .set("switchboard.policy_version", d.policy().version());
      if (ex.difficulty != null) span.set("switchboard.difficulty", ex.difficulty);
      span.end();
      return new Plan(route.alias(), d.plan());
    }).onFailure(e -> span.fail(e.getClass().getSimpleName()));
  }

  /** The decision alone, for {@code POST /v1/route}; {@code ex} may be a throwaway exchange. */
  public Future<RoutedDecision> decide(GatewaySnapshot snap, RouteConfig route, ParsedChat chat, MultiMap headers, ChatExchange ex) {
    // The pair is read once: this request is decided by this policy and scored by its classifier,
    // even if a publish swaps both meanwhile. A failed acquire means the pair was just swapped out.
    PolicyRegistry.Live live = policies.get(route.alias());
    boolean acquired = live.classifier().tryAcquire();
    for (int i = 0; i < 2 && !acquired; i++) {
      live = policies.get(route.alias());
      acquired = live.classifier().tryAcquire();
    }
    LoadedClassifier classifier = live.classifier();
    Policy policy = live.policy();
    SelectionOverrides overrides;
    String category;
    try {
      overrides = downgraded(overrides(chat, headers, policy), policy, ex);
      category = RequestCategory.of(chat.options(), headers, route);
    } catch (RuntimeException e) {
      if (acquired) classifier.release();
      throw e;
    }
    ex.category = category;
    JsonNode messages = chat.request().body().get("messages");
    ScoringInput input = ScoringInput.ofMessages(messages.toString(), category);
    Context ctx = Vertx.currentContext();
    long t0 = System.nanoTime();
    if (!acquired) { // swapped out three times in a row while we looked: score nothing, use the default
      return Future.succeededFuture(fallback(snap.config(), route, policy, "error", overrides, category, System.nanoTime() - t0));
    }
    Scores hit = scoring.cached(input, classifier);
    if (hit != null) {
      return Future.succeededFuture(scoredHere(fromCache, classifier, hit, snap, route, policy, overrides, category, t0));
    }
    PromptText.View view = null;
    if (inlineMaxTokens > 0 && classifier.classifier().inJava()) {
      Scores here;
      try {
        view = PromptText.of(input);
        here = scoreHere(input, view, classifier.classifier());
      } catch (RuntimeException e) {
        classifier.release();
        return Future.succeededFuture(fallback(snap.config(), route, policy, "error", overrides, category, System.nanoTime() - t0));
      }
      if (here != null) {
        return Future.succeededFuture(scoredHere(inline, classifier, here, snap, route, policy, overrides, category, t0));
      }
    }
    Promise<RoutedDecision> out = Promise.promise();
    ScoringService.Job job = scoring.submit(input, view, ctx, TimeUnit.MILLISECONDS.toNanos(deadlineMs), classifier);
    // The timer and the job's outcome both run on this context, so "not decided yet" checked here
    // holds until the tryComplete below; fallback() counts the fallback, so it runs only for the one
    // that decides (a worker's late rejection after the deadline won would count it twice).
    long timer = vertx.setTimer(deadlineMs, t -> {
      if (out.future().isComplete()) return;
      out.complete(fallback(snap.config(), route, policy, "timeout", overrides, category, System.nanoTime() - t0));
      job.abandon();
    });
    ScoringService.future(job).onComplete(ar -> {
      vertx.cancelTimer(timer);
      long dt = System.nanoTime() - t0;
      if (ar.failed()) {
        if (out.future().isComplete()) return; // the deadline won and was counted
        String reason = ar.cause() instanceof ScoringService.ScoringRejected r ? r.reason() : "error";
        out.complete(fallback(snap.config(), route, policy, reason, overrides, category, dt));
        return;
      }
      classifierLatency.record(dt, TimeUnit.NANOSECONDS);
      byWorker.increment();
      if (out.future().isComplete()) return; // the deadline won
      out.tryComplete(select(snap.config(), route, policy, ar.result(), overrides, category, dt));
    });
    return out.future();
  }

  /** The decision for scores found on this thread (the cache, or scored inline), counted under {@code where}. */
  private RoutedDecision scoredHere(Counter where, LoadedClassifier classifier, Scores scores, GatewaySnapshot snap, RouteConfig route,
      Policy policy, SelectionOverrides overrides, String category, long t0) {
    where.increment();
    classifier.release();
    long dt = System.nanoTime() - t0;
    classifierLatency.record(dt, TimeUnit.NANOSECONDS);
    return select(snap.config(), route, policy, scores, overrides, category, dt);
  }

  /**
   * The scores of a prompt of at most {@code classifier.inline_max_tokens} (~4 characters a token),
   * computed here on the event loop, or null for a longer one (the workers score it). Only for a
   * classifier with no native call: then a 256-token prompt costs ~0.1 ms of plain Java (0.12 ms
   * p50 alone on a core), and scoring it here saves the hand-off to a worker and back (thread
   * wake-ups, the request's data moving between cores): added p50 1.26–1.83 → 1.08–1.21 ms at 16
   * connections on 2 cores, side by side (bench/results/routing-ab-2026-12-07-session8.md).
   */
  private Scores scoreHere(ScoringInput input, PromptText.View view, Classifier classifier) {
    if (view.embedText().length() / 4 > inlineMaxTokens) return null; // the worker reuses the view
    return classifier.scoreBatch(List.of(input), java.util.Collections.singletonList(view)).get(0);
  }

  private RoutedDecision select(GatewayConfig config, RouteConfig route, Policy policy, Scores scores, SelectionOverrides overrides,
      String category, long dt) {
    int n = policy.candidates().size();
    double[] q = PolicyQualities.of(policy, scores::qualityOrNaN, scores::qualityAtAbility);
    Decision d = Selection.choose(policy, q, scores.difficulty(), overrides);
    List<Deployment> plan = new ArrayList<>(n);
    plan.add(config.deployments().get(d.model()));
    for (String m : d.fallbackModels(policy)) plan.add(config.deployments().get(m));
    metrics.counter("switchboard_routing_decisions", "Eval-driven decisions by route, chosen model and reason",
        "route", route.alias(), "model", d.model(), "reason", d.reason().name().toLowerCase(Locale.ROOT)).increment();
    Policy.Candidate c = policy.candidates().get(d.index());
    return new RoutedDecision(route.alias(), policy, d, scores, null, plan,
        c.expectedCostUsd(overrides.estimatedInputTokens(), overrides.estimatedOutputTokens()), dt, overrides, category);
  }

  /** The route's default first, then the other allowed candidates, dearest first. */
  private RoutedDecision fallback(GatewayConfig config, RouteConfig route, Policy policy, String reason, SelectionOverrides overrides,
      String category, long dt) {
    metrics.counter("switchboard_routing_fallback", "Eval-driven requests sent to the route's default because scoring was late, failed or overloaded",
        "route", route.alias(), "reason", reason).increment();
    List<Deployment> plan = new ArrayList<>();
    plan.add(config.deployments().get(route.defaultDeployment()));
    List<Policy.Candidate> byPrice = new ArrayList<>(policy.candidates());
    java.util.Collections.reverse(byPrice);
    for (Policy.Candidate c : byPrice) {
      if (c.model().equals(route.defaultDeployment())) continue;
      if (overrides.allowedModels() != null && !overrides.allowedModels().contains(c.model())) continue;
      plan.add(config.deployments().get(c.model()));
    }
    Deployment d = plan.get(0);
    double expected = (overrides.estimatedInputTokens() * d.inputPricePerMTok() + overrides.estimatedOutputTokens() * d.outputPricePerMTok()) / 1e6;
    return new RoutedDecision(route.alias(), policy, null, null, reason, plan, expected, dt, overrides, category);
  }

  /** Copies the decision onto the exchange: response headers, log fields, savings reference. */
  private static void record(ChatExchange ex, RoutedDecision d) {
    ex.policyVersion = d.policy().version();
    ex.scoringNanos = d.scoringNanos();
    ex.expectedCostUsd = d.expectedCostUsd();
    ex.routingReason = d.decision() != null ? d.decision().reason().name().toLowerCase(Locale.ROOT) : "fallback:" + d.fallbackReason();
    Policy.Candidate best = d.policy().candidates().get(d.policy().candidates().size() - 1);
    ex.referencePrices = new double[] {best.inputPricePerMtok(), best.outputPricePerMtok()};
    ex.extraHeaders.add(new String[] {"x-switchboard-route", d.route()});
    ex.extraHeaders.add(new String[] {"x-switchboard-model", d.chosen()});
    ex.extraHeaders.add(new String[] {"x-switchboard-policy-version", d.policy().version()});
    if (d.scores() != null) {
      ex.difficulty = d.scores().difficulty();
      Map<String, Double> pq = predictedQuality(d);
      ex.predictedQuality = pq;
      ex.extraHeaders.add(new String[] {"x-switchboard-difficulty", fmt(d.scores().difficulty())});
      ex.extraHeaders.add(new String[] {"x-switchboard-predicted-quality", fmt(pq.get(d.chosen()))});
    } else {
      ex.extraHeaders.add(new String[] {"x-switchboard-routing-fallback", d.fallbackReason()});
      ex.fallbackReason = d.fallbackReason();
    }
  }

  /** Each policy candidate's predicted quality for the decided prompt, in policy order. */
  static Map<String, Double> predictedQuality(RoutedDecision d) {
    double[] q = PolicyQualities.of(d.policy(), d.scores()::qualityOrNaN, d.scores()::qualityAtAbility);
    Map<String, Double> pq = new LinkedHashMap<>();
    for (int i = 0; i < q.length; i++) pq.put(d.policy().candidates().get(i).model(), q[i]);
    return pq;
  }

  static String fmt(double v) {
    return dev.switchboard.router.api.Decimals.fixed(v, 4);
  }

  /** Per-request control: body {@code switchboard} wins over the header; every value validated. */
  static SelectionOverrides overrides(ParsedChat chat, MultiMap headers, Policy policy) {
    SwitchboardOptions o = chat.options();
    Double target = o.qualityTarget();
    String h = headers.get("x-switchboard-quality-target");
    if (target == null && h != null) {
      try {
        target = Double.parseDouble(h.trim());
      } catch (NumberFormatException e) {
        target = Double.NaN;
      }
      if (!(target > 0 && target <= 1)) {
        throw new ApiException(ApiError.invalidRequest("Header 'x-switchboard-quality-target' must be a number in (0, 1], got '" + h + "'.",
            "x-switchboard-quality-target", "invalid_value"));
      }
    }
    Set<String> allowed = null;
    if (o.candidates() != null) {
      allowed = new HashSet<>();
      for (int i = 0; i < o.candidates().size(); i++) {
        String m = o.candidates().get(i);
        if (policy.indexOf(m) < 0) {
          List<String> names = policy.candidates().stream().map(Policy.Candidate::model).toList();
          throw ApiException.badRequest("'switchboard.candidates[" + i + "]': '" + m + "' is not a candidate of this route " + names + ".",
              "switchboard.candidates[" + i + "]");
        }
        allowed.add(m);
      }
    }
    double in = estimateInputTokens(chat.request().body().get("messages"));
    JsonNode mt = chat.request().body().has("max_completion_tokens") ? chat.request().body().get("max_completion_tokens") : chat.request().body().get("max_tokens");
    double outTokens = mt != null && mt.isIntegralNumber() ? mt.asDouble() : DEFAULT_OUTPUT_TOKENS;
    return new SelectionOverrides(target, o.maxCostUsd(), in, outTokens, allowed);
  }

  /*
   * Budget-aware routing reuses the quality-target knob rather than a second mechanism: the request's target (or
   * the policy's reference fraction when it gave none) times limits.downgrade_quality_factor. Selection then scales
   * every threshold (or difficulty cut) by that same factor, so the downgrade moves the route along the policy's own
   * cost-quality curve: the operating point that `switchboard eval` reports for those thresholds. A fixed factor
   * rather than "the next point of the curve" keeps it one multiplication, the same for every policy kind, and
   * predictable in the README's terms (its expected loss is read off the shipped policy's sweep).
   */
  /** The overrides with the quality target lowered when {@code ex} is budget-downgraded; marks the response. */
  static SelectionOverrides downgraded(SelectionOverrides o, Policy policy, ChatExchange ex) {
    if (ex == null || ex.qualityDowngrade == null) return o;
    double base = o.qualityTarget() != null ? o.qualityTarget() : policy.referenceQualityFraction();
    ex.extraHeaders.add(new String[] {"x-switchboard-budget-mode", "downgraded"});
    return o.withQualityTarget(base * ex.qualityDowngrade);
  }

  /** About four characters per token, the usual rule of thumb for English with BPE tokenisers. */
  static double estimateInputTokens(JsonNode messages) {
    long chars = 0;
    for (JsonNode m : messages) {
      JsonNode c = m.get("content");
      if (c == null) continue;
      if (c.isTextual()) chars += c.asText().length();
      else if (c.isArray()) for (JsonNode p : c) chars += p.path("text").asText("").length();
    }
    return Math.max(1, Math.ceil(chars / 4.0));
  }

  /** The savings metric needs usage, not the answer's text. */
  @Override
  public boolean needsResponseText() {
    return false;
  }

  /** Estimated savings versus always sending the route's most expensive candidate the same tokens. */
  @Override
  public void completed(ParsedChat chat, ChatExchange ex, String responseText) {
    if (ex.referencePrices == null || ex.answered == null || ex.status != 200) return;
    double reference = ex.usage.costUsd(ex.referencePrices[0], ex.referencePrices[1]);
    double saved = reference - ex.costUsd();
    metrics.counter("switchboard_estimated_savings_usd", "Estimated savings of eval-driven routing versus always the route's dearest candidate",
        "route", ex.route).increment(Math.max(0, saved));
  }
}
