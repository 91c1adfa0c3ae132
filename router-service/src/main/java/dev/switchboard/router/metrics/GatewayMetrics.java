package dev.switchboard.router.metrics;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;

/**
 * The gateway's own Prometheus meters. Meters are cached by their tag values: registering
 * through the builder on every request costs a registry lookup and an allocation each.
 */
public final class GatewayMetrics {
  private final PrometheusMeterRegistry registry;
  private final ConcurrentHashMap<String, Counter> counters = new ConcurrentHashMap<>();
  private final ConcurrentHashMap<String, Timer> timers = new ConcurrentHashMap<>();
  // Hot path (every request / attempt): keyed by records, so a lookup allocates one small key
  // object instead of concatenating strings.
  private final ConcurrentHashMap<RequestKey, RequestMeters> requestMeters = new ConcurrentHashMap<>();
  private final ConcurrentHashMap<UpstreamKey, Timer> upstreamTimers = new ConcurrentHashMap<>();

  private record RequestKey(String route, String deployment, int status) {}

  private record RequestMeters(Counter count, Timer duration) {}

  private record UpstreamKey(String deployment, String outcome) {}

  private final ConcurrentHashMap<String, UsageMeters> usageMeters = new ConcurrentHashMap<>();

  private record UsageMeters(Counter prompt, Counter completion, Counter cost) {}

  public GatewayMetrics() {
    this(new PrometheusMeterRegistry(PrometheusConfig.DEFAULT));
  }

  public GatewayMetrics(PrometheusMeterRegistry registry) {
    this.registry = registry;
  }

  public PrometheusMeterRegistry registry() {
    return registry;
  }

  /** One finished client request: count and latency by route, deployment and HTTP status. */
  public void request(String route, String deployment, int status, long nanos) {
    RequestKey key = new RequestKey(route, deployment, status);
    RequestMeters m = requestMeters.get(key);
    if (m == null) {
      m = requestMeters.computeIfAbsent(key, k -> new RequestMeters(
          Counter.builder("switchboard_requests")
              .description("Client requests by route alias, deployment that answered, and HTTP status")
              .tags("route", route, "deployment", deployment, "status", Integer.toString(status)).register(registry),
          Timer.builder("switchboard_request_duration")
              .description("Client request latency, gateway in to gateway out")
              .tags("route", route, "deployment", deployment, "status", Integer.toString(status))
              .serviceLevelObjectives(Buckets.LATENCY).register(registry)));
    }
    m.count().increment();
    m.duration().record(nanos, TimeUnit.NANOSECONDS);
  }

  /** One upstream attempt: outcome is {@code ok} or an error kind. */
  public void upstream(String deployment, String outcome, long nanos) {
    UpstreamKey key = new UpstreamKey(deployment, outcome);
    Timer t = upstreamTimers.get(key);
    if (t == null) t = upstreamTimers.computeIfAbsent(key, k -> Timer.builder("switchboard_upstream_duration")
        .description("Upstream attempt latency (for streams: until the first chunk) by deployment and outcome")
        .tags("deployment", deployment, "outcome", outcome)
        .serviceLevelObjectives(Buckets.LATENCY).register(registry));
    t.record(nanos, TimeUnit.NANOSECONDS);
  }

  /** Tokens and cost of one answered request. */
  public void usage(String deployment, long promptTokens, long completionTokens, double costUsd) {
    UsageMeters m = usageMeters.get(deployment);
    if (m == null) {
      m = usageMeters.computeIfAbsent(deployment, k -> new UsageMeters(
          counter("switchboard_tokens", "Tokens by deployment and type", deployment, "type", "prompt"),
          counter("switchboard_tokens", "Tokens by deployment and type", deployment, "type", "completion"),
          counters.computeIfAbsent("c" + deployment, c -> Counter.builder("switchboard_cost_usd")
              .description("Estimated spend in USD from configured prices").tags("deployment", deployment).register(registry))));
    }
    m.prompt().increment(promptTokens);
    m.completion().increment(completionTokens);
    m.cost().increment(costUsd);
  }

  /** A counter with one extra label, for rarer events (fallbacks, breaker transitions). */
  public Counter counter(String name, String description, String deployment, String label, String value) {
    return counters.computeIfAbsent(name + '\u0000' + deployment + '\u0000' + label + '\u0000' + value,
        k -> Counter.builder(name).description(description).tags("deployment", deployment, label, value).register(registry));
  }

  /** A counter with arbitrary tags (key/value pairs). */
  public Counter counter(String name, String description, String... tags) {
    return counters.computeIfAbsent(name + '\u0000' + String.join("\u0000", tags),
        k -> Counter.builder(name).description(description).tags(tags).register(registry));
  }

  public MeterRegistry meterRegistry() {
    return registry;
  }
}
