package dev.switchboard.eval.loop;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.switchboard.cli.SwitchboardCli;
import dev.switchboard.cli.loop.DemoCommand;
import dev.switchboard.dataset.RoutingDataset;
import dev.switchboard.dataset.parquet.RoutingDatasets;
import dev.switchboard.router.embedded.SwitchboardHome;
import dev.switchboard.routing.Policy;
import dev.switchboard.routing.PolicyFiles;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import picocli.CommandLine;

/**
 * The demo loop end to end with 40 prompts through real components: router with embedded Kafka and
 * the recorded provider, replay, retune, publish over HTTP, second pass. Publish errors are probed
 * against the same running router between the publish and the second pass.
 *
 * <p>These runs test the loop's arithmetic, which needs every prompt scored, so they give the router
 * a generous scoring deadline; the demo's own default is serve's (see {@code DemoOptionsTest}).
 */
class DemoLoopTest {
  /** Long enough that no prompt misses it on a busy 2-core machine. */
  static final long GENEROUS_DEADLINE_MS = 5000;
  @TempDir Path dir;

  @Test
  void theLoopClosesAndTheNumbersAddUp() throws Exception {
    Path home = SwitchboardHome.find();
    Path out = dir.resolve("demo-test");
    DemoLoop.Options o = new DemoLoop.Options(home, home.resolve("policies/default.yaml"),
        40, Policy.Target.quality(0.9), 7, out, 4, 0.3, GENEROUS_DEADLINE_MS);
    ByteArrayOutputStream buf = new ByteArrayOutputStream();
    DemoLoop demo = new DemoLoop(o, new PrintStream(buf, true, StandardCharsets.UTF_8));
    String shippedBefore = Files.readString(home.resolve("policies/default.yaml"));
    List<String> probes = new ArrayList<>();
    String[] routerUrl = new String[1];
    demo.afterPublish = (url, key) -> probes.addAll(probe(url, key, out.resolve("policy.yaml")));
    demo.afterPublish = demo.afterPublish.andThen((url, key) -> routerUrl[0] = url);

    DemoLoop.Result r = demo.run();
    String printed = buf.toString(StandardCharsets.UTF_8);

    // every request of pass 1 was replayed and graded
    Set<String> sent = new HashSet<>();
    r.before().forEach(s -> sent.add(s.requestId()));
    assertEquals(40, sent.size());
    RoutingDataset outcomes = RoutingDatasets.load(out.resolve("outcomes.parquet"));
    Set<String> replayed = new HashSet<>();
    outcomes.prompts().forEach(p -> replayed.add(p.promptId()));
    assertEquals(sent, replayed, "every sent request id is in the replayed outcomes");
    assertEquals(40, r.replay().graded());

    // the new policy is live, and pass 2 was decided by it
    Policy live = PolicyFiles.read(home.resolve("policies/default.yaml"));
    String newVersion = r.retune().tuned().version();
    assertNotEquals(live.version(), newVersion);
    assertEquals(newVersion, r.published().version());
    assertEquals(newVersion, r.liveVersionAfterPublish(), "GET /admin/policies after the publish");
    assertEquals(Map.of(live.version(), 40), r.beforeStats().policyVersions());
    assertEquals(Map.of(newVersion, 40), r.afterStats().policyVersions());
    assertEquals(0, r.beforeStats().routingFallbacks() + r.afterStats().routingFallbacks());
    assertEquals(newVersion, PolicyFiles.read(out.resolve("policy.yaml")).version());
    assertEquals(live.classifier().sha256(), r.retune().tuned().classifier().sha256());
    assertEquals(shippedBefore, Files.readString(home.resolve("policies/default.yaml")), "the shipped policy is never rewritten");

    // publish errors, probed on the running router
    assertEquals(List.of("401", "422", "404", "route:" + newVersion), probes, String.join("\n", probes));
    // and with the router gone
    PolicyPublisher.PublishException down = assertThrows(PolicyPublisher.PublishException.class,
        () -> new PolicyPublisher(routerUrl[0], "k").publish("auto", Files.readString(out.resolve("policy.yaml"))));
    assertTrue(down.getMessage().contains("cannot reach the router at " + routerUrl[0]), down.getMessage());

    // the live router's decisions are exactly what the harness predicts from the graded outcomes
    Retune.Part all = r.retune().part(Retune.ALL);
    assertEquals(all.live().meanQuality(), r.beforeStats().meanQuality(), 1e-9, "pass 1 = live policy offline");
    assertEquals(all.tuned().meanQuality(), r.afterStats().meanQuality(), 1e-9, "pass 2 = new policy offline");
    assertEquals(nonZero(all.live().callShare()), r.beforeStats().callShare());
    assertEquals(nonZero(all.tuned().callShare()), r.afterStats().callShare());
    assertEquals(all.live().costPerRequestUsd(), r.beforeStats().costPerRequestUsd(), 1e-4 * all.live().costPerRequestUsd());
    assertEquals(all.tuned().costPerRequestUsd(), r.afterStats().costPerRequestUsd(), 1e-4 * all.tuned().costPerRequestUsd());

    // the written report agrees with a recomputation from traffic.jsonl and outcomes.parquet
    ObjectMapper json = new ObjectMapper();
    JsonNode report = json.readTree(out.resolve("demo.json").toFile());
    List<JsonNode> traffic = new ArrayList<>();
    for (String line : Files.readAllLines(out.resolve("traffic.jsonl"))) {
      traffic.add(json.readTree(line));
    }
    assertEquals(80, traffic.size());

    // the traffic was the classifier's held-out prompts only: the test split of its card's dataset
    JsonNode card = json.readTree(home.resolve("models/default/card.json").toFile());
    // trained on several datasets: the demo's traffic is the test split of the first (the candidates' recorded answers)
    Path trainedOn = home.resolve(card.at("/dataset/path").asText().split(",")[0]);
    assertEquals(trainedOn.toString(), report.path("dataset").asText());
    assertEquals("test", report.path("split").asText());
    assertEquals(GENEROUS_DEADLINE_MS, report.path("scoring_deadline_ms").asLong());
    RoutingDataset ds = RoutingDatasets.load(trainedOn);
    Set<String> testIds = new HashSet<>();
    ds.prompts("test").forEach(p -> testIds.add(p.promptId()));
    Set<String> sentIds = new HashSet<>();
    for (JsonNode t : traffic) {
      String id = t.path("promptId").asText();
      assertTrue(testIds.contains(id), "prompt " + id + " of pass " + t.path("pass") + " is not in the test split");
      assertEquals(ds.prompt(id).orElseThrow().split(), "test");
      sentIds.add(id);
    }
    assertEquals(40, sentIds.size(), "each prompt once per pass");
    for (int pass = 1; pass <= 2; pass++) {
      double q = 0;
      double cost = 0;
      int n = 0;
      for (JsonNode t : traffic) {
        if (t.get("pass").asInt() != pass) continue;
        String pass1Id = r.before().get(t.get("index").asInt()).requestId();
        q += outcomes.quality(pass1Id, t.get("deployment").asText()).orElseThrow();
        cost += t.get("costUsd").asDouble();
        n++;
      }
      JsonNode stats = report.get(pass == 1 ? "before" : "after");
      assertEquals(q / n, stats.get("meanQuality").asDouble(), 1e-12);
      assertEquals(cost / n, stats.get("costPerRequestUsd").asDouble(), 1e-12);
    }
    JsonNode cmp = json.readTree(out.resolve("comparison.json").toFile());
    assertEquals(newVersion, cmp.get("new_version").asText());
    assertTrue(Files.readString(out.resolve("demo.md")).contains("| after | " + newVersion));
    assertTrue(printed.contains("report: " + out.resolve("demo.md").toAbsolutePath()), printed);

    // the standalone command retunes the same outcomes to the same thresholds
    CommandLine cl = SwitchboardCli.commandLine();
    StringWriter cliOut = new StringWriter();
    cl.setOut(new PrintWriter(cliOut, true));
    Path again = dir.resolve("again");
    assertEquals(0, cl.execute("retune", "--outcomes", out.resolve("outcomes.parquet").toString(), "--live-policy",
        home.resolve("policies/default.yaml").toString(), "--target", "quality=0.9", "--out", again.toString(),
        "--cache-dir", dir.resolve("cache").toString()));
    assertEquals(r.retune().tuned().candidates(), PolicyFiles.read(again.resolve("policy.yaml")).candidates());
    assertTrue(cliOut.toString().contains("wrote " + again.resolve("policy.yaml")), cliOut.toString());
  }

