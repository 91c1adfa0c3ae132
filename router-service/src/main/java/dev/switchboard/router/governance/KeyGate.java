package dev.switchboard.router.governance;

import com.fasterxml.jackson.databind.JsonNode;
import dev.switchboard.governance.Budget;
import dev.switchboard.governance.counters.BudgetDecision;
import dev.switchboard.governance.counters.RateDecision;
import dev.switchboard.governance.counters.RateLimits;
import dev.switchboard.governance.counters.Reservation;
import dev.switchboard.governance.counters.Scope;
import dev.switchboard.governance.counters.TokenCharge;
import dev.switchboard.governance.keys.KeyRecord;
import dev.switchboard.governance.keys.KeySettings;
import dev.switchboard.governance.keys.Team;
import dev.switchboard.governance.spend.SpendRecord;
import dev.switchboard.router.api.ApiError;
import dev.switchboard.router.api.ApiException;
import dev.switchboard.router.chat.ChatExchange;
import dev.switchboard.router.chat.ParsedChat;
import dev.switchboard.router.chat.RequestGate;
import dev.switchboard.router.chat.SwitchboardOptions;
import dev.switchboard.router.config.Deployment;
import dev.switchboard.router.config.GatewaySnapshot;
import dev.switchboard.router.config.RouteConfig;
import dev.switchboard.router.config.RouteType;
import dev.switchboard.router.routing.RoutePlanner.Plan;
import io.vertx.core.Future;
import io.vertx.ext.web.RoutingContext;
import java.math.BigDecimal;
import java.math.RoundingMode;
import java.time.Instant;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/*
 * Design
 * ------
 * A request of an authenticated key goes: model allow-list (403), caps on its routing options, then on the event
 * loop without blocking: admit (RPM, and TPM charged with prompt-token estimate + max_tokens), reserve the most it
 * can cost on the key's and team's budgets, the upstream call, and at the end settle the actual cost, correct the
 * token charge and append the spend to the ledger on a worker. The reservation is the worst case over every
 * deployment the plan can fall back to, so a budget can only be overrun by a request whose real cost exceeded its
 * own reservation (the estimate of the prompt is ~4 characters a token, not exact).
 */
/** Issue #14 on the chat path: permissions, caps, rate limits and budget of the calling key. */
public final class KeyGate implements RequestGate {
  private static final Logger LOG = LoggerFactory.getLogger(KeyGate.class);
  private static final BigDecimal MILLION = BigDecimal.valueOf(1_000_000);

  private final Governance governance;
  /** Last known "past the downgrade point" per {@code KEY:id} / {@code TEAM:id}, for counters that answer asynchronously. */
  private final java.util.concurrent.ConcurrentHashMap<String, Boolean> downgraded = new java.util.concurrent.ConcurrentHashMap<>();

  public KeyGate(Governance governance) {
    this.governance = governance;
  }

  // ---------------------------------------------------------------- before routing

  /** The key tag that turns the response cache on or off for a key: {@code off}, {@code exact} or {@code semantic}. */
  public static final String KEY_CACHE_TAG = "cache";

  @Override
  public ParsedChat authorize(RoutingContext rc, GatewaySnapshot snap, ParsedChat chat, ChatExchange ex) {
    Caller caller = rc.get(Caller.CONTEXT_KEY);
    if (caller == null) return chat; // auth off
    KeyRecord key = caller.key();
    ex.keyId = key.id();
    ex.teamId = key.settings().teamId();
    ex.keyCacheTag = key.settings().tags().get(KEY_CACHE_TAG);
    String model = chat.request().model();
    RouteConfig route = snap.config().routes().get(model);
    if (route != null ? !key.allowsRoute(model) : !key.allowsModel(model)) throw notAllowed(model);
    boolean evalDriven = route != null && route.type() == RouteType.EVAL_DRIVEN;
    if (evalDriven && pastDowngradePoint(key)) ex.qualityDowngrade = snap.config().limits().downgradeQualityFactor();
    return capped(chat, key.settings(), evalDriven, ex);
  }

