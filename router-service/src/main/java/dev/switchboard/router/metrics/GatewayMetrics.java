package dev.switchboard.router.metrics;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.time.Duration;
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
    String key = route + '\u0000' + deployment + '\u0000' + status;
    counters.computeIfAbsent("r" + key, k -> Counter.builder("switchboard_requests")
        .description("Client requests by route alias, deployment that answered, and HTTP status")
        .tags("route", route, "deployment", deployment, "status", Integer.toString(status)).register(registry)).increment();
    timers.computeIfAbsent(key, k -> Timer.builder("switchboard_request_duration")
        .description("Client request latency, gateway in to gateway out")
        .tags("route", route, "deployment", deployment, "status", Integer.toString(status))
        .publishPercentileHistogram().minimumExpectedValue(Duration.ofNanos(100_000)).maximumExpectedValue(Duration.ofSeconds(120))
        .register(registry)).record(nanos, TimeUnit.NANOSECONDS);
  }

  /** One upstream attempt: outcome is {@code ok} or an error kind. */
  public void upstream(String deployment, String outcome, long nanos) {
    String key = "u" + deployment + '\u0000' + outcome;
    timers.computeIfAbsent(key, k -> Timer.builder("switchboard_upstream_duration")
        .description("Upstream attempt latency (for streams: until the first chunk) by deployment and outcome")
        .tags("deployment", deployment, "outcome", outcome)
        .publishPercentileHistogram().minimumExpectedValue(Duration.ofNanos(100_000)).maximumExpectedValue(Duration.ofSeconds(120))
        .register(registry)).record(nanos, TimeUnit.NANOSECONDS);
  }

  /** Tokens and cost of one answered request. */
  public void usage(String deployment, long promptTokens, long completionTokens, double costUsd) {
    counter("switchboard_tokens", "Tokens by deployment and type", deployment, "type", "prompt").increment(promptTokens);
    counter("switchboard_tokens", "Tokens by deployment and type", deployment, "type", "completion").increment(completionTokens);
    counters.computeIfAbsent("c" + deployment, k -> Counter.builder("switchboard_cost_usd")
        .description("Estimated spend in USD from configured prices").tags("deployment", deployment).register(registry))
        .increment(costUsd);
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
