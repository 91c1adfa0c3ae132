package dev.switchboard.router.metrics;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

class GatewayMetricsTest {
  @Test
  void requestsAreCountedAndTimedPerRouteDeploymentAndStatus() {
    GatewayMetrics m = new GatewayMetrics();
    m.request("smart", "gpt", 200, 1_000_000);
    m.request("smart", "gpt", 200, 3_000_000);
    m.request("smart", "gpt", 502, 5_000_000);
    var ok = m.registry().get("switchboard_request_duration").tags("route", "smart", "deployment", "gpt", "status", "200").timer();
    assertEquals(2, ok.count());
    assertEquals(4.0, ok.totalTime(TimeUnit.MILLISECONDS), 1e-9);
    assertEquals(2.0, m.registry().get("switchboard_requests").tags("status", "200").counter().count());
    assertEquals(1.0, m.registry().get("switchboard_requests").tags("status", "502").counter().count());
  }

  @Test
  void upstreamAttemptsAndUsageAccumulatePerDeployment() {
    GatewayMetrics m = new GatewayMetrics();
    m.upstream("gpt", "ok", 2_000_000);
    m.upstream("gpt", "ok", 2_000_000);
    m.upstream("gpt", "timeout", 9_000_000);
    assertEquals(2, m.registry().get("switchboard_upstream_duration").tags("deployment", "gpt", "outcome", "ok").timer().count());
    assertEquals(1, m.registry().get("switchboard_upstream_duration").tags("outcome", "timeout").timer().count());
    m.usage("gpt", 10, 5, 0.25);
    m.usage("gpt", 1, 2, 0.5);
    assertEquals(11.0, m.registry().get("switchboard_tokens").tags("deployment", "gpt", "type", "prompt").counter().count());
    assertEquals(7.0, m.registry().get("switchboard_tokens").tags("deployment", "gpt", "type", "completion").counter().count());
    assertEquals(0.75, m.registry().get("switchboard_cost_usd").tags("deployment", "gpt").counter().count(), 1e-12);
    // the one-label counter API shares the token counters
    assertEquals(11.0, m.counter("switchboard_tokens", "Tokens by deployment and type", "gpt", "type", "prompt").count());
  }
}
