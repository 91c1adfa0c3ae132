package dev.switchboard.eval.loop;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.switchboard.classifier.base.Hashing;
import dev.switchboard.cli.CliRun;
import dev.switchboard.dataset.RoutingDataset;
import dev.switchboard.dataset.RoutingRow;
import dev.switchboard.dataset.parquet.RoutingDatasets;
import dev.switchboard.router.embedded.ServerOptions;
import dev.switchboard.router.embedded.SwitchboardHome;
import dev.switchboard.router.embedded.SwitchboardServer;
import dev.switchboard.router.requestlog.CaptureMode;
import dev.switchboard.routing.Policy;
import dev.switchboard.routing.PolicyFiles;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code retune --retrain} and {@code replay --retune --retrain} end to end: a running router (the
 * recorded provider, route auto on a copy of the shipped policy), a retrained classifier uploaded
 * and its policy published over HTTP, decisions then coming from the new classifier.
 *
 * <p>The CLI reads the admin key from a real environment variable, which a test cannot set; the
 * router here is told to use {@code PATH} as its admin-key variable, so both sides see the same key.
 */
class RetrainLoopTest {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final String KEY_ENV = "PATH";
  private static final double TARGET_A = 0.95;
  private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
  @TempDir Path dir;


  private static CliRun cli(String... args) {
    return CliRun.switchboard(args);
  }

  private SwitchboardServer router(Path home, Policy live, Path policyCopy, boolean requestLog) throws Exception {
    Path classifier = Retune.classifierOf(live, home.resolve("policies/default.yaml"), home).toAbsolutePath();
    Path config = dir.resolve("switchboard.yaml");
    Files.writeString(config, DemoLoop.config(live, classifier, policyCopy, DemoLoopTest.GENEROUS_DEADLINE_MS)
        .replace(DemoLoop.ADMIN_KEY_ENV, KEY_ENV));
    return SwitchboardServer.start(new ServerOptions(config, "127.0.0.1", 0, false, home, dir.resolve("data"), requestLog, null, 0,
        DemoLoop.TOPIC, CaptureMode.FULL));
  }

  private static JsonNode liveAuto(String baseUrl) throws Exception {
    HttpResponse<String> r = HTTP.send(HttpRequest.newBuilder(URI.create(baseUrl + "/admin/policies"))
        .header("authorization", "Bearer " + System.getenv(KEY_ENV)).build(), HttpResponse.BodyHandlers.ofString());
    assertEquals(200, r.statusCode(), r.body());
    return JSON.readTree(r.body()).path("routes").path("auto");
  }

  private static JsonNode route(String baseUrl, RoutingDataset.Prompt p) throws Exception {
    ObjectNode o = JSON.createObjectNode();
    o.put("model", "auto");
    o.putArray("messages").addObject().put("role", "user").put("content", p.prompt());
    if (p.category() != null) o.putObject("switchboard").put("category", p.category());
    HttpResponse<String> r = HTTP.send(HttpRequest.newBuilder(URI.create(baseUrl + "/v1/route")).header("content-type", "application/json")
        .POST(HttpRequest.BodyPublishers.ofString(o.toString())).build(), HttpResponse.BodyHandlers.ofString());
    assertEquals(200, r.statusCode(), r.body());
    return JSON.readTree(r.body());
  }

  /** Replayed outcomes as the recorded grader writes them: AlpacaEval test-split prompts under request ids. */
  private static Path outcomes(Path file, List<RoutingDataset.Prompt> prompts, List<String> candidates) {
    List<RoutingRow> rows = new ArrayList<>();
    for (RoutingDataset.Prompt p : prompts) {
      String messages = JSON.createArrayNode().add(JSON.createObjectNode().put("role", "user").put("content", p.prompt())).toString();
      for (String c : candidates) {
        RoutingRow r = p.byModel().get(c);
        rows.add(new RoutingRow("req-" + p.promptId(), p.prompt(), messages, p.category(), "train", c, r.quality(), r.inputTokens(),
            r.outputTokens(), r.costUsd(), "replay:test"));
      }
    }
    RoutingDatasets.write(file, rows);
    return file;
  }