  /**
   * {@code demo --retrain}: a classifier is trained on the replayed outcomes (+ the live classifier's
   * dataset) and tuned for. Seeded training on fixed data decides whether the new pair is kept; whichever
   * branch a run takes, its observable effects are checked in full on the running router (before pass 2)
   * and in the outputs. All 59 usable test prompts at quality=0.98 with the default base rows (the
   * live card's datasets) are not kept (the held-out prompts fall below the target); 40 prompts at
   * quality=0.9 trained on the replayed outcomes alone ({@code --train-with none}: 22 prompts) are,
   * so both branches run; the last column pins that, so a change in training that silently drops a
   * branch fails here instead. (Which case takes which branch follows the shipped model: it swapped
   * when the default was retrained on the 64-token encoder.)
   */
  @ParameterizedTest(name = "{0} prompts, quality={1}, train-with={2}, kept={3}")
  @CsvSource({"59, 0.98, , false", "40, 0.9, none, true"})
  void retrainKeepsOrRejectsTheNewPairAndPassTwoRunsOnWhatIsLive(int n, double quality, String trainWith, boolean expectKept)
      throws Exception {
    assertEquals(2, dev.switchboard.cli.CliRun.switchboard("demo", "--train-with", "none").code(), "--train-with needs --retrain");
    Path home = SwitchboardHome.find();
    Path out = dir.resolve("demo-retrain-" + n);
    Policy live = PolicyFiles.read(home.resolve("policies/default.yaml"));
    String liveSha = live.classifier().sha256();
    DemoLoop.Options o = new DemoLoop.Options(home, home.resolve("policies/default.yaml"),
        n, Policy.Target.quality(quality), 7, out, 4, 0.3, GENEROUS_DEADLINE_MS, new Retrain.Options(trainWith, DemoCommand.TRAIN_SEED));
    ByteArrayOutputStream buf = new ByteArrayOutputStream();
    DemoLoop demo = new DemoLoop(o, new PrintStream(buf, true, StandardCharsets.UTF_8));
    JsonNode[] seen = new JsonNode[1];
    demo.afterPublish = (url, key) -> seen[0] = new PolicyPublisher(url, key).livePolicies().path("routes").path("auto");

    DemoLoop.Result r = demo.run();
    String printed = buf.toString(StandardCharsets.UTF_8);

    Retrain.Trained t = r.retune().retrained();
    assertTrue(t != null, printed);
    String newSha = dev.switchboard.classifier.base.Hashing.sha256Hex(Files.readAllBytes(out.resolve("model/classifier.onnx")));
    assertEquals(newSha, t.sha256());
    assertNotEquals(liveSha, newSha);
    assertEquals(liveSha, r.classifierBefore(), "pass 1 ran on the live classifier");
    assertEquals(Map.of(live.version(), n), r.beforeStats().policyVersions());
    JsonNode report = new ObjectMapper().readTree(out.resolve("demo.json").toFile());
    JsonNode cmp = new ObjectMapper().readTree(out.resolve("comparison.json").toFile());
    assertEquals(r.retune().kept(), cmp.path("kept").asBoolean());
    assertEquals(r.retune().kept(), report.at("/retrained/kept").asBoolean());
    assertEquals(newSha, report.at("/retrained/sha256").asText());
    String md = Files.readString(out.resolve("demo.md"));
    assertTrue(md.contains("| before | " + live.version() + " | " + DemoLoop.short12(liveSha) + " | " + n + " |"), md);
    Retune.Part all = r.retune().part(Retune.ALL);
    String newVersion = r.retune().tuned().version();

    assertEquals(expectKept, r.retune().kept(), Files.readString(out.resolve("comparison.md")));
    if (r.retune().kept()) {
      // kept: uploaded, published, live on the router before pass 2, and pass 2 decided by the new pair
      assertEquals("stored", r.uploaded().status());
      assertEquals(newSha, r.uploaded().sha256());
      assertEquals(newVersion, r.published().version());
      assertEquals(newSha, PolicyFiles.read(out.resolve("policy.yaml")).classifier().sha256());
      assertFalse(Files.exists(out.resolve("policy.rejected.yaml")));
      assertEquals(newVersion, seen[0].path("version").asText(), seen[0].toString());
      assertEquals(newSha, seen[0].at("/classifier/sha256").asText(), seen[0].toString());
      assertTrue(seen[0].at("/classifier/path").asText().endsWith("classifiers/" + newSha), "served from the upload: " + seen[0]);
      assertEquals(newSha, r.classifierAfter());
      assertEquals(newVersion, r.liveVersionAfterPublish());
      assertEquals(Map.of(newVersion, n), r.afterStats().policyVersions());
      assertEquals(all.tuned().meanQuality(), r.afterStats().meanQuality(), 1e-9, "pass 2 = new pair offline");
      assertEquals(nonZero(all.tuned().callShare()), r.afterStats().callShare());
      assertTrue(printed.contains("router: classifier " + newSha + " stored"), printed);
      assertTrue(md.contains("| after | " + newVersion + " | " + DemoLoop.short12(newSha) + " | " + n + " |"), md);
      assertTrue(md.contains("Retrained classifier " + newSha + ": kept"), md);
      assertEquals(newVersion, report.path("published_version").asText());
      assertEquals("stored", report.at("/retrained/uploaded").asText());
    } else {
      // not kept: the reason printed, nothing uploaded or published, pass 2 on the live pair
      String why = r.retune().rejection();
      assertTrue(why != null && !why.isBlank());
      assertEquals(why, cmp.path("rejection").asText());
      assertTrue(printed.contains("not kept: the retrained classifier " + DemoLoop.short12(newSha) + " with policy " + newVersion
          + " (" + why + "); nothing uploaded or published"), printed);
      assertTrue(r.published() == null && r.uploaded() == null);
      assertTrue(Files.isRegularFile(out.resolve("policy.rejected.yaml")));
      assertFalse(Files.exists(out.resolve("policy.yaml")));
      assertEquals(live.version(), seen[0].path("version").asText(), seen[0].toString());
      assertEquals(liveSha, seen[0].at("/classifier/sha256").asText(), seen[0].toString());
      assertEquals(liveSha, r.classifierAfter());
      assertEquals(live.version(), r.liveVersionAfterPublish());
      assertEquals(Map.of(live.version(), n), r.afterStats().policyVersions());
      assertEquals(r.beforeStats().meanQuality(), r.afterStats().meanQuality(), 1e-12, "same pair, same decisions");
      assertEquals(r.beforeStats().callShare(), r.afterStats().callShare());
      assertTrue(md.contains("| after | " + live.version() + " | " + DemoLoop.short12(liveSha) + " | " + n + " |"), md);
      assertTrue(md.contains("Retrained classifier " + newSha + ": not kept (" + why + ")"), md);
      assertTrue(report.path("published_version").isNull());
      assertTrue(report.at("/retrained/uploaded").isNull());
    }
  }

