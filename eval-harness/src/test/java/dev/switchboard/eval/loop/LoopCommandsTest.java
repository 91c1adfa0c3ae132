package dev.switchboard.eval.loop;

import dev.switchboard.eval.cli.CliRun;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.switchboard.dataset.parquet.RoutingDatasets;
import dev.switchboard.dataset.RoutingRow;
import dev.switchboard.eval.cli.SwitchboardCli;
import dev.switchboard.router.embedded.SwitchboardHome;
import dev.switchboard.routing.Policy;
import dev.switchboard.routing.PolicyFiles;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/** Argument and error handling of retune / publish / replay --retune that needs no running router. */
class LoopCommandsTest {
  @TempDir Path dir;


  private static CliRun run(String... args) {
    return CliRun.switchboard(args);
  }

  @Test
  void publishToARouterThatIsNotRunningSaysSo() throws Exception {
    int port;
    try (ServerSocket s = new ServerSocket(0)) {
      port = s.getLocalPort();
    }
    PolicyPublisher.PublishException e = assertThrows(PolicyPublisher.PublishException.class,
        () -> new PolicyPublisher("http://127.0.0.1:" + port + "/v1/", "key").publish("auto", "version: x"));
    assertEquals(0, e.status());
    assertEquals("cannot reach the router at http://127.0.0.1:" + port + " (connection refused); is it running?", e.getMessage());
  }

  @Test
  void theRoutersReasonIsExtractedFromItsErrorBody() {
    assertEquals("classifier hash mismatch: x", PolicyPublisher.reason("{\"error\":{\"message\":\"classifier hash mismatch: x\",\"type\":\"t\"}}"));
    assertEquals("plain text", PolicyPublisher.reason("plain text"));
    assertEquals("(empty answer)", PolicyPublisher.reason(""));
  }

  @Test
  void publishRejectsAMissingOrMalformedPolicyFileBeforeCallingTheRouter() throws Exception {
    CliRun missing = run("publish", "--router", "http://127.0.0.1:1", "--policy", dir.resolve("nope.yaml").toString());
    assertEquals(2, missing.code());
    assertTrue(missing.err().contains("--policy: policy file " + dir.resolve("nope.yaml") + " does not exist; write one with"), missing.err());
    Path bad = dir.resolve("bad.yaml");
    Files.writeString(bad, "version: [unclosed\n");
    CliRun malformed = run("publish", "--router", "http://127.0.0.1:1", "--policy", bad.toString());
    assertEquals(2, malformed.code());
    assertTrue(malformed.err().startsWith("error: "), malformed.err());
  }

  @Test
  void replayPublishNeedsRetuneAndLivePolicy() {
    CliRun r = run("replay", "--kafka", "127.0.0.1:1", "--candidates", "a", "--grader", "recorded", "--out", dir.resolve("r").toString(),
        "--publish", "http://127.0.0.1:1");
    assertEquals(2, r.code());
  }

  @Test
  void retrainOptionsNeedTheirCompanions() {
    CliRun trainWith = run("retune", "--outcomes", "x.parquet", "--live-policy", "p.yaml", "--target", "quality=0.9", "--train-with", "none");
    assertEquals(2, trainWith.code());
    assertTrue(trainWith.err().contains("--train-with and --seed go with --retrain"), trainWith.err());
    CliRun replay = run("replay", "--kafka", "127.0.0.1:1", "--candidates", "a", "--grader", "recorded", "--out", dir.resolve("r").toString(),
        "--retrain");
    assertEquals(2, replay.code());
  }

  @Test
  void retuneRetrainNeedsHeldOutPrompts() throws Exception {
    Path home = SwitchboardHome.find();
    Policy shipped = PolicyFiles.read(home.resolve("policies/default.yaml"));
    Path outcomes = dir.resolve("outcomes.parquet");
    List<RoutingRow> rows = new ArrayList<>();
    for (Policy.Candidate c : shipped.candidates()) {
      rows.add(new RoutingRow("p1", "Name three rivers.", null, null, "train", c.model(), 0.5, 10, 10, 0.001, "replay:t"));
    }
    RoutingDatasets.write(outcomes, rows);
    CliRun r = run("retune", "--outcomes", outcomes.toString(), "--live-policy", home.resolve("policies/default.yaml").toString(),
        "--target", "quality=0.9", "--holdout", "0", "--retrain", "--cache-dir", dir.resolve("cache").toString());
    assertEquals(2, r.code(), r.err());
    assertTrue(r.err().contains("--retrain needs --holdout > 0"), r.err());
    assertTrue(!Files.exists(dir.resolve("model")), "nothing trained");
  }

