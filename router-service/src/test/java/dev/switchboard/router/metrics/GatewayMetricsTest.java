package dev.switchboard.router.metrics;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
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

  /** Issue #17: a bounded, documented bucket set per label set (it was ~94), the same for every label set. */
  @Test
  void latencyHistograms_exportTheDocumentedSixteenBucketsPlusInf() {
    GatewayMetrics m = new GatewayMetrics();
    m.request("smart", "gpt", 200, 3_000_000);
    m.request("smart", "claude", 502, 700_000_000);
    m.upstream("gpt", "ok", 2_000_000);
    String scrape = m.registry().scrape();
    for (String series : new String[] {"switchboard_request_duration_seconds_bucket{deployment=\"gpt\"",
        "switchboard_request_duration_seconds_bucket{deployment=\"claude\"", "switchboard_upstream_duration_seconds_bucket{deployment=\"gpt\""}) {
      List<String> les = scrape.lines().filter(l -> l.startsWith(series)).map(l -> l.replaceAll(".*le=\"([^\"]+)\".*", "$1")).toList();
      assertEquals(17, les.size(), series + "\n" + scrape);
      assertEquals(List.of("5.0E-4", "0.001", "0.0025", "0.005", "0.01", "0.025", "0.05", "0.1", "0.25", "0.5", "1.0", "2.5", "5.0",
          "10.0", "30.0", "120.0", "+Inf"), les);
    }
    assertEquals(16, Buckets.LATENCY.length);
    // 3 ms falls in le=0.005 and every bucket above it (cumulative)
    assertTrue(scrape.contains("switchboard_request_duration_seconds_bucket{deployment=\"gpt\",route=\"smart\",status=\"200\",le=\"0.005\"} 1"), scrape);
    assertTrue(scrape.contains("switchboard_request_duration_seconds_bucket{deployment=\"gpt\",route=\"smart\",status=\"200\",le=\"0.0025\"} 0"), scrape);
  }
}
