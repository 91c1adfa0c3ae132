package dev.switchboard.router.evaldriven;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.switchboard.router.embedded.ServerOptions;
import dev.switchboard.router.embedded.SwitchboardHome;
import dev.switchboard.router.embedded.SwitchboardServer;
import dev.switchboard.routing.Policy;
import dev.switchboard.routing.PolicyFiles;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The shipped {@code auto} route, as a new user gets it ({@code ./switchboard serve} with no
 * config), on the hand-written sanity suite ({@code datasets/sanity/prompts.jsonl}): trivial
 * requests go to the cheapest candidate, hard ones to the strongest, and the reported difficulty
 * rises with the tier. Decided through {@code POST /v1/route}; a generous scoring deadline so a slow
 * CI machine tests the decisions, not its speed.
 */
class SanitySuiteTest {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
  @TempDir static Path dir;
  private static SwitchboardServer server;
  private static Policy shipped;
  /** tier -> decisions (model, difficulty) */
  private static final Map<String, List<JsonNode>> decisions = new LinkedHashMap<>();

  @BeforeAll
  static void routeTheSuite() throws Exception {
    Path home = SwitchboardHome.find();
    shipped = PolicyFiles.read(home.resolve("policies/default.yaml"));
    server = SwitchboardServer.start(ServerOptions.embedded(home, dir.resolve("data")).withRequestLog(false)
        .withScoringDeadlineMs(30_000L));
    for (String line : Files.readAllLines(home.resolve("datasets/sanity/prompts.jsonl"))) {
      if (line.isBlank()) {
        continue;
      }
      JsonNode p = JSON.readTree(line);
      var body = JSON.createObjectNode().put("model", "auto");
      body.putArray("messages").addObject().put("role", "user").put("content", p.get("prompt").asText());
      HttpResponse<String> r = HTTP.send(HttpRequest.newBuilder(URI.create(server.baseUrl() + "/v1/route"))
          .timeout(Duration.ofSeconds(60)).header("content-type", "application/json")
          .POST(HttpRequest.BodyPublishers.ofString(body.toString())).build(), HttpResponse.BodyHandlers.ofString());
      assertEquals(200, r.statusCode(), r.body());
      JsonNode d = JSON.readTree(r.body());
      assertTrue(d.has("difficulty"), "scored, not a fallback: " + r.body());
      ((com.fasterxml.jackson.databind.node.ObjectNode) d).put("prompt", p.get("id").asText());
      decisions.computeIfAbsent(p.get("tier").asText(), t -> new ArrayList<>()).add(d);
    }
  }

  @AfterAll
  static void stop() throws Exception {
    server.close();
    // The numbers the README quotes, in the surefire output of this test.
    decisions.forEach((tier, ds) -> {
      Map<String, Long> byModel = new java.util.TreeMap<>();
      ds.forEach(d -> byModel.merge(d.get("model").asText(), 1L, Long::sum));
      System.out.printf(java.util.Locale.ROOT, "sanity %s: %d prompts, mean difficulty %.3f, %s%n", tier, ds.size(),
          meanDifficulty(tier), byModel);
    });
  }

  static double share(String tier, String model) {
    List<JsonNode> ds = decisions.get(tier);
    return ds.stream().filter(d -> d.get("model").asText().equals(model)).count() / (double) ds.size();
  }

  static double meanDifficulty(String tier) {
    return decisions.get(tier).stream().mapToDouble(d -> d.get("difficulty").asDouble()).average().orElseThrow();
  }

  static List<String> misrouted(String tier, String model) {
    return decisions.get(tier).stream().filter(d -> !d.get("model").asText().equals(model))
        .map(d -> d.get("prompt").asText() + "->" + d.get("model").asText()).toList();
  }

  @Test
  void suite_hasAtLeastTwentyPromptsPerTier() {
    assertTrue(decisions.keySet().containsAll(List.of("trivial", "medium", "hard")), decisions.keySet().toString());
    decisions.forEach((tier, ds) -> assertTrue(ds.size() >= 20, tier + " has " + ds.size()));
  }

  @Test
  void trivialPrompts_goToTheCheapestCandidate() {
    String cheapest = shipped.candidates().get(0).model();
    double s = share("trivial", cheapest);
    assertTrue(s >= 0.90, "trivial -> " + cheapest + ": " + s + "; misrouted " + misrouted("trivial", cheapest));
  }

  @Test
  void hardPrompts_goToTheStrongestCandidate() {
    String strongest = shipped.candidates().get(shipped.candidates().size() - 1).model();
    double s = share("hard", strongest);
    assertTrue(s >= 0.80, "hard -> " + strongest + ": " + s + "; misrouted " + misrouted("hard", strongest));
  }

  @Test
  void difficulty_risesWithTheTier() {
    double t = meanDifficulty("trivial");
    double m = meanDifficulty("medium");
    double h = meanDifficulty("hard");
    assertTrue(t < m && m < h, "mean difficulty trivial " + t + ", medium " + m + ", hard " + h);
  }
}