  /*
   * Budget-aware routing. Routing happens before admit(), so whether to downgrade is decided here, from the live
   * counters' spent-plus-reserved of the key's and its team's current period. In-process counters answer at once;
   * Redis answers later, so for a shared store the answer of the previous request of that key (or team) is used and
   * this one refreshes it: the downgrade starts at most one request late, and the request path never waits.
   */
  private boolean pastDowngradePoint(KeyRecord key) {
    Governance.Ready g = governance.readyOrNull();
    if (g == null) return false;
    String teamId = key.settings().teamId();
    Team team = teamId == null ? null : g.registry().team(teamId).orElse(null);
    Instant now = governance.clock().instant();
    boolean keyPast = past(g, Scope.KEY, key.id(), key.settings().budget(), now);
    boolean teamPast = team != null && past(g, Scope.TEAM, team.id(), team.settings().budget(), now);
    return keyPast || teamPast;
  }

  private boolean past(Governance.Ready g, Scope scope, String id, Budget budget, Instant now) {
    if (budget == null || budget.downgradeAt() == null) return false;
    String k = scope.name() + ':' + id;
    Future<BigDecimal> spent = g.counters().spent(scope, id, budget.period(), now);
    if (spent.isComplete()) return spent.succeeded() && budget.pastDowngradePoint(spent.result());
    spent.onSuccess(s -> downgraded.put(k, budget.pastDowngradePoint(s)));
    return downgraded.getOrDefault(k, false);
  }

  /*
   * Caps clamp rather than refuse: the key's maximum is the admin's policy for what this key may ask, and a client
   * that always sends quality_target 0.95 should be served at the best quality its key allows, not fail on every
   * call. The clamp is visible: x-switchboard-capped names what was lowered. max_cost_usd only steers eval-driven
   * routes, so only there does the key's cap apply to a request that gave none.
   */
  static ParsedChat capped(ParsedChat chat, KeySettings k, boolean evalDriven, ChatExchange ex) {
    SwitchboardOptions o = chat.options();
    Double quality = o.qualityTarget();
    Double cost = o.maxCostUsd();
    StringBuilder capped = new StringBuilder();
    boolean changed = false;
    if (quality != null && k.maxQualityTarget() != null && quality > k.maxQualityTarget()) {
      quality = k.maxQualityTarget();
      capped.append("quality_target");
      changed = true;
    }
    if (evalDriven && k.maxCostUsd() != null && (cost == null || cost > k.maxCostUsd().doubleValue())) {
      if (cost != null) capped.append(capped.length() > 0 ? "," : "").append("max_cost_usd");
      cost = k.maxCostUsd().doubleValue();
      changed = true;
    }
    if (capped.length() > 0) ex.extraHeaders.add(new String[] {"x-switchboard-capped", capped.toString()});
    if (!changed) return chat;
    return new ParsedChat(chat.request(), new SwitchboardOptions(quality, cost, o.candidates(), o.category(), o.cache()));
  }

  private static ApiException notAllowed(String model) {
    return new ApiException(new ApiError(403, "invalid_request_error",
        "This API key is not allowed to use the model '" + model + "'.", "model", "model_not_allowed", null));
  }

  // ---------------------------------------------------------------- before the upstream call

  @Override
  public Future<Plan> admit(GatewaySnapshot snap, Plan plan, ParsedChat chat, ChatExchange ex) {
    if (ex.keyId == null) return Future.succeededFuture(plan);
    Governance.Ready g = governance.readyOrNull();
    KeyRecord key = g.registry().key(ex.keyId).orElseThrow();
    var team = ex.teamId == null ? null : g.registry().team(ex.teamId).orElse(null);
    List<Deployment> reachable = key.settings().allowedModels().isEmpty() ? plan.deployments()
        : plan.deployments().stream().filter(d -> key.allowsModel(d.name())).toList();
    if (reachable.isEmpty()) return Future.failedFuture(notAllowed(chat.request().model()));
    Plan allowed = reachable.size() == plan.deployments().size() ? plan : new Plan(plan.route(), reachable);

    long promptTokens = TokenEstimate.prompt(chat.request().body().get("messages"));
    Long maxTokens = maxTokens(chat.request().body());
    BigDecimal maxCost = BigDecimal.ZERO;
    long maxOut = 0;
    for (Deployment d : reachable) {
      long out = maxTokens != null ? maxTokens : d.maxTokensDefault();
      maxOut = Math.max(maxOut, out);
      maxCost = maxCost.max(cost(d, promptTokens, out));
    }
    BigDecimal reservation = maxCost;
    Instant now = governance.clock().instant();
    return g.counters().admit(RateLimits.of(key, team), promptTokens + maxOut, now).compose(rate -> {
      RateLimitHeaders.add(rate, ex.extraHeaders);
      if (!rate.allowed()) return Future.failedFuture(rateLimited(rate));
      return g.counters().reserve(key.id(), key.settings().budget(), ex.teamId, team == null ? null : team.settings().budget(),
          reservation, now).compose(budget -> {
            if (budget instanceof BudgetDecision.Refused refused) {
              g.counters().correctTokens(rate.charge(), 0); // refused before any upstream call: it used no tokens
              return Future.failedFuture(budgetExceeded(refused, reservation));
            }
            Reservation r = ((BudgetDecision.Reserved) budget).reservation();
            ex.settlement = done -> settle(g, r, rate.charge(), promptTokens, chat.request().model(), done);
            return Future.succeededFuture(allowed);
          });
    });
  }

