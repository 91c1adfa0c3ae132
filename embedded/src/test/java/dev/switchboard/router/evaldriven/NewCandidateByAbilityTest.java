package dev.switchboard.router.evaldriven;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.switchboard.router.embedded.ServerOptions;
import dev.switchboard.router.embedded.SwitchboardHome;
import dev.switchboard.router.embedded.SwitchboardServer;
import dev.switchboard.router.testkit.ShippedAutoRoute;
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
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A model the shipped classifier was never trained on joins the {@code auto} route with nothing but
 * a stated IRT ability in the policy ({@code ability:}): its predicted quality comes from the
 * classifier's IRT head, {@code sigmoid(a(q) * (ability - b(q)))}, and the route uses it like any
 * other candidate.
 */
class NewCandidateByAbilityTest {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
  private static final String NEWCOMER = "newcomer-7b";

  @TempDir Path dir;

  /** The shipped policy with the newcomer as its cheapest candidate (ability null: no ability line). */
  private Path policyWithNewcomer(Path home, Double ability) throws Exception {
    Policy p = PolicyFiles.read(home.resolve("policies/default.yaml"));
    List<Policy.Candidate> cands = new ArrayList<>();
    double threshold = p.candidates().get(0).threshold();
    cands.add(new Policy.Candidate(NEWCOMER, 0.05, 0.05, threshold, ability));
    cands.addAll(p.candidates());
    Policy q = new Policy(p.version() + "-newcomer", p.kind(), p.classifier(), cands, p.difficultyThresholds(), p.target(),
        p.tunedOn(), p.validation(), p.test(), p.created());
    Path file = dir.resolve("auto-" + ability + ".yaml");
    PolicyFiles.write(file, q);
    return file;
  }

  private SwitchboardServer start(Path home, Path policy) throws Exception {
    String yaml = ShippedAutoRoute.yaml(home, policy, 30_000, "")
        .replace("deployments:\n", "deployments:\n  - { name: " + NEWCOMER + ", provider: recorded, input_price_per_mtok: 0.05,"
            + " output_price_per_mtok: 0.05 }\n")
        .replace("deployments: [mixtral", "deployments: [" + NEWCOMER + ", mixtral");
    Path config = dir.resolve("switchboard-" + policy.getFileName() + ".yaml");
    Files.writeString(config, yaml);
    return SwitchboardServer.start(new ServerOptions(config, "127.0.0.1", 0, false, home, dir.resolve("data"), false, null, 0,
        "t", dev.switchboard.router.requestlog.CaptureMode.NONE));
  }

  private static JsonNode route(SwitchboardServer s, String prompt) throws Exception {
    var body = JSON.createObjectNode().put("model", "auto");
    body.putArray("messages").addObject().put("role", "user").put("content", prompt);
    HttpResponse<String> r = HTTP.send(HttpRequest.newBuilder(URI.create(s.baseUrl() + "/v1/route"))
        .timeout(Duration.ofSeconds(60)).header("content-type", "application/json")
        .POST(HttpRequest.BodyPublishers.ofString(body.toString())).build(), HttpResponse.BodyHandlers.ofString());
    assertEquals(200, r.statusCode(), r.body());
    return JSON.readTree(r.body());
  }

  @Test
  void aCapableNewcomer_isRoutedEvenHardPrompts_andAWeakOneNever() throws Exception {
    Path home = SwitchboardHome.find();
    String hard = "Prove that there are infinitely many primes of the form 4k+3.";
    String easy = "Say hello.";
    try (SwitchboardServer strong = start(home, policyWithNewcomer(home, 50.0))) {
      JsonNode d = route(strong, hard);
      assertEquals(NEWCOMER, d.get("model").asText(), d.toString());
      assertTrue(d.get("predicted_quality").get(NEWCOMER).asDouble() > 0.99, d.toString());
    }
    try (SwitchboardServer weak = start(home, policyWithNewcomer(home, -50.0))) {
      for (String p : List.of(hard, easy)) {
        JsonNode d = route(weak, p);
        assertTrue(!d.get("model").asText().equals(NEWCOMER), d.toString());
        assertTrue(d.get("predicted_quality").get(NEWCOMER).asDouble() < 0.01, d.toString());
      }
    }
  }

  @Test
  void aNewcomerWithoutAbility_isRefusedWithWhatToDo() throws Exception {
    Path home = SwitchboardHome.find();
    Path policy = policyWithNewcomer(home, null);
    Exception e = assertThrows(Exception.class, () -> start(home, policy).close());
    String msg = String.valueOf(e.getMessage()) + (e.getCause() == null ? "" : " / " + e.getCause().getMessage());
    assertTrue(msg.contains(NEWCOMER) && msg.contains("ability"), msg);
  }
}