  private static List<RoutingDataset.Prompt> prompts(Path home, List<String> candidates, int n) {
    return RoutingDatasets.load(home.resolve("datasets/alpacaeval2.parquet")).prompts("test").stream()
        .filter(p -> candidates.stream().allMatch(c -> p.quality(c).isPresent()))
        .sorted(Comparator.comparing(RoutingDataset.Prompt::promptId)).limit(n).toList();
  }

  @Test
  void retuneRetrainUploadsTheNewClassifierAndTheRouterDecidesWithIt() throws Exception {
    Path home = SwitchboardHome.find();
    Policy live = PolicyFiles.read(home.resolve("policies/default.yaml"));
    List<String> candidates = live.candidates().stream().map(Policy.Candidate::model).toList();
    Path policyCopy = dir.resolve("auto-policy.yaml");
    Files.copy(home.resolve("policies/default.yaml"), policyCopy);
    List<RoutingDataset.Prompt> prompts = prompts(home, candidates, 80);
    Path outcomes = outcomes(dir.resolve("run/outcomes.parquet"), prompts, candidates);

    try (SwitchboardServer server = router(home, live, policyCopy, false)) {
      List<JsonNode> before = new ArrayList<>();
      for (RoutingDataset.Prompt p : prompts.subList(0, 10)) before.add(route(server.baseUrl(), p));

      CliRun r = cli("retune", "--outcomes", outcomes.toString(), "--live-policy", home.resolve("policies/default.yaml").toString(),
          "--target", "quality=" + TARGET_A, "--retrain", "--publish", server.baseUrl(), "--admin-key-env", KEY_ENV);
      assertEquals(0, r.code(), r.out() + r.err());

      // the new model, trained through the train pipeline on the tuning prompts + the live classifier's own dataset
      Path model = dir.resolve("run/model");
      JsonNode card = JSON.readTree(model.resolve("card.json").toFile());
      String sha = Hashing.sha256Hex(Files.readAllBytes(model.resolve("classifier.onnx")));
      assertEquals(sha, card.at("/onnx/sha256").asText());
      assertNotEquals(live.classifier().sha256(), sha);
      assertEquals(candidates.stream().sorted().toList(), card.path("candidates").findValuesAsText("model").stream().sorted().toList());
      JsonNode cmp = JSON.readTree(dir.resolve("run/comparison.json").toFile());
      int held = cmp.at("/parts/held-out/new/prompts").asInt();
      assertTrue(held > 10, "held-out part: " + held);
      assertEquals(held, cmp.at("/retrained/held_out_prompts").asInt());
      assertEquals(held, card.at("/dataset/split_prompts/test").asInt(), "the held-out prompts are the new model's test split, never trained on");
      assertEquals(prompts.size() - held, cmp.at("/retrained/replayed_prompts_trained_on").asInt());
      // default --train-with: every dataset of the live card (the default's: arena-bench, everyday chat, RouterDC)
      List<String> liveDatasets = List.of(JSON.readTree(home.resolve(live.classifier().path()).resolve("card.json").toFile())
          .at("/dataset/path").asText().split(",")).stream().map(p -> Path.of(p).getFileName().toString()).toList();
      assertEquals(3, liveDatasets.size(), liveDatasets.toString());
      assertEquals(liveDatasets, List.of(cmp.at("/retrained/base_dataset").asText().split(",")).stream()
          .map(p -> Path.of(p).getFileName().toString()).toList());
      assertTrue(cmp.at("/retrained/base_prompts_trained_on").asInt() > 400, "arena-bench and everyday train/validation prompts");
      assertTrue(card.at("/features/categories").isEmpty(), "trained without categories, as the live classifier was");
      assertTrue(r.out().contains("Retrained classifier"), r.out());

      // Seeded training on fixed data, tuned for 95%: on the held-out prompts this pair is not worse on both axes and
      // keeps at least the live pair's share of the best model's quality, so it is kept, uploaded and published.
      boolean kept = cmp.path("kept").asBoolean();
      assertEquals(Retune.rejection(new ObjectMapper().treeToValue(cmp.at("/parts/held-out"), PartJson.class).toPart(),
          Policy.Target.quality(TARGET_A)) == null, kept);
      assertTrue(kept, Files.readString(dir.resolve("run/comparison.md")));
      Policy published = PolicyFiles.read(dir.resolve("run/policy.yaml"));
      assertEquals(sha, published.classifier().sha256());
      assertTrue(r.out().contains("router: classifier " + sha + " stored"), r.out());
      JsonNode now = liveAuto(server.baseUrl());
      assertEquals(published.version(), now.path("version").asText());
      assertEquals(sha, now.at("/classifier/sha256").asText());
      assertEquals(dir.resolve("data/classifiers").resolve(sha).toString(), now.at("/classifier/path").asText(), "served from the upload");
      for (int i = 0; i < 10; i++) {
        JsonNode after = route(server.baseUrl(), prompts.get(i));
        assertEquals(published.version(), after.path("policy_version").asText());
        assertNotEquals(before.get(i).path("predicted_quality"), after.path("predicted_quality"), "scored by the new classifier");
      }
    }
  }