  private static Map<String, Double> nonZero(Map<String, Double> share) {
    Map<String, Double> m = new TreeMap<>();
    share.forEach((k, v) -> {
      if (v > 0) m.put(k, v);
    });
    return m;
  }

  /** 401 with a wrong key, 422 for a policy of another classifier, 404 for an unknown route, then /v1/route. */
  private static List<String> probe(String url, String key, Path policyFile) {
    List<String> seen = new ArrayList<>();
    try {
      String yaml = Files.readString(policyFile);
      try {
        new PolicyPublisher(url, "wrong-key").publish("auto", yaml);
        seen.add("published with a wrong key");
      } catch (PolicyPublisher.PublishException e) {
        seen.add(e.status() == 401 && e.getMessage().contains("refused the admin key") ? "401" : e.getMessage());
      }
      Policy p = PolicyFiles.parse(yaml, "test");
      Policy other = new Policy(p.version() + "-other", p.kind(), new Policy.ClassifierRef("models/other", "0".repeat(64)), p.candidates(),
          p.difficultyThresholds(), p.target(), p.tunedOn(), p.validation(), p.test(), p.created());
      try {
        new PolicyPublisher(url, key).publish("auto", PolicyFiles.toYaml(other));
        seen.add("published a policy of another classifier");
      } catch (PolicyPublisher.PublishException e) {
        seen.add(e.status() == 422 && e.getMessage().contains("rejected the policy") && e.getMessage().contains("classifier hash mismatch")
            ? "422" : e.getMessage());
      }
      try {
        new PolicyPublisher(url, key).publish("no-such-route", yaml);
        seen.add("published to an unknown route");
      } catch (PolicyPublisher.PublishException e) {
        seen.add(e.status() == 404 ? "404" : e.getMessage());
      }
      HttpResponse<String> r = HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create(url + "/v1/route"))
          .header("content-type", "application/json")
          .POST(HttpRequest.BodyPublishers.ofString("{\"model\":\"auto\",\"messages\":[{\"role\":\"user\",\"content\":\"Name three rivers.\"}]}"))
          .build(), HttpResponse.BodyHandlers.ofString());
      seen.add("route:" + new ObjectMapper().readTree(r.body()).path("policy_version").asText());
    } catch (Exception e) {
      seen.add("probe failed: " + e);
    }
    return seen;
  }
}