  private static Long maxTokens(JsonNode body) {
    JsonNode mt = body.has("max_completion_tokens") ? body.get("max_completion_tokens") : body.get("max_tokens");
    return mt != null && mt.isIntegralNumber() ? mt.asLong() : null;
  }

  static BigDecimal cost(Deployment d, long promptTokens, long completionTokens) {
    return BigDecimal.valueOf(d.inputPricePerMTok()).multiply(BigDecimal.valueOf(promptTokens))
        .add(BigDecimal.valueOf(d.outputPricePerMTok()).multiply(BigDecimal.valueOf(completionTokens)))
        .divide(MILLION, 6, RoundingMode.UP);
  }

  private static ApiException rateLimited(RateDecision rate) {
    boolean tokens = rate.deniedBy() != null && rate.deniedBy().tokens();
    String whose = rate.deniedBy() != null && rate.deniedBy().scope() == dev.switchboard.governance.counters.Scope.TEAM ? "team" : "key";
    String wait = rate.retryAfter() == null ? " This request alone exceeds the tokens-per-minute limit; lower max_tokens."
        : " Try again in " + RateLimitHeaders.ceilSeconds(rate.retryAfter()) + " s.";
    return new ApiException(new ApiError(429, "rate_limit_error", "Rate limit reached for this " + whose + " on "
        + (tokens ? "tokens" : "requests") + " per minute." + wait, null, "rate_limit_exceeded", null));
  }

  private static ApiException budgetExceeded(BudgetDecision.Refused refused, BigDecimal reservation) {
    String whose = refused.scope() == dev.switchboard.governance.counters.Scope.TEAM ? "team's" : "key's";
    return new ApiException(new ApiError(429, "insufficient_quota", "The " + whose + " budget is exhausted: $"
        + refused.remainingUsd().stripTrailingZeros().toPlainString() + " remaining this period, and this request may cost up to $"
        + reservation.stripTrailingZeros().toPlainString() + " (lower max_tokens to reserve less).", null, "budget_exceeded", null));
  }

  // ---------------------------------------------------------------- after

  /**
   * Settles what the request used: its usage when the upstream reported one, else (a stream cut before its usage
   * chunk) the prompt estimate plus a token per streamed chunk, and nothing when no upstream answered.
   */
  private void settle(Governance.Ready g, Reservation r, TokenCharge charge, long promptEstimate, String model, ChatExchange ex) {
    long prompt = ex.usage.promptTokens();
    long completion = ex.usage.completionTokens();
    BigDecimal cost;
    if (ex.answered == null) {
      cost = BigDecimal.ZERO;
    } else if (prompt + completion > 0) {
      cost = cost(ex.answered, prompt, completion);
    } else {
      prompt = promptEstimate;
      completion = ex.streamedChunks;
      cost = cost(ex.answered, prompt, completion);
    }
    g.counters().settle(r, cost);
    g.counters().correctTokens(charge, prompt + completion);
    SpendRecord record = new SpendRecord(ex.requestId, ex.keyId, ex.teamId, ex.answered == null ? model : ex.answered.name(), cost,
        prompt, completion, governance.clock().instant());
    g.spend().add(record);
  }
}
