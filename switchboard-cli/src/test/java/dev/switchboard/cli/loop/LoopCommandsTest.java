package dev.switchboard.cli.loop;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.switchboard.cli.CliRun;
import dev.switchboard.dataset.RoutingRow;
import dev.switchboard.dataset.parquet.RoutingDatasets;
import dev.switchboard.router.embedded.SwitchboardHome;
import dev.switchboard.routing.Policy;
import dev.switchboard.routing.PolicyFiles;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Argument and error handling of retune / publish / replay --retune that needs no running router. */
class LoopCommandsTest {
  @TempDir Path dir;


  private static CliRun run(String... args) {
    return CliRun.switchboard(args);
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