  /** The keep rule of a retrained pair on its held-out part: the verdict's "worse on both axes", and the target. */
  @Test
  void aRetrainedPairIsKeptOnlyIfNotWorseAndWithinTheTarget() {
    java.util.function.BiFunction<Double, Double, Retune.Point> pt = (q, cost) -> new Retune.Point(10, q, q / 0.5, cost, java.util.Map.of());
    Retune.Point live = pt.apply(0.46, 0.010); // 92% of the best model's quality
    // cheaper and no worse: kept
    assertEquals(null, Retune.rejection(new Retune.Part("held-out", live, pt.apply(0.47, 0.008), "m", 0.5), Policy.Target.quality(0.9)));
    // dearer and worse: rejected by the verdict's rule
    assertTrue(Retune.rejection(new Retune.Part("held-out", live, pt.apply(0.45, 0.011), "m", 0.5), Policy.Target.quality(0.9))
        .contains("worse on both axes"));
    // cheaper at lower quality but still above the 90% target: a trade, kept
    assertEquals(null, Retune.rejection(new Retune.Part("held-out", live, pt.apply(0.455, 0.006), "m", 0.5), Policy.Target.quality(0.9)));
    // cheaper at a quality below the target (and below live): rejected
    assertTrue(Retune.rejection(new Retune.Part("held-out", live, pt.apply(0.30, 0.001), "m", 0.5), Policy.Target.quality(0.9))
        .contains("below the target 90.0%"));
    // a live pair already below the target: the new one may not fall below the live one
    Retune.Point weakLive = pt.apply(0.40, 0.010);
    assertEquals(null, Retune.rejection(new Retune.Part("held-out", weakLive, pt.apply(0.40, 0.009), "m", 0.5), Policy.Target.quality(0.9)));
    assertTrue(Retune.rejection(new Retune.Part("held-out", weakLive, pt.apply(0.39, 0.005), "m", 0.5), Policy.Target.quality(0.9)) != null);
    // cost target: better quality bought above the budget and above live's cost is rejected
    assertTrue(Retune.rejection(new Retune.Part("held-out", live, pt.apply(0.49, 0.02), "m", 0.5), Policy.Target.cost(0.012))
        .contains("above the target"));
    assertEquals(null, Retune.rejection(new Retune.Part("held-out", live, pt.apply(0.49, 0.011), "m", 0.5), Policy.Target.cost(0.012)));
  }

  @Test
  void retuneRefusesAClassifierTheLivePolicyWasNotTunedFor() throws Exception {
    Path home = SwitchboardHome.find();
    Policy shipped = PolicyFiles.read(home.resolve("policies/default.yaml"));
    Policy other = new Policy(shipped.version(), shipped.kind(), new Policy.ClassifierRef("models/default", "ab".repeat(32)),
        shipped.candidates(), shipped.difficultyThresholds(), shipped.target(), shipped.tunedOn(), shipped.validation(),
        shipped.test(), shipped.created());
    Path live = dir.resolve("live.yaml");
    PolicyFiles.write(live, other);
    Path outcomes = dir.resolve("outcomes.parquet");
    List<RoutingRow> rows = new ArrayList<>();
    for (Policy.Candidate c : shipped.candidates()) {
      rows.add(new RoutingRow("p1", "Name three rivers.", null, null, "train", c.model(), 0.5, 10, 10, 0.001, "replay:t"));
    }
    RoutingDatasets.write(outcomes, rows);
    CliRun r = run("retune", "--outcomes", outcomes.toString(), "--live-policy", live.toString(), "--classifier",
        home.resolve("models/default").toString(), "--target", "quality=0.9", "--cache-dir", dir.resolve("cache").toString());
    assertEquals(2, r.code(), r.err());
    assertTrue(r.err().contains("the router would reject a policy for a different classifier"), r.err());
    assertTrue(!Files.exists(dir.resolve("policy.yaml")), "nothing written");
  }
}
