package dev.switchboard.eval.loop;

import dev.switchboard.classifier.base.Jackson;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.switchboard.dataset.RoutingDataset;
import java.io.IOException;
import java.io.PrintStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Client traffic for the demo: each prompt as one {@code model: auto} chat completion through the
 * router's OpenAI-compatible API, with its dataset category, under a request id the demo chose so
 * the replayed outcomes can be joined back to it.
 */
final class TrafficPass {
  private TrafficPass() {}

  /**
   * What the router did with one request, from its response headers.
   *
   * @param index the prompt's position in the pass
   * @param promptId the dataset's id of the prompt sent
   */
  public record Sent(int index, String promptId, String requestId, int status, String model, String deployment, String policyVersion,
      double costUsd, String routingFallback) {}

  public static List<Sent> send(String baseUrl, List<RoutingDataset.Prompt> prompts, String idPrefix, int concurrency,
      PrintStream progress, String label) throws InterruptedException {
    ObjectMapper json = Jackson.JSON;
    HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    ExecutorService pool = Executors.newFixedThreadPool(concurrency);
    AtomicInteger done = new AtomicInteger();
    int step = Math.max(1, prompts.size() / 5);
    try {
      List<Future<Sent>> fs = new ArrayList<>();
      for (int i = 0; i < prompts.size(); i++) {
        int idx = i;
        RoutingDataset.Prompt p = prompts.get(i);
        fs.add(pool.submit(() -> {
          Sent s = one(http, json, baseUrl, p, requestId(idPrefix, p.promptId()), idx);
          int n = done.incrementAndGet();
          if (n % step == 0 || n == prompts.size()) {
            progress.printf("  %s: %d/%d requests%n", label, n, prompts.size());
          }
          return s;
        }));
      }
      List<Sent> out = new ArrayList<>(fs.size());
      for (Future<Sent> f : fs) {
        try {
          out.add(f.get(5, TimeUnit.MINUTES));
        } catch (Exception e) {
          throw new IllegalStateException("a request of " + label + " failed: " + e.getMessage(), e);
        }
      }
      return out;
    } finally {
      pool.shutdownNow();
    }
  }

  /**
   * The request id: prefix + the dataset's prompt id (characters a request id cannot hold become
   * {@code _}). It is the prompt id of the replayed outcomes, so retune's hash split of a prompt is
   * the same in every run.
   */
  static String requestId(String prefix, String promptId) {
    String id = prefix + promptId.replaceAll("[^A-Za-z0-9._:-]", "_");
    return id.length() <= 128 ? id : id.substring(0, 128);
  }

  private static Sent one(HttpClient http, ObjectMapper json, String baseUrl, RoutingDataset.Prompt p, String id, int idx)
      throws IOException, InterruptedException {
    ObjectNode body = json.createObjectNode().put("model", "auto");
    body.putArray("messages").addObject().put("role", "user").put("content", p.prompt());
    if (p.category() != null) {
      body.putObject("switchboard").put("category", p.category());
    }
    HttpResponse<String> r = http.send(HttpRequest.newBuilder(URI.create(baseUrl + "/v1/chat/completions"))
        .timeout(Duration.ofMinutes(2)).header("content-type", "application/json").header("x-request-id", id)
        .POST(HttpRequest.BodyPublishers.ofString(body.toString())).build(), HttpResponse.BodyHandlers.ofString());
    var h = r.headers();
    return new Sent(idx, p.promptId(), h.firstValue("x-request-id").orElse(id), r.statusCode(), h.firstValue("x-switchboard-model").orElse(null),
        h.firstValue("x-switchboard-deployment").orElse(null), h.firstValue("x-switchboard-policy-version").orElse(null),
        h.firstValue("x-switchboard-cost-usd").map(Double::parseDouble).orElse(0.0),
        h.firstValue("x-switchboard-routing-fallback").orElse(null));
  }
}
