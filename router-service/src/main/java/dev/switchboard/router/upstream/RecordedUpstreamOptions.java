package dev.switchboard.router.upstream;

import java.util.Map;

/**
 * Where the recorded upstream listens and how fast each model answers.
 *
 * @param port 0 for a random free port
 * @param latencyByModel per-model latency; models not listed use {@code defaultLatency}
 */
public record RecordedUpstreamOptions(String host, int port, LatencyProfile defaultLatency, Map<String, LatencyProfile> latencyByModel) {

  public RecordedUpstreamOptions {
    host = host == null ? "127.0.0.1" : host;
    defaultLatency = defaultLatency == null ? LatencyProfile.NONE : defaultLatency;
    latencyByModel = latencyByModel == null ? Map.of() : Map.copyOf(latencyByModel);
  }

  /** Loopback, random port, no simulated latency. */
  public static RecordedUpstreamOptions immediate() {
    return new RecordedUpstreamOptions("127.0.0.1", 0, LatencyProfile.NONE, Map.of());
  }

  public LatencyProfile latencyFor(String model) {
    return latencyByModel.getOrDefault(model, defaultLatency);
  }
}