  @Test
  void retuneRetrainPublishedToThePolicyFileARouterWatchesSwapsTheClassifierFromItsPath() throws Exception {
    Path home = SwitchboardHome.find();
    Policy live = PolicyFiles.read(home.resolve("policies/default.yaml"));
    List<String> candidates = live.candidates().stream().map(Policy.Candidate::model).toList();
    Path policyCopy = dir.resolve("auto-policy.yaml");
    Files.copy(home.resolve("policies/default.yaml"), policyCopy);
    List<RoutingDataset.Prompt> prompts = prompts(home, candidates, 80); // the data of the upload test: a pair that is kept
    Path outcomes = outcomes(dir.resolve("run/outcomes.parquet"), prompts, candidates);

    try (SwitchboardServer server = router(home, live, policyCopy, false)) {
      CliRun r = cli("retune", "--outcomes", outcomes.toString(), "--live-policy", home.resolve("policies/default.yaml").toString(),
          "--target", "quality=" + TARGET_A, "--retrain", "--publish", policyCopy.toString());
      assertEquals(0, r.code(), r.out() + r.err());
      assertTrue(r.out().contains("wrote policy"), r.out());
      Policy published = PolicyFiles.read(dir.resolve("run/policy.yaml"));
      assertEquals(published.version(), PolicyFiles.read(policyCopy).version());
      org.awaitility.Awaitility.await("the watcher's swap").atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(100))
          .until(() -> liveAuto(server.baseUrl()).path("version").asText().equals(published.version()));
      JsonNode now = liveAuto(server.baseUrl());
      assertEquals(published.version(), now.path("version").asText(), "the watcher installed it: " + now.path("last_rejection"));
      assertEquals(published.classifier().sha256(), now.at("/classifier/sha256").asText());
      assertEquals(dir.resolve("run/model").toAbsolutePath().normalize().toString(), now.at("/classifier/path").asText(), "loaded from the run dir");
      assertEquals(published.version(), route(server.baseUrl(), prompts.get(0)).path("policy_version").asText());
    }
  }

  /** The held-out part of comparison.json, back into a {@link Retune.Part}. */
  record PartJson(String best_single_model, double best_single_quality, Retune.Point live, @com.fasterxml.jackson.annotation.JsonProperty("new") Retune.Point tuned) {
    Retune.Part toPart() {
      return new Retune.Part(Retune.HELD_OUT, live, tuned, best_single_model, best_single_quality);
    }
  }

  @Test
  void replayRetuneRetrainRunsTheWholeLoopFromTheRequestLog() throws Exception {
    Path home = SwitchboardHome.find();
    Policy live = PolicyFiles.read(home.resolve("policies/default.yaml"));
    List<String> candidates = live.candidates().stream().map(Policy.Candidate::model).toList();
    Path policyCopy = dir.resolve("auto-policy.yaml");
    Files.copy(home.resolve("policies/default.yaml"), policyCopy);
    List<RoutingDataset.Prompt> prompts = prompts(home, candidates, 40);
    Path run = dir.resolve("replay-run");

    try (SwitchboardServer server = router(home, live, policyCopy, true)) {
      List<TrafficPass.Sent> sent = TrafficPass.send(server.baseUrl(), prompts, "retrain-", 4, new PrintStream(new ByteArrayOutputStream()), "t");
      org.awaitility.Awaitility.await("every request logged").atMost(Duration.ofSeconds(30))
          .until(() -> server.requestLog().stats().delivered() >= sent.size());
      assertEquals(sent.size(), server.requestLog().stats().delivered());
      JsonNode before = route(server.baseUrl(), prompts.get(0));

      PrintStream stdout = System.out;
      ByteArrayOutputStream captured = new ByteArrayOutputStream();
      int code;
      try {
        System.setOut(new PrintStream(captured, true, StandardCharsets.UTF_8));
        code = cli("replay", "--kafka", server.kafkaBootstrap(), "--data-dir", dir.resolve("data").toString(), "--from-beginning", "--candidates", String.join(",", candidates),
            "--grader", "recorded", "--datasets", home.resolve("datasets").toString(), "--prices", home.resolve("datasets/models.json").toString(),
            "--upstream", server.recordedBaseUrl(), "--max-tokens", "32768", "--out", run.toString(),
            "--retune", "quality=0.6", "--live-policy", home.resolve("policies/default.yaml").toString(), "--retrain", "--train-with", "none",
            "--publish", server.baseUrl(), "--admin-key-env", KEY_ENV).code();
      } finally {
        System.setOut(stdout);
      }
      String out = captured.toString(StandardCharsets.UTF_8);
      assertEquals(0, code, out);
      assertEquals(prompts.size(), RoutingDatasets.load(run.resolve("outcomes.parquet")).prompts().size(), "every logged request replayed");
      JsonNode cmp = JSON.readTree(run.resolve("comparison.json").toFile());
      assertTrue(cmp.at("/retrained/base_dataset").isNull(), "--train-with none");
      assertEquals(0, cmp.at("/retrained/base_prompts_trained_on").asInt());
      assertTrue(Files.isRegularFile(run.resolve("model/classifier.onnx")));
      String sha = cmp.at("/retrained/sha256").asText();
      // Seeded training on 28 prompts and nothing else, tuned for 60%: this pair tunes to a cheap corner that misses the
      // quality target on the held-out prompts, so the live pair stays: policy.rejected.yaml, nothing uploaded.
      assertFalse(cmp.path("kept").asBoolean(), Files.readString(run.resolve("comparison.md")));
      assertTrue(cmp.path("rejection").asText().contains("below the target 60.0%"), cmp.path("rejection").asText());
      assertTrue(Files.isRegularFile(run.resolve("policy.rejected.yaml")));
      assertFalse(Files.exists(run.resolve("policy.yaml")));
      assertTrue(out.contains("kept the live pair") && out.contains("nothing published"), out);
      JsonNode now = liveAuto(server.baseUrl());
      assertEquals(live.version(), now.path("version").asText());
      assertEquals(live.classifier().sha256(), now.at("/classifier/sha256").asText());
      assertFalse(Files.exists(dir.resolve("data/classifiers").resolve(sha)), "not even uploaded");
      JsonNode after = route(server.baseUrl(), prompts.get(0));
      assertEquals(live.version(), after.path("policy_version").asText());
      assertEquals(before.path("predicted_quality"), after.path("predicted_quality"));
    }
  }
}
