package dev.switchboard.eval.loop;

import java.util.List;
import java.util.Map;
import java.util.OptionalDouble;
import java.util.TreeMap;
import java.util.function.Function;

/**
 * One traffic pass, measured: what the live router actually chose and charged, and the recorded
 * quality of the chosen model's answer (from the replayed outcomes).
 *
 * @param requests requests sent
 * @param ok requests answered with HTTP 200
 * @param graded answered requests whose chosen model has a recorded grade (the quality mean's base)
 * @param meanQuality mean recorded quality of the answers that were returned
 * @param costPerRequestUsd mean cost the router reported ({@code x-switchboard-cost-usd}) over answered requests
 * @param callShare deployment that answered -> fraction of answered requests
 * @param policyVersions policy version the router reported -> requests
 * @param routingFallbacks requests routed to the default because scoring failed or timed out
 */
record PassStats(int requests, int ok, int graded, double meanQuality, double costPerRequestUsd,
    Map<String, Double> callShare, Map<String, Integer> policyVersions, int routingFallbacks) {

  public static PassStats of(List<TrafficPass.Sent> sent, Function<TrafficPass.Sent, OptionalDouble> quality) {
    int ok = 0;
    int graded = 0;
    int fallbacks = 0;
    double q = 0;
    double cost = 0;
    Map<String, Integer> calls = new TreeMap<>();
    Map<String, Integer> versions = new TreeMap<>();
    for (TrafficPass.Sent s : sent) {
      if (s.policyVersion() != null) {
        versions.merge(s.policyVersion(), 1, Integer::sum);
      }
      if (s.routingFallback() != null) {
        fallbacks++;
      }
      if (s.status() != 200 || s.deployment() == null) {
        continue;
      }
      ok++;
      cost += s.costUsd();
      calls.merge(s.deployment(), 1, Integer::sum);
      OptionalDouble g = quality.apply(s);
      if (g.isPresent()) {
        graded++;
        q += g.getAsDouble();
      }
    }
    Map<String, Double> share = new TreeMap<>();
    int n = ok;
    calls.forEach((m, c) -> share.put(m, (double) c / n));
    return new PassStats(sent.size(), ok, graded, graded == 0 ? Double.NaN : q / graded, ok == 0 ? Double.NaN : cost / ok,
        share, versions, fallbacks);
  }
}
